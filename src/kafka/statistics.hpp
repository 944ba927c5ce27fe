// Internal: librdkafka's statistics JSON (statistics.interval.ms), parsed in one place
// into what the producer, the client and the metrics read from it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mib::kafka {

struct BrokerStatistics {
  std::string name{};  // "host:port/id", or "host:port/bootstrap" before its id is known
  std::int32_t node_id = -1;
  std::string state{};        // "UP", "DOWN", "CONNECT", "AUTH_HANDSHAKE", ...
  std::string source{};       // "configured", "learned", "internal", "logical"
  std::int64_t tx_bytes = 0;  // bytes sent to it (requests, records compressed)

  // A broker connection, not one of librdkafka's internal or logical broker entries.
  bool real() const { return source != "internal" && source != "logical"; }
};

struct PartitionStatistics {
  std::string topic{};
  std::int32_t partition = -1;  // -1: librdkafka's queue of records not yet partitioned
  std::int64_t tx_bytes = 0;    // record bytes before compression
};

struct Statistics {
  std::vector<BrokerStatistics> brokers{};
  std::vector<PartitionStatistics> partitions{};

  // 1 - (bytes sent on the wire) / (record bytes before compression), over every broker
  // and partition: 0.7 means 70% smaller. Nothing if no records were sent. Wire bytes
  // include request framing, so the ratio slightly underestimates.
  std::optional<double> compression_ratio() const;
};

// Nothing if the text is not librdkafka's statistics object.
std::optional<Statistics> parse_statistics(std::string_view json);

}  // namespace mib::kafka
