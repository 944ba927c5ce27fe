#include "mib/streams/detail/partition_clock.hpp"

#include <algorithm>

namespace mib::streams::detail {

bool PartitionClock::observe_slow(std::int32_t partition, Timestamp time, Timestamp wall) {
  const auto index = static_cast<std::size_t>(std::max(partition, std::int32_t{0}));
  if (index >= partitions_.size()) partitions_.resize(index + 1);
  Partition& p = partitions_[index];
  last_ = &p;
  last_partition_ = partition;
  p.last_seen = wall;
  if (!p.counts) {
    p.counts = true;
    p.newest = time;
    p.idle = false;
    return recompute();
  }
  const bool woke = p.idle;
  p.idle = false;
  if (time <= p.newest && !woke) return false;
  // Only the partition that held the watermark back can move it.
  const bool was_lowest = p.newest <= watermark_;
  p.newest = std::max(p.newest, time);
  return (was_lowest || woke || all_idle_) && recompute();
}

bool PartitionClock::tick(Timestamp wall) {
  if (idle_after_.count() <= 0) return false;
  bool changed = false;
  for (Partition& p : partitions_) {
    if (!p.counts || p.idle || p.last_seen == no_time) continue;
    if (wall - p.last_seen >= idle_after_) {
      p.idle = true;
      changed = true;
    }
  }
  return changed && recompute();
}

bool PartitionClock::expect(const std::vector<std::int32_t>& partitions, Timestamp wall) {
  std::vector<bool> wanted;
  for (const std::int32_t partition : partitions) {
    const auto index = static_cast<std::size_t>(std::max(partition, std::int32_t{0}));
    if (index >= wanted.size()) wanted.resize(index + 1, false);
    wanted[index] = true;
  }
  if (wanted.size() > partitions_.size()) partitions_.resize(wanted.size());
  last_ = nullptr;
  for (std::size_t i = 0; i < partitions_.size(); ++i) {
    Partition& p = partitions_[i];
    const bool want = i < wanted.size() && wanted[i];
    if (want && !p.counts) p = {.counts = true, .last_seen = wall};
    if (!want) p = {};
  }
  return recompute();
}

bool PartitionClock::advance_all(Timestamp time) {
  if (partitions_.empty()) partitions_.resize(1);
  last_ = nullptr;
  for (Partition& p : partitions_) {
    p.counts = true;
    p.newest = std::max(p.newest, time);
  }
  return recompute();
}

bool PartitionClock::recompute() {
  Timestamp low = no_time;
  Timestamp newest = no_time;
  bool any_active = false;
  bool any = false;
  for (const Partition& p : partitions_) {
    if (!p.counts) continue;
    any = true;
    newest = std::max(newest, p.newest);
    if (p.idle) continue;
    low = any_active ? std::min(low, p.newest) : p.newest;
    any_active = true;
  }
  const bool idle = any && !any_active;
  const Timestamp next = std::max(watermark_, any_active ? low : newest);
  const bool changed = next != watermark_ || idle != all_idle_;
  watermark_ = next;
  all_idle_ = idle;
  return changed;
}

}  // namespace mib::streams::detail
