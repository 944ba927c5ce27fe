// Consumer groups as the admin API lists and describes them, and their lag.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mib/client/metadata.hpp"
#include "mib/consumer/partition_lag.hpp"
#include "mib/message.hpp"

namespace mib {

enum class GroupState { unknown, preparing_rebalance, completing_rebalance, stable, dead, empty };
// Kafka's names: "Stable", "Empty", "PreparingRebalance", ...
std::string_view to_string(GroupState state) noexcept;

struct GroupListing {
  std::string id{};
  GroupState state = GroupState::unknown;
  bool simple = false;  // commits offsets without joining (assign(), not subscribe())
};

struct GroupMember {
  std::string member_id{};
  std::string client_id{};
  std::string host{};                        // as the broker saw it, e.g. "/127.0.0.1"
  std::vector<TopicPartition> assignment{};  // offsets unset
};

struct GroupDescription {
  std::string id{};
  GroupState state = GroupState::unknown;
  std::string protocol{};  // the partition assignor, e.g. "range"; empty when no members
  bool simple = false;
  BrokerInfo coordinator{};
  std::vector<GroupMember> members{};
};

// One partition of a group's lag: the consumer's PartitionLag (position unset, as the admin
// does not see one) and the member it is assigned to. `lag` is the high watermark minus the
// committed offset, as Kafka's tool computes it (not clamped to the log). A partition
// without a committed offset counts no lag (Kafka's tool shows "-" there), nor does one of
// a topic deleted since (high_watermark -1).
struct GroupPartitionLag : PartitionLag {
  std::string member_id{};  // empty: not assigned now
};

struct GroupLag {
  std::string group{};
  std::vector<GroupPartitionLag> partitions{};  // by topic, then partition

  std::int64_t total() const {
    std::int64_t sum = 0;
    for (const auto& p : partitions) sum += p.lag;
    return sum;
  }
};

}  // namespace mib
