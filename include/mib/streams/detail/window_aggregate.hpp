// Internal: aggregation over tumbling and hopping windows. Records are folded into slices
// of gcd(size, advance) per key; a window's result merges the slices it covers, so a record
// costs one update however many windows hold it.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mib/streams/aggregations.hpp"
#include "mib/streams/detail/footprint.hpp"
#include "mib/streams/detail/node.hpp"
#include "mib/streams/window.hpp"

namespace mib::streams::detail {

inline std::int64_t ms(Timestamp t) {
  return t.time_since_epoch().count();
}
inline std::int64_t floor_to(std::int64_t t, std::int64_t step) {
  const std::int64_t q = t / step;
  return (t % step != 0 && t < 0 ? q - 1 : q) * step;
}

// Entries of a map keyed by K, sorted by key where keys have an order (so that what a
// window emits comes out in the same order every run).
template <typename K, typename Map>
std::vector<typename Map::value_type*> in_key_order(Map& map) {
  std::vector<typename Map::value_type*> entries;
  entries.reserve(map.size());
  for (auto& e : map) entries.push_back(&e);
  if constexpr (std::totally_ordered<K>) {
    std::sort(entries.begin(), entries.end(),
              [](const auto* a, const auto* b) { return a->first < b->first; });
  }
  return entries;
}

// Bytes an unordered_map of K to Acc takes: its buckets, its nodes, and keys' own heap.
template <typename K, typename Acc>
std::size_t bytes_of(const std::unordered_map<K, Acc>& map) {
  std::size_t bytes = map.bucket_count() * sizeof(void*) +
                      map.size() * (sizeof(K) + sizeof(Acc) + 2 * sizeof(void*));
  if constexpr (std::same_as<K, std::string>) {
    for (const auto& [key, acc] : map) bytes += heap_of(key);
  }
  return bytes;
}

// close_after_idle(d): once no record came for `d` of wall-clock time, the event time an
// operator closes by moves on from the newest time it saw by the wall-clock time since.
class IdleClose {
 public:
  explicit IdleClose(std::optional<Millis> after) : after_(after) {}
  void saw(Timestamp time, Timestamp wall) {
    newest_ = std::max(newest_, time);
    last_wall_ = wall;
  }
  std::optional<Timestamp> moved_to(Timestamp wall_now) const {
    if (!after_ || last_wall_ == no_time || newest_ == no_time) return std::nullopt;
    const Millis quiet = wall_now - last_wall_;
    if (quiet < *after_) return std::nullopt;
    return newest_ + quiet;
  }

 private:
  std::optional<Millis> after_;
  Timestamp newest_ = no_time;
  Timestamp last_wall_ = no_time;
};

// What the window operators share: the time they close windows by (their input's
// watermark, or moved on by close_after_idle) and the count of records too late for any
// window. Each says how it closes (close_windows) and how far back it may still emit.
class WindowOperator : public Node {
 public:
  WindowOperator(Context& context, std::string name, std::optional<Millis> idle_close)
      : Node(context, std::move(name)), idle_(idle_close) {}

  std::uint64_t late_records() const final { return late_count_; }
  void on_wall_clock() final {
    const auto moved = idle_.moved_to(context().wall_now);
    if (!moved || *moved <= closing_) return;
    closing_ = *moved;
    close_windows();
    publish(held_back());
  }

 protected:
  Timestamp on_watermark(Timestamp in) final {
    closing_ = std::max(closing_, in);
    close_windows();
    return held_back();
  }
  // Emits (or drops) every window the closing time has passed.
  virtual void close_windows() = 0;
  // What this operator may still emit is no older than this.
  virtual Timestamp held_back() const = 0;
  // A record taken into a window at event time `t` (for the wall-clock close).
  void arrived(Timestamp t) { idle_.saw(t, context().wall_now); }

  Timestamp closing_ = no_time;  // the time windows close by
  std::uint64_t late_count_ = 0;

 private:
  IdleClose idle_;
};

struct WindowShape {
  Millis size;
  Millis advance;
  Millis grace;
  std::optional<Millis> idle_close;
  Emit emit;
};

template <typename K, typename V, typename A>
class TimeWindowAggregate : public WindowOperator {
 public:
  using Acc = accumulator_t<A, V>;
  using Result = result_t<A, V>;
  using Out = Record<K, Windowed<K, Result>>;

  TimeWindowAggregate(Context& context, std::string name, A agg, WindowShape shape,
                      Outlet<Record<K, V>>* late)
      : WindowOperator(context, std::move(name), shape.idle_close),
        agg_(std::move(agg)),
        size_(shape.size.count()),
        advance_(shape.advance.count()),
        slice_(std::gcd(size_, advance_)),
        grace_(shape.grace.count()),
        emit_(shape.emit),
        late_(late) {}

