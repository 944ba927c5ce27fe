// `mib-stream consume -e`: has every assigned partition been read up to its end?
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mib/consumer/consumer.hpp"

namespace mib::cli {

// A partition's end is its high watermark when this run first saw it assigned, so that
// records produced meanwhile do not keep the command running. It counts as reached once
// a record just before that end was read, or once the consumer says it has nothing more
// (librdkafka's partition EOF: that also covers starting at the end, empty partitions,
// and transaction markers that are never handed out as records).
class PartitionEnds {
 public:
  // Asks the brokers for the end of each partition not seen before (throws
  // mib::Exception if they do not answer within `timeout`).
  void assigned(const Consumer& consumer, const std::vector<TopicPartition>& partitions,
                std::chrono::milliseconds timeout);
  void revoked(const std::vector<TopicPartition>& partitions);

  void read(std::string_view topic, std::int32_t partition, std::int64_t offset);
  void no_more_records(std::string_view topic, std::int32_t partition);

  // True once partitions were assigned (in a group: the first rebalance) and every
  // partition still assigned reached its end.
  bool all_reached() const;

 private:
  using Key = std::pair<std::string, std::int32_t>;
  struct End {
    std::int64_t offset = 0;  // the high watermark: the offset after the last record
    bool reached = false;
  };
  End* find(std::string_view topic, std::int32_t partition);

  std::map<Key, End> ends_;
  std::set<Key> assigned_;
  bool ever_assigned_ = false;
};

}  // namespace mib::cli
