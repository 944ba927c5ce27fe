#include "kafka/statistics.hpp"

#include <simdjson.h>

namespace mib::kafka {
namespace {

using simdjson::ondemand::object;

BrokerStatistics broker_of(std::string_view name, object fields) {
  BrokerStatistics broker{.name = std::string{name}};
  for (auto field : fields) {
    std::string_view key, text;
    if (field.unescaped_key().get(key)) continue;
    if (key == "nodeid") {
      std::int64_t id = -1;
      if (!field.value().get_int64().get(id)) broker.node_id = static_cast<std::int32_t>(id);
    } else if (key == "state" && !field.value().get_string().get(text)) {
      broker.state = text;
    } else if (key == "source" && !field.value().get_string().get(text)) {
      broker.source = text;
    } else if (key == "txbytes") {
      if (field.value().get_int64().get(broker.tx_bytes)) broker.tx_bytes = 0;
    }
  }
  return broker;
}

void add_partitions(std::string_view topic, object fields, std::vector<PartitionStatistics>& out) {
  object partitions;
  if (fields["partitions"].get_object().get(partitions)) return;
  for (auto member : partitions) {
    object partition;
    if (member.value().get_object().get(partition)) continue;
    PartitionStatistics stats{.topic = std::string{topic}};
    std::int64_t id = -1;
    if (!partition["partition"].get_int64().get(id))
      stats.partition = static_cast<std::int32_t>(id);
    if (partition["txbytes"].get_int64().get(stats.tx_bytes)) stats.tx_bytes = 0;
    out.push_back(std::move(stats));
  }
}

}  // namespace

std::optional<double> Statistics::compression_ratio() const {
  std::int64_t wire = 0, records = 0;
  for (const auto& broker : brokers) wire += broker.tx_bytes;
  for (const auto& partition : partitions) {
    if (partition.partition >= 0) records += partition.tx_bytes;  // not -1: not sent yet
  }
  if (records <= 0) return std::nullopt;
  return 1.0 - static_cast<double>(wire) / static_cast<double>(records);
}

std::optional<Statistics> parse_statistics(std::string_view json) {
  simdjson::padded_string padded{json};
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  object root;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(root)) return std::nullopt;
  Statistics stats;
  for (auto field : root) {
    std::string_view key;
    object members;
    if (field.unescaped_key().get(key)) continue;
    if (key != "brokers" && key != "topics") continue;
    if (field.value().get_object().get(members)) continue;
    for (auto member : members) {
      std::string_view name;
      object fields;
      if (member.unescaped_key().get(name) || member.value().get_object().get(fields)) continue;
      if (key == "brokers") {
        stats.brokers.push_back(broker_of(name, fields));
      } else {
        add_partitions(name, fields, stats.partitions);
      }
    }
  }
  return stats;
}

}  // namespace mib::kafka
