// librdkafka's statistics, parsed once: broker states for the Client, the compression
// ratio for the Producer.
#include <gtest/gtest.h>

#include "client/broker_states.hpp"
#include "kafka/statistics.hpp"

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
