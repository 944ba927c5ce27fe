// librdkafka's statistics, parsed once: broker states for the Client, the compression
// ratio for the Producer.
#include <gtest/gtest.h>

#include "client/broker_states.hpp"
#include "kafka/statistics.hpp"
#include "kafka/statistics_metrics.hpp"

namespace {

// The shape librdkafka 2.0.2 writes, cut down to the fields read, with the entries it
// really has: a bootstrap broker, a learned one, its internal and logical entries, and the
// unpartitioned queue (-1) of a topic.
constexpr const char* kStatistics = R"({
  "name": "rdkafka#producer-1", "type": "producer", "msg_cnt": 0,
  "brokers": {
    "127.0.0.1:9092/bootstrap": {"name": "127.0.0.1:9092/bootstrap", "nodeid": -1,
                                 "source": "configured", "state": "UP", "txbytes": 100},
    "127.0.0.1:9092/1": {"name": "127.0.0.1:9092/1", "nodeid": 1, "source": "learned",
                         "state": "UP", "txbytes": 2900},
    "GroupCoordinator": {"name": "GroupCoordinator", "nodeid": -1, "source": "logical",
                         "state": "UP", "txbytes": 0},
    ":0/internal": {"name": ":0/internal", "nodeid": -1, "source": "internal",
                    "state": "INIT", "txbytes": 0}
  },
  "topics": {
    "quotes": {"topic": "quotes", "partitions": {
      "0": {"partition": 0, "txbytes": 6000},
      "1": {"partition": 1, "txbytes": 4000},
      "-1": {"partition": -1, "txbytes": 777}
    }}
  }
})";

}  // namespace

TEST(Statistics, BrokersAndPartitionsAreReadOnce) {
  const auto statistics = mib::kafka::parse_statistics(kStatistics);
  ASSERT_TRUE(statistics);
  ASSERT_EQ(statistics->brokers.size(), 4u);
  ASSERT_EQ(statistics->partitions.size(), 3u);
  // (100 + 2900) bytes on the wire for 10,000 bytes of records: 70% smaller.
  ASSERT_TRUE(statistics->compression_ratio());
  EXPECT_DOUBLE_EQ(*statistics->compression_ratio(), 0.7);
}

TEST(Statistics, BrokerStatesPreferLearnedBrokersOverBootstrapOnes) {
  const auto states = mib::client::broker_states(*mib::kafka::parse_statistics(kStatistics));
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states.at("127.0.0.1:9092/1"), "UP");
}

TEST(Statistics, OnlyBootstrapBrokersStandForTheClusterBeforeAnyIsLearned) {
  const auto statistics = mib::kafka::parse_statistics(R"({"brokers": {
    "127.0.0.1:1/bootstrap": {"nodeid": -1, "source": "configured", "state": "TRY_CONNECT"}}})");
  ASSERT_TRUE(statistics);
  const auto states = mib::client::broker_states(*statistics);
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states.at("127.0.0.1:1/bootstrap"), "TRY_CONNECT");
  EXPECT_FALSE(statistics->compression_ratio());  // nothing sent
}

TEST(Statistics, NotStatisticsGivesNothing) {
  EXPECT_FALSE(mib::kafka::parse_statistics("not json"));
  EXPECT_FALSE(mib::kafka::parse_statistics("[1, 2]"));
}

