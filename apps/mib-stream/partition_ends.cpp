#include "partition_ends.hpp"

namespace mib::cli {

void PartitionEnds::assigned(const Consumer& consumer,
                             const std::vector<TopicPartition>& partitions,
                             std::chrono::milliseconds timeout) {
  ever_assigned_ = true;
  for (const TopicPartition& p : partitions) {
    Key key{p.topic, p.partition};
    if (!ends_.contains(key)) {
      const auto marks = consumer.watermarks(p, timeout);
      ends_[key] = End{.offset = marks.high, .reached = marks.high <= marks.low};
    }
    assigned_.insert(std::move(key));
  }
}

void PartitionEnds::revoked(const std::vector<TopicPartition>& partitions) {
  for (const TopicPartition& p : partitions) assigned_.erase({p.topic, p.partition});
}

PartitionEnds::End* PartitionEnds::find(std::string_view topic, std::int32_t partition) {
  const auto it = ends_.find(Key{std::string{topic}, partition});
  return it == ends_.end() ? nullptr : &it->second;
}

void PartitionEnds::read(std::string_view topic, std::int32_t partition, std::int64_t offset) {
  if (End* end = find(topic, partition); end != nullptr && offset + 1 >= end->offset) {
    end->reached = true;
  }
}

void PartitionEnds::no_more_records(std::string_view topic, std::int32_t partition) {
  if (End* end = find(topic, partition)) end->reached = true;
}

bool PartitionEnds::all_reached() const {
  if (!ever_assigned_) return false;
  for (const Key& key : assigned_) {
    if (!ends_.at(key).reached) return false;
  }
  return true;
}

}  // namespace mib::cli
