#include "producer/compression_stats.hpp"

#include <simdjson.h>

#include <cstdint>

namespace mib::producer {
namespace {

// Sums the "txbytes" of every member object of `object` (brokers, or partitions).
std::int64_t sum_txbytes(simdjson::ondemand::object object, bool skip_unassigned) {
  std::int64_t total = 0;
  for (auto member : object) {
    std::string_view name;
    if (member.unescaped_key().get(name)) continue;
    if (skip_unassigned && name == "-1") continue;  // the not-yet-partitioned queue
    simdjson::ondemand::object entry;
    if (member.value().get_object().get(entry)) continue;
    std::int64_t bytes = 0;
    if (!entry["txbytes"].get_int64().get(bytes)) total += bytes;
  }
  return total;
}

}  // namespace

std::optional<double> compression_ratio(std::string_view json) {
  simdjson::padded_string padded{json};
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  if (parser.iterate(padded).get(doc)) return std::nullopt;
  simdjson::ondemand::object root;
  if (doc.get_object().get(root)) return std::nullopt;
  std::int64_t wire = 0, records = 0;
  for (auto field : root) {
    std::string_view key;
    if (field.unescaped_key().get(key)) continue;
    simdjson::ondemand::object object;
    if (key == "brokers" && !field.value().get_object().get(object)) {
      wire = sum_txbytes(object, false);
    } else if (key == "topics" && !field.value().get_object().get(object)) {
      for (auto topic : object) {
        simdjson::ondemand::object partitions;
        if (topic.value()["partitions"].get_object().get(partitions)) continue;
        records += sum_txbytes(partitions, true);
      }
    }
  }
  if (records <= 0) return std::nullopt;
  return 1.0 - static_cast<double>(wire) / static_cast<double>(records);
}

}  // namespace mib::producer
