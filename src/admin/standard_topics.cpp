// The standard topics of [topics], and ensure_topics(): create what is missing, report
// (and on request fix) what differs.
#include "mib/admin/standard_topics.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "admin/admin_impl.hpp"
#include "config/enum_names.hpp"

namespace mib {
namespace {

struct Kind {
  std::string_view suffix;  // as topic_for() names them
  TopicSettings TopicsConfig::*settings;
};
constexpr std::array<Kind, 5> kinds{{{"market_data", &TopicsConfig::market_data},
                                     {"orders", &TopicsConfig::orders},
                                     {"trades", &TopicsConfig::trades},
                                     {"events", &TopicsConfig::events},
                                     {"control", &TopicsConfig::control}}};

// Kafka keeps a list value as written; compare cleanup.policy as a set.
std::string normal_value(const std::string& key, const std::string& value) {
  if (key != "cleanup.policy") return value;
  std::vector<std::string> items = admin::split_list(value);
  std::sort(items.begin(), items.end());
  return admin::join_list(items);
}

}  // namespace

std::vector<NewTopic> standard_topics(const TopicsConfig& topics) {
  std::vector<NewTopic> out;
  for (const Kind& kind : kinds) {
    const TopicSettings& s = topics.*kind.settings;
    NewTopic topic{topics.prefix + "." + std::string{kind.suffix},
                   static_cast<std::int32_t>(s.partitions),
                   static_cast<std::int32_t>(s.replication),
                   {}};
    topic.configs["retention.ms"] = std::to_string(s.retention.count());
    topic.configs["max.message.bytes"] = std::to_string(s.max_message_bytes);
    topic.configs["cleanup.policy"] = std::string{config::enum_name(s.cleanup_policy)};
    // Kafka's topic-level name for no compression; "none" is the producer's.
    topic.configs["compression.type"] = s.compression == Compression::none
                                            ? "uncompressed"
                                            : std::string{config::enum_name(s.compression)};
    out.push_back(std::move(topic));
  }
  return out;
}

EnsureReport Admin::ensure_topics(bool fix) const {
  return impl_->audited(fix ? "ensure_topics" : "", "topics " + config().topics.prefix + ".*", [&] {
    EnsureReport report;
    std::vector<NewTopic> wanted = standard_topics(config().topics);
    const auto md = impl_->metadata(true);  // the broker count and the topics there are
    const int brokers = md->broker_cnt;
    for (NewTopic& t : wanted) {
      if (t.replication > brokers) {
        report.warnings.push_back("topic '" + t.name + "': replication " +
                                  std::to_string(t.replication) + " capped to " +
                                  std::to_string(brokers) + ", the cluster's broker count");
        t.replication = brokers;
      }
    }
    std::set<std::string> present;
    for (int i = 0; i < md->topic_cnt; ++i) {
      if (md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR) present.insert(md->topics[i].topic);
    }

    std::vector<NewTopic> missing;
    for (const NewTopic& t : wanted) {
      if (!present.contains(t.name)) missing.push_back(t);
    }
    const std::vector<Error> results = create_topics(missing);
    for (std::size_t i = 0; i < missing.size(); ++i) {
      if (!results[i]) {
        report.created.push_back(missing[i].name);
      } else if (results[i].code() == errc::topic_already_exists) {
        present.insert(missing[i].name);  // made by someone else meanwhile: compare it below
      } else {
        throw Exception{results[i]};
      }
    }

    for (const NewTopic& t : wanted) {
      if (!present.contains(t.name)) continue;
      report.existing.push_back(t.name);
      const TopicDescription actual = describe_topic(t.name);
      const auto differ = [&](std::string key, std::string want, std::string have) {
        report.differences.push_back({t.name, std::move(key), std::move(want), std::move(have)});
        return &report.differences.back();
      };
      const auto partitions = static_cast<std::int32_t>(actual.partitions.size());
      if (partitions != t.partitions) {
        TopicDifference* d =
            differ("partitions", std::to_string(t.partitions), std::to_string(partitions));
        if (partitions > t.partitions) {
          d->why_not_fixed = "Kafka cannot remove partitions";
        } else if (fix) {
          create_partitions(t.name, t.partitions);
          d->fixed = true;
        }
      }
      if (actual.replication() != t.replication) {
        differ("replication", std::to_string(t.replication), std::to_string(actual.replication()))
            ->why_not_fixed = "changing replication needs a partition reassignment";
      }
      std::vector<ConfigChange> changes;
      std::vector<std::size_t> config_diffs;
      for (const auto& [key, value] : t.configs) {
        const ConfigEntry* entry = actual.config(key);
        const std::string have = entry && entry->value ? *entry->value : "";
        if (normal_value(key, have) == normal_value(key, value)) continue;
        differ(key, value, have);
        config_diffs.push_back(report.differences.size() - 1);
        changes.push_back(ConfigChange::set(key, value));
      }
      if (fix && !changes.empty()) {
        alter_configs(ConfigResource::topic(t.name), changes);
        for (const std::size_t i : config_diffs) report.differences[i].fixed = true;
      }
    }
    return report;  // its warnings are the caller's to show
  });
}

}  // namespace mib