namespace {

// librdkafka 2.0.2's own example values for what it does not know: -1001 offsets, -1 lag,
// leader and broker, and windows with no samples (cnt 0, every other value 0).
constexpr const char* kConsumerStatistics = R"({
  "name": "mib#consumer-3", "type": "consumer", "msg_cnt": -1, "msg_size": 0,
  "brokers": {
    "127.0.0.1:9092/1": {"name": "127.0.0.1:9092/1", "nodeid": 1, "source": "learned",
      "state": "UP", "txbytes": 10, "outbuf_cnt": 2, "outbuf_msg_cnt": 0, "waitresp_cnt": 1,
      "waitresp_msg_cnt": 0,
      "rtt": {"min": 90, "max": 2100, "avg": 400, "sum": 4000, "cnt": 10, "p50": 350, "p99": 2000},
      "throttle": {"min": 0, "max": 0, "avg": 0, "cnt": 0, "p99": 0}},
    "127.0.0.1:9092/2": {"name": "127.0.0.1:9092/2", "nodeid": 2, "source": "learned",
      "state": "CONNECT", "rtt": {"min": 0, "max": 0, "avg": 0, "sum": 0, "cnt": 0, "p99": 0}}
  },
  "topics": {
    "quotes": {"topic": "quotes", "batchsize": {"avg": 0, "p99": 0, "cnt": 0},
      "batchcnt": {"avg": 7, "p99": 9, "cnt": 3},
      "partitions": {
        "0": {"partition": 0, "leader": 1, "fetchq_cnt": 5, "fetchq_size": 500,
              "hi_offset": 100, "committed_offset": 40, "consumer_lag": 60, "txbytes": 0},
        "1": {"partition": 1, "leader": -1, "broker": -1, "fetchq_cnt": 0, "fetchq_size": 0,
              "app_offset": -1001, "hi_offset": -1001, "committed_offset": -1001,
              "consumer_lag": -1, "txbytes": 0}
      }}
  },
  "cgrp": {"state": "up", "join_state": "steady", "rebalance_cnt": 2, "assignment_size": 2}
})";

}  // namespace

TEST(Statistics, UnknownValuesAreEmptyNotNumbers) {
  const auto s = mib::kafka::parse_statistics(kConsumerStatistics);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->name, "mib#consumer-3");
  EXPECT_FALSE(s->queued_messages);  // -1
  ASSERT_EQ(s->brokers.size(), 2u);
  EXPECT_EQ(s->brokers[0].rtt_us.avg, 400);
  EXPECT_EQ(s->brokers[0].rtt_us.p99, 2000);
  EXPECT_EQ(s->brokers[0].outbuf_requests, 2);
  EXPECT_EQ(s->brokers[0].inflight_requests, 1);
  EXPECT_FALSE(s->brokers[1].rtt_us.avg);  // cnt 0: no samples, not "0 us"
  EXPECT_FALSE(s->brokers[1].rtt_us.p99);
  ASSERT_EQ(s->topics.size(), 1u);
  EXPECT_FALSE(s->topics[0].batch_bytes.avg);
  EXPECT_EQ(s->topics[0].batch_records.avg, 7);
  ASSERT_EQ(s->partitions.size(), 2u);
  EXPECT_EQ(s->partitions[0].committed_lag, 60);
  EXPECT_EQ(s->partitions[0].fetch_queue_messages, 5);
  EXPECT_EQ(s->partitions[0].high_watermark, 100);
  EXPECT_FALSE(s->partitions[1].committed_lag);     // -1
  EXPECT_FALSE(s->partitions[1].high_watermark);    // -1001
  EXPECT_FALSE(s->partitions[1].committed_offset);  // -1001
  ASSERT_TRUE(s->group);
  EXPECT_EQ(s->group->join_state, "steady");
  EXPECT_EQ(s->group->assignment_size, 2);
}

TEST(Statistics, ARevokedPartitionIsNotReportedAsThisConsumersLag) {
  // librdkafka keeps a revoked partition's last offsets ("desired": false); exporting its
  // lag would count the partition twice across the group.
  const auto s = mib::kafka::parse_statistics(R"({"name":"c#1","topics":{"px":{"partitions":{
    "0":{"partition":0,"desired":true,"consumer_lag":4},
    "1":{"partition":1,"desired":false,"consumer_lag":9}}}}})");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->partitions.size(), 2u);
  EXPECT_TRUE(s->partitions[0].desired);
  EXPECT_FALSE(s->partitions[1].desired);
  mib::kafka::StatisticsMetrics view{mib::kafka::StatisticsMetrics::Kind::consumer};
  view.update(*s);
  mib::metrics::Registry registry;
  auto reg = registry.add([&](mib::metrics::Collection& out) { view.collect(out, "c#1"); });
  const auto snapshot = registry.snapshot();
  EXPECT_EQ(snapshot.value("market_intel_consumer_committed_lag", {{"partition", "0"}}), 4);
  EXPECT_FALSE(snapshot.value("market_intel_consumer_committed_lag", {{"partition", "1"}}));
}
