// mib::PartitionLag: how far a consumer is behind on one partition.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mib {

// Offsets of one partition as the consumer sees them. Offsets are "next to read": a
// position of 10 means records 0..9 are consumed.
struct PartitionLag {
  std::string topic{};
  std::int32_t partition = -1;
  std::int64_t low_watermark = -1;          // first offset still in the log
  std::int64_t high_watermark = -1;         // offset the next record will get
  std::optional<std::int64_t> position{};   // next offset this consumer reads, if known
  std::optional<std::int64_t> committed{};  // the group's committed offset, if any
  std::int64_t lag = 0;                     // records not yet consumed
};

// Where a consumer with no position and no committed offset starts (auto.offset.reset).
enum class StartWhenUnknown { earliest, latest };

// Records behind: high watermark minus the position. Without a position the committed
// offset stands in; without either, the consumer will start at the low watermark
// (earliest) or the high one (latest). Offsets outside the log (retention removed them,
// or a stale commit) are clamped into [low, high]; an empty partition has no lag.
std::int64_t compute_lag(std::int64_t low, std::int64_t high, std::optional<std::int64_t> position,
                         std::optional<std::int64_t> committed, StartWhenUnknown start);

}  // namespace mib
