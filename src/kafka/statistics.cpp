#include "kafka/statistics.hpp"

#include <simdjson.h>

namespace mib::kafka {
namespace {

using simdjson::ondemand::object;

// librdkafka writes -1 (and -1001 for offsets) for what it does not know; none of the
// values read here can be negative otherwise.
Known known(auto& f) {
  std::int64_t v = -1;
  if (f.value().get_int64().get(v) || v < 0) return std::nullopt;
  return v;
}

std::string text(auto& f) {
  std::string_view v;
  return f.value().get_string().get(v) ? std::string{} : std::string{v};
}

// A window with no samples (cnt 0) reports 0 for everything: unknown too.
Window window(auto& f) {
  object fields;
  if (f.value().get_object().get(fields)) return {};
  Window w;
  Known count;
  for (auto member : fields) {
    std::string_view key;
    if (member.unescaped_key().get(key)) continue;
    if (key == "avg")
      w.avg = known(member);
    else if (key == "p99")
      w.p99 = known(member);
    else if (key == "cnt")
      count = known(member);
  }
  if (!count || *count == 0) return {};
  return w;
}

BrokerStatistics broker_of(std::string_view name, object fields) {
  BrokerStatistics broker{.name = std::string{name}};
  for (auto f : fields) {
    std::string_view key;
    if (f.unescaped_key().get(key)) continue;
    if (key == "nodeid") {
      std::int64_t id = -1;
      if (!f.value().get_int64().get(id)) broker.node_id = static_cast<std::int32_t>(id);
    } else if (key == "state") {
      broker.state = text(f);
    } else if (key == "source") {
      broker.source = text(f);
    } else if (key == "txbytes") {
      broker.tx_bytes = known(f).value_or(0);
    } else if (key == "outbuf_cnt") {
      broker.outbuf_requests = known(f);
    } else if (key == "outbuf_msg_cnt") {
      broker.outbuf_messages = known(f);
    } else if (key == "waitresp_cnt") {
      broker.inflight_requests = known(f);
    } else if (key == "waitresp_msg_cnt") {
      broker.inflight_messages = known(f);
    } else if (key == "rtt") {
      broker.rtt_us = window(f);
    }
  }
  return broker;
}

PartitionStatistics partition_of(std::string_view topic, object fields) {
  PartitionStatistics p{.topic = std::string{topic}};
  for (auto f : fields) {
    std::string_view key;
    if (f.unescaped_key().get(key)) continue;
    if (key == "partition") {
      std::int64_t id = -1;
      if (!f.value().get_int64().get(id)) p.partition = static_cast<std::int32_t>(id);
    } else if (key == "txbytes") {
      p.tx_bytes = known(f).value_or(0);
    } else if (key == "fetchq_cnt") {
      p.fetch_queue_messages = known(f);
    } else if (key == "fetchq_size") {
      p.fetch_queue_bytes = known(f);
    } else if (key == "consumer_lag") {
      p.committed_lag = known(f);
    } else if (key == "hi_offset") {
      p.high_watermark = known(f);
    } else if (key == "committed_offset") {
      p.committed_offset = known(f);
    } else if (key == "desired") {
      bool desired = true;
      if (!f.value().get_bool().get(desired)) p.desired = desired;
    }
  }
  return p;
}

void add_topic(std::string_view name, object fields, Statistics& stats) {
  TopicStatistics topic{.topic = std::string{name}};
  for (auto f : fields) {
    std::string_view key;
    object partitions;
    if (f.unescaped_key().get(key)) continue;
    if (key == "batchsize") {
      topic.batch_bytes = window(f);
    } else if (key == "batchcnt") {
      topic.batch_records = window(f);
    } else if (key == "partitions" && !f.value().get_object().get(partitions)) {
      for (auto member : partitions) {
        object partition;
        if (member.value().get_object().get(partition)) continue;
        stats.partitions.push_back(partition_of(name, partition));
      }
    }
  }
  stats.topics.push_back(std::move(topic));
}

GroupStatistics group_of(object fields) {
  GroupStatistics group;
  for (auto f : fields) {
    std::string_view key;
    if (f.unescaped_key().get(key)) continue;
    if (key == "state")
      group.state = text(f);
    else if (key == "join_state")
      group.join_state = text(f);
    else if (key == "assignment_size")
      group.assignment_size = known(f);
    else if (key == "rebalance_cnt")
      group.rebalances = known(f);
  }
  return group;
}

}  // namespace

std::vector<const BrokerStatistics*> Statistics::cluster_brokers() const {
  std::vector<const BrokerStatistics*> learned, bootstrap;
  for (const BrokerStatistics& broker : brokers) {
    if (!broker.real() || broker.state.empty()) continue;
    (broker.node_id >= 0 ? learned : bootstrap).push_back(&broker);
  }
  // Once the brokers are known, the bootstrap entries only repeat them.
  return learned.empty() ? bootstrap : learned;
}

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
  for (auto f : root) {
    std::string_view key;
    object members;
    if (f.unescaped_key().get(key)) continue;
    if (key == "name") {
      stats.name = text(f);
    } else if (key == "msg_cnt") {
      stats.queued_messages = known(f);
    } else if (key == "msg_size") {
      stats.queued_bytes = known(f);
    } else if (key == "cgrp" && !f.value().get_object().get(members)) {
      stats.group = group_of(members);
    } else if ((key == "brokers" || key == "topics") && !f.value().get_object().get(members)) {
      for (auto member : members) {
        std::string_view name;
        object fields;
        if (member.unescaped_key().get(name) || member.value().get_object().get(fields)) continue;
        if (key == "brokers") {
          stats.brokers.push_back(broker_of(name, fields));
        } else {
          add_topic(name, fields, stats);
        }
      }
    }
  }
  return stats;
}

}  // namespace mib::kafka
