// mib::streams records: a key, a value and an event time, as every operator sees them.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <limits>

#include "mib/message.hpp"

namespace mib::streams {

using mib::Timestamp;
using Millis = std::chrono::milliseconds;

// An event time given as milliseconds since the epoch: at(500ms), at(0ms).
constexpr Timestamp at(Millis since_epoch) {
  return Timestamp{since_epoch};
}

// Before every real time: the watermark of a stream that has seen nothing yet.
inline constexpr Timestamp no_time{Millis{std::numeric_limits<std::int64_t>::min()}};

// t - d that stays at no_time instead of wrapping around.
constexpr Timestamp minus(Timestamp t, Millis d) {
  if (t.time_since_epoch().count() < no_time.time_since_epoch().count() + d.count()) {
    return no_time;
  }
  return t - d;
}

template <typename K, typename V>
struct Record {
  using key_type = K;
  using value_type = V;
  K key{};
  V value{};
  Timestamp time{};
  friend bool operator==(const Record&, const Record&) = default;
};

// The half-open span [start, end) of event time a window covers.
struct TimeWindow {
  Timestamp start{};
  Timestamp end{};
  friend auto operator<=>(const TimeWindow&, const TimeWindow&) = default;
};

// A window's result for one key: what a windowed aggregation or join emits as its value
// (the record key stays the plain key, so the result is partitioned as its input was).
template <typename K, typename V>
struct Windowed {
  K key{};
  TimeWindow window{};
  V value{};
  friend bool operator==(const Windowed&, const Windowed&) = default;
};

}  // namespace mib::streams