  Outlet<Out> out;

  void push(Record<K, V>&& r) {
    const std::int64_t t = ms(r.time);
    const std::int64_t last_start = floor_to(t, advance_);
    if (closing_ != no_time && last_start + size_ + grace_ <= ms(closing_)) {
      ++late_count_;
      if (late_ != nullptr) late_->push(std::move(r));
      return;
    }
    arrived(r.time);
    Slice& slice = slice_at(floor_to(t, slice_));
    auto it = slice.find(r.key);
    if (it == slice.end()) {
      it = slice.emplace(std::move(r.key), start_with(agg_, r.value, r.time)).first;
    } else {
      add_to(agg_, it->second, r.value, r.time);
    }
    if (emit_ == Emit::on_update) updated(it->first, t, r.time);
  }

  std::size_t state_bytes() const override {
    std::size_t bytes = 0;
    for (const auto& [start, slice] : slices_) bytes += bytes_of(slice) + 4 * sizeof(void*);
    return bytes;
  }

 private:
  using Slice = std::unordered_map<K, Acc>;

  Timestamp held_back() const override {
    return minus(closing_, Millis{grace_ + (emit_ == Emit::on_update ? size_ : 0)});
  }

  Slice& slice_at(std::int64_t start) {
    if (cached_ == nullptr || cached_start_ != start) {
      cached_ = &slices_[start];
      cached_start_ = start;
    }
    return *cached_;
  }

  // Emits every window whose end + grace the closing watermark has reached.
  void close_windows() override {
    const std::int64_t wm = ms(closing_);
    while (!slices_.empty()) {
      const std::int64_t first = slices_.begin()->first;
      // The earliest window holding the first slice that was not emitted yet.
      const std::int64_t start =
          std::max(floor_to(first - size_, advance_) + advance_, closed_until_);
      if (start + size_ + grace_ > wm) break;
      if (emit_ == Emit::on_close) emit_window(start);
      closed_until_ = start + advance_;
      while (!slices_.empty() && slices_.begin()->first < closed_until_) {
        slices_.erase(slices_.begin());
      }
      cached_ = nullptr;
    }
  }

  void emit_window(std::int64_t start) {
    const TimeWindow window{Timestamp{Millis{start}}, Timestamp{Millis{start + size_}}};
    const Timestamp time = window.end - Millis{1};
    if (slice_ == size_) {  // tumbling: the window is one slice
      auto found = slices_.find(start);
      if (found == slices_.end()) return;
      for (auto* e : in_key_order<K>(found->second)) emit(e->first, window, e->second, time);
      return;
    }
    Slice merged;
    for (auto it = slices_.lower_bound(start); it != slices_.end() && it->first < start + size_;
         ++it) {
      for (const auto& [key, acc] : it->second) {
        auto [m, inserted] = merged.try_emplace(key, acc);
        if (!inserted) agg_.merge(m->second, acc);
      }
    }
    for (auto* e : in_key_order<K>(merged)) emit(e->first, window, e->second, time);
  }

  // emit_on_update: the key's result in every open window that holds time t.
  void updated(const K& key, std::int64_t t, Timestamp time) {
    const std::int64_t wm =
        closing_ == no_time ? std::numeric_limits<std::int64_t>::min() : ms(closing_);
    for (std::int64_t start = floor_to(t - size_, advance_) + advance_; start <= t;
         start += advance_) {
      if (start + size_ + grace_ <= wm) continue;
      std::optional<Acc> acc;
      for (auto it = slices_.lower_bound(start); it != slices_.end() && it->first < start + size_;
           ++it) {
        auto found = it->second.find(key);
        if (found == it->second.end()) continue;
        if (acc) {
          agg_.merge(*acc, found->second);
        } else {
          acc = found->second;
        }
      }
      if (acc) {
        emit(key, {Timestamp{Millis{start}}, Timestamp{Millis{start + size_}}}, *acc, time);
      }
    }
  }

  void emit(const K& key, TimeWindow window, const Acc& acc, Timestamp time) {
    out.push(Out{key, Windowed<K, Result>{key, window, Result(result_of(agg_, acc))}, time});
  }

  A agg_;
  std::int64_t size_;
  std::int64_t advance_;
  std::int64_t slice_;
  std::int64_t grace_;
  Emit emit_;
  Outlet<Record<K, V>>* late_;

  std::map<std::int64_t, Slice> slices_;  // by slice start
  Slice* cached_ = nullptr;               // the slice the last record went to
  std::int64_t cached_start_ = 0;
  // Every window starting before this was emitted (or had nothing to emit).
  std::int64_t closed_until_ = std::numeric_limits<std::int64_t>::min();
};

}  // namespace mib::streams::detail
