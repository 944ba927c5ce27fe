// The vertical slice against the real broker: the same checks as on the embedded one.
#include <gtest/gtest.h>

#include "mib/mib.hpp"
#include "support/roundtrip.hpp"
#include "support/test_cluster.hpp"

TEST(RealBrokerRoundtrip, KeyedRecordsArriveOnceInPartitionOrder) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("roundtrip");
  mib::test::create_topic(brokers, topic, 4);
  mib::test::expect_roundtrip(brokers, topic, 5000, 23);
}

TEST(RealBrokerRoundtrip, UnknownTopicIsReportedNotLost) {
  // Kafka may create topics on first use; this one is refused because its name is not legal.
  mib::Producer producer{
      {{"bootstrap.servers", mib::test::test_brokers()}, {"message.timeout.ms", "5000"}}};
  const auto report = producer.send({.topic = "bad topic name!", .key = "k", .value = "v"}).get();
  EXPECT_FALSE(report.ok());
  EXPECT_NE(report.error.message().find("bad topic name!"), std::string::npos)
      << report.error.message();
}

TEST(RealBrokerRoundtrip, ExplicitPartitionAndTimestampAreKept) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("placed");
  mib::test::create_topic(brokers, topic, 3);
  mib::Producer producer{{{"bootstrap.servers", brokers}}};
  const mib::Timestamp at{std::chrono::milliseconds{1'700'000'000'123}};
  const auto report =
      producer.send({.topic = topic, .key = "k", .value = "v", .partition = 2, .timestamp = at})
          .get();
  ASSERT_TRUE(report.ok()) << report.error.message();
  EXPECT_EQ(report.partition, 2);
  EXPECT_EQ(report.timestamp, at);
  EXPECT_EQ(report.timestamp_type, mib::TimestampType::create_time);
}
