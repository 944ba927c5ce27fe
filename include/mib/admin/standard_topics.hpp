// The standard topics, one per message kind: `{prefix}.market_data|orders|trades|events|
// control` with the recommended settings of [topics.<kind>], and what ensure_topics() did.
#pragma once

#include <string>
#include <vector>

#include "mib/admin/topics.hpp"
#include "mib/config/config.hpp"

namespace mib {

// The five standard topics as NewTopic specs (retention.ms, max.message.bytes,
// cleanup.policy and compression.type from the settings; compression none is Kafka's
// "uncompressed").
std::vector<NewTopic> standard_topics(const TopicsConfig& topics);

// A setting of an existing topic that is not what the configuration asks for.
struct TopicDifference {
  std::string topic{};
  std::string key{};  // "partitions", "replication" or a config name
  std::string wanted{};
  std::string actual{};
  bool fixed = false;           // ensure_topics(..., fix = true) changed it
  std::string why_not_fixed{};  // for a difference that cannot be fixed in place
};

struct EnsureReport {
  std::vector<std::string> created{};
  std::vector<std::string> existing{};
  std::vector<TopicDifference> differences{};
  std::vector<std::string> warnings{};  // e.g. replication capped to the broker count

  bool consistent() const {
    for (const auto& d : differences) {
      if (!d.fixed) return false;
    }
    return true;
  }
};

}  // namespace mib
