// What a cluster says about itself: brokers, topics, partitions, leaders and replicas.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mib/error.hpp"

namespace mib {

struct BrokerInfo {
  std::int32_t id = -1;
  std::string host{};
  int port = 0;
};

struct PartitionInfo {
  std::int32_t id = -1;
  std::int32_t leader = -1;  // -1: no leader now
  std::vector<std::int32_t> replicas{};
  std::vector<std::int32_t> isr{};  // in-sync replicas
  Error error{};
};

struct TopicInfo {
  std::string name{};
  std::vector<PartitionInfo> partitions{};
  Error error{};  // for example unknown topic or authorization failed
};

struct ClusterMetadata {
  std::string cluster_id{};      // empty if the cluster did not say
  std::int32_t controller = -1;  // broker id of the active controller; -1 if unknown
  std::vector<BrokerInfo> brokers{};
  std::vector<TopicInfo> topics{};

  const TopicInfo* topic(std::string_view name) const {
    for (const auto& t : topics) {
      if (t.name == name) return &t;
    }
    return nullptr;
  }
};

}  // namespace mib
