// Client against the real broker: what Kafka says about itself.
#include <gtest/gtest.h>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

TEST(RealBrokerClient, MetadataHealthAndStatus) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("client-md");
  mib::test::create_topic(brokers, topic, 3);
  mib::Config config;
  config.set("brokers.addresses", brokers);
  mib::Client client{config};

  const auto md = client.metadata(10s);
  EXPECT_FALSE(md.cluster_id.empty());
  EXPECT_GE(md.controller, 0);
  ASSERT_FALSE(md.brokers.empty());
  const auto* info = md.topic(topic);
  ASSERT_NE(info, nullptr);
  ASSERT_EQ(info->partitions.size(), 3u);
  for (const auto& p : info->partitions) {
    EXPECT_GE(p.leader, 0);
    EXPECT_FALSE(p.replicas.empty());
    EXPECT_EQ(p.isr.size(), p.replicas.size());
  }
  EXPECT_TRUE(mib::test::wait_until(
      [&] { return client.status().state == mib::ConnectionState::connected; }, 10s))
      << mib::to_string(client.status());
  const auto report = client.health(5s);
  EXPECT_TRUE(report.healthy()) << (report.problems.empty() ? "" : report.problems.front());
  EXPECT_EQ(report.brokers, md.brokers.size());
}
