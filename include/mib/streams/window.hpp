// Window specifications: how a keyed stream is cut into windows of event time, how long a
// window waits for late records, when its result is emitted.
//
//   st::Tumbling{1s}.grace(200ms)                      // [0,1s) [1s,2s) ...
//   st::Hopping{10s, 1s}                               // 10 s windows, one starting each second
//   st::Session{30s}.grace(5s)                         // a key's records with gaps under 30 s
//   st::Sliding{10s}                                   // each set of records within 10 s
//   st::Tumbling{1min}.close_after_idle(5s)            // the last bar of the day, 5 s after it
//   st::Tumbling{1s}.emit_on_update()                  // a result per record, not per window
#pragma once

#include <chrono>
#include <numeric>
#include <optional>

#include "mib/error.hpp"
#include "mib/streams/record.hpp"

namespace mib::streams {

// When a window's result is emitted.
enum class Emit {
  on_close,   // once, when the watermark passes the window's end plus its grace (final)
  on_update,  // after every record that changes it (each an update of the last one)
};

// What every kind of window can be told; each builder returns a changed copy.
template <typename Kind>
class WindowOptions {
 public:
  // How long after a window's end (in event time, by the watermark) records are still
  // added to it. Later ones go to the late-records output.
  Kind grace(Millis g) const {
    Kind k = self();
    k.grace_ = g;
    return k;
  }
  // Close windows by wall-clock time when no record arrived for `idle`: the watermark
  // then moves on from the newest event time seen by the wall-clock time passed since.
  Kind close_after_idle(Millis idle) const {
    Kind k = self();
    k.close_after_idle_ = idle;
    return k;
  }
  Kind emit_on_update() const {
    Kind k = self();
    k.emit_ = Emit::on_update;
    return k;
  }

  Millis grace_period() const noexcept { return grace_; }
  std::optional<Millis> idle_close() const noexcept { return close_after_idle_; }
  Emit emit() const noexcept { return emit_; }

 private:
  const Kind& self() const { return static_cast<const Kind&>(*this); }
  Millis grace_{0};
  std::optional<Millis> close_after_idle_{};
  Emit emit_ = Emit::on_close;
};

namespace detail {
inline Millis positive(Millis d, const char* what) {
  if (d.count() <= 0) {
    throw Exception{Error{errc::invalid_argument, std::string{what} + " must be positive, not " +
                                                      std::to_string(d.count()) + "ms"}};
  }
  return d;
}
}  // namespace detail

// Fixed-size windows [n*size, (n+1)*size) that do not overlap.
class Tumbling : public WindowOptions<Tumbling> {
 public:
  explicit Tumbling(Millis size) : size_(detail::positive(size, "Tumbling window size")) {}
  Millis size() const noexcept { return size_; }
  Millis advance() const noexcept { return size_; }

 private:
  Millis size_;
};

// Fixed-size windows [n*advance, n*advance + size) that overlap when advance < size.
// Records are aggregated once per slice of gcd(size, advance), and a window's result
// merges its slices, so a record costs one update however many windows hold it.
class Hopping : public WindowOptions<Hopping> {
 public:
  Hopping(Millis size, Millis advance)
      : size_(detail::positive(size, "Hopping window size")),
        advance_(detail::positive(advance, "Hopping window advance")) {
    if (advance_ > size_) {
      throw Exception{Error{errc::invalid_argument,
                            "Hopping window advance (" + std::to_string(advance_.count()) +
                                "ms) is longer than its size (" + std::to_string(size_.count()) +
                                "ms): records would be missed"}};
    }
  }
  Millis size() const noexcept { return size_; }
  Millis advance() const noexcept { return advance_; }

 private:
  Millis size_;
  Millis advance_;
};

// Per key, records no more than `gap` apart make one session; a session's window is
// [first record, last record + 1ms). A record between two sessions merges them. A session
// closes when the watermark passes its last record + gap + grace.
class Session : public WindowOptions<Session> {
 public:
  explicit Session(Millis gap) : gap_(detail::positive(gap, "Session window gap")) {}
  Millis gap() const noexcept { return gap_; }

 private:
  Millis gap_;
};

// Kafka Streams' sliding windows: per key, a window for each distinct set of records no
// more than `difference` apart. A record at t makes the window [t - difference, t] (it is
// the newest record there) and [t + 1ms, t + 1ms + difference] (the window it has just
// left); an empty window is none. Both ends count, so a window is reported as
// [start, start + difference + 1ms). A window closes once the watermark passes its end
// plus its grace; a record no open window can hold any more is late.
class Sliding : public WindowOptions<Sliding> {
 public:
  explicit Sliding(Millis difference)
      : difference_(detail::positive(difference, "Sliding window time difference")) {}
  Millis difference() const noexcept { return difference_; }

 private:
  Millis difference_;
};

}  // namespace mib::streams
