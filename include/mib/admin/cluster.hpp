// The cluster as the admin API describes it: id, controller, brokers with their racks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mib/client/metadata.hpp"

namespace mib {

// A broker as metadata names it, with its rack.
struct BrokerDescription : BrokerInfo {
  std::optional<std::string> rack{};  // broker.rack, if the broker has one
};

struct ClusterDescription {
  std::string cluster_id{};
  std::int32_t controller = -1;
  std::vector<BrokerDescription> brokers{};
};

}  // namespace mib
