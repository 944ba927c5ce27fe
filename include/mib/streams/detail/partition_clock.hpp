// Internal: a source's event time per partition, and the watermark they give together.
#pragma once

#include <cstdint>
#include <vector>

#include "mib/streams/record.hpp"

namespace mib::streams::detail {

// The watermark is the lowest newest-event-time over the partitions that are not idle.
// A partition counts from its first record on, or from when it is expected (assigned to
// the consumer): an expected partition that has sent nothing yet holds the watermark where
// it is. A partition is idle once nothing came from it for `idle_after` of wall-clock time
// (0: never). When every partition is idle the watermark is the newest time of them all.
// It never moves back.
class PartitionClock {
 public:
  explicit PartitionClock(Millis idle_after) : idle_after_(idle_after) {}

  // A record of `partition` at `time`, seen at wall-clock `wall`. True when the
  // watermark or idle() changed.
  bool observe(std::int32_t partition, Timestamp time, Timestamp wall) {
    // The common case, inline: the same partition as the last record, time not moving on.
    if (partition == last_partition_ && last_ != nullptr && time <= last_->newest && !last_->idle) {
      last_->last_seen = wall;
      return false;
    }
    return observe_slow(partition, time, wall);
  }
  // Marks partitions idle by wall-clock `wall`. True when the watermark or idle() changed.
  bool tick(Timestamp wall);
  // The partitions that count from now on (the consumer's assignment of this topic),
  // expected from wall-clock `wall`; others are forgotten. True when the watermark moved.
  bool expect(const std::vector<std::int32_t>& partitions, Timestamp wall);
  // Every partition's newest time to at least `time` (a test driver moving time on).
  bool advance_all(Timestamp time);

  Timestamp watermark() const noexcept { return watermark_; }
  // Every partition is idle (and there is at least one).
  bool idle() const noexcept { return all_idle_; }

 private:
  struct Partition {
    bool counts = false;
    Timestamp newest = no_time;
    Timestamp last_seen = no_time;  // wall-clock
    bool idle = false;
  };
  bool observe_slow(std::int32_t partition, Timestamp time, Timestamp wall);
  bool recompute();

  Millis idle_after_;
  std::vector<Partition> partitions_;
  Timestamp watermark_ = no_time;
  bool all_idle_ = false;
  Partition* last_ = nullptr;  // the partition of the last record (reset when resized)
  std::int32_t last_partition_ = -1;
};

}  // namespace mib::streams::detail
