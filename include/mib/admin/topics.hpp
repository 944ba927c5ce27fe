// Topics as the admin API creates, lists and describes them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "mib/admin/configs.hpp"
#include "mib/client/metadata.hpp"

namespace mib {

// A topic to create. partitions / replication of -1 take the broker's defaults
// (num.partitions, default.replication.factor); configs are topic-level settings such as
// {"retention.ms", "86400000"}.
struct NewTopic {
  std::string name{};
  std::int32_t partitions = -1;
  std::int32_t replication = -1;
  std::map<std::string, std::string> configs{};
};

// One line of a topic list.
struct TopicListing {
  std::string name{};
  bool internal = false;  // __consumer_offsets, __transaction_state, ...
  std::int32_t partitions = 0;
};

// A topic with its partitions (leader, replicas, in-sync replicas) and every config entry.
struct TopicDescription {
  std::string name{};
  bool internal = false;
  std::vector<PartitionInfo> partitions{};
  std::vector<ConfigEntry> configs{};

  std::int32_t replication() const {
    return partitions.empty() ? 0 : static_cast<std::int32_t>(partitions.front().replicas.size());
  }
  const ConfigEntry* config(std::string_view key) const { return find_config(configs, key); }
};

// A partition's first and next offsets (log start and high watermark), from ListOffsets.
struct PartitionOffsets {
  std::string topic{};
  std::int32_t partition = -1;
  std::int64_t earliest = -1;
  std::int64_t latest = -1;  // the high watermark: the offset the next record will get
};

}  // namespace mib
