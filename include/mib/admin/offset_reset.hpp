// mib::ResetTo: where to move a consumer group's committed offsets, as Kafka's
// kafka-consumer-groups.sh --reset-offsets does.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace mib {

// A small value with named builders:
//   mib::ResetTo::earliest()   mib::ResetTo::time(t)
//   mib::ResetTo::shift_by(-100)  mib::ResetTo::offset(42)
// A target outside a partition's log is clamped to its earliest or latest offset, as
// Kafka's tool does.
struct ResetTo {
  enum class Kind { earliest, latest, time, offset, shift };
  Kind kind = Kind::latest;
  std::int64_t value = 0;  // the offset, the shift, or the time in ms since the epoch

  static constexpr ResetTo earliest() { return {Kind::earliest, 0}; }
  static constexpr ResetTo latest() { return {Kind::latest, 0}; }
  static constexpr ResetTo offset(std::int64_t at) { return {Kind::offset, at}; }
  static constexpr ResetTo shift_by(std::int64_t n) { return {Kind::shift, n}; }
  static ResetTo time(std::chrono::system_clock::time_point t) {
    return {Kind::time,
            std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count()};
  }
  // "to earliest", "to offset 42", "by -100", "to 2026-12-01T10:00:00.000Z"
  std::string describe() const;
};

// One partition of a reset plan: where its committed offset is and where it goes.
struct OffsetMove {
  std::string topic{};
  std::int32_t partition = -1;
  std::int64_t current = -1;  // -1: nothing committed
  std::int64_t target = -1;
};

}  // namespace mib
