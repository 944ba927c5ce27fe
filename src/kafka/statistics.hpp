// Internal: librdkafka's statistics JSON (statistics.interval.ms), parsed in one place
// into what the producer, the consumer, the client and the metrics read from it. A value
// librdkafka writes as unknown (-1, -1001 for offsets, a window with no samples) is empty
// here, so it is never exported as a number.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mib::kafka {

using Known = std::optional<std::int64_t>;  // empty: librdkafka did not know

// One of librdkafka's rolling windows (rtt, batchsize, ...): one interval's samples.
struct Window {
  Known avg{};
  Known p99{};
};

struct BrokerStatistics {
  std::string name{};  // "host:port/id", or "host:port/bootstrap" before its id is known
  std::int32_t node_id = -1;
  std::string state{};        // "UP", "DOWN", "CONNECT", "AUTH_HANDSHAKE", ...
  std::string source{};       // "configured", "learned", "internal", "logical"
  std::int64_t tx_bytes = 0;  // bytes sent to it (requests, records compressed)
  Known outbuf_requests{};    // requests waiting to be sent (outbuf_cnt)
  Known outbuf_messages{};    // records in them (outbuf_msg_cnt)
  Known inflight_requests{};  // sent, awaiting a response (waitresp_cnt)
  Known inflight_messages{};  // records in them (waitresp_msg_cnt)
  Window rtt_us{};            // round-trip time, microseconds

  // A broker connection, not one of librdkafka's internal or logical broker entries.
  bool real() const { return source != "internal" && source != "logical"; }
};

struct TopicStatistics {
  std::string topic{};
  Window batch_bytes{};    // producer: batch size after compression (batchsize)
  Window batch_records{};  // records per batch (batchcnt)
};

struct PartitionStatistics {
  std::string topic{};
  std::int32_t partition = -1;   // -1: librdkafka's queue of records not yet partitioned
  std::int64_t tx_bytes = 0;     // record bytes before compression
  Known fetch_queue_messages{};  // consumer: pre-fetched, not yet polled (fetchq_cnt)
  Known fetch_queue_bytes{};     // fetchq_size
  Known committed_lag{};         // log end - committed offset (consumer_lag)
  Known high_watermark{};        // hi_offset
  Known committed_offset{};
  bool desired = true;  // assigned to (wanted by) the application; false once revoked
};

struct GroupStatistics {
  std::string state{};       // "up", "wait-coord", ...
  std::string join_state{};  // "steady", "wait-join", ...
  Known assignment_size{};
  Known rebalances{};
};

struct Statistics {
  std::string name{};       // the handle's name, rd_kafka_name()
  Known queued_messages{};  // producer: records in librdkafka's queues (msg_cnt)
  Known queued_bytes{};     // msg_size
  std::vector<BrokerStatistics> brokers{};
  std::vector<TopicStatistics> topics{};
  std::vector<PartitionStatistics> partitions{};
  std::optional<GroupStatistics> group{};

  // The real brokers that stand for the cluster: those with a node id, or, until one is
  // known, the bootstrap entries ("host:port/bootstrap") that lead to them.
  std::vector<const BrokerStatistics*> cluster_brokers() const;

  // 1 - (bytes sent on the wire) / (record bytes before compression), over every broker
  // and partition: 0.7 means 70% smaller. Nothing if no records were sent. Wire bytes
  // include request framing, so the ratio slightly underestimates.
  std::optional<double> compression_ratio() const;
};

// Nothing if the text is not librdkafka's statistics object.
std::optional<Statistics> parse_statistics(std::string_view json);

}  // namespace mib::kafka
