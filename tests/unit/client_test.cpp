// Client on the embedded broker: metadata, connection status and health.
#include <gtest/gtest.h>

#include <mutex>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {
mib::Config config_for(const std::string& bootstrap) {
  mib::Config config;
  config.brokers.addresses = {bootstrap};
  return config;
}
}  // namespace

TEST(Client, MetadataListsBrokersTopicsAndPartitions) {
  mib::EmbeddedCluster cluster{3};
  cluster.create_topic("quotes", 6, 3);
  mib::Client client{config_for(cluster.bootstrap_servers())};
  const auto md = client.metadata(10s);
  EXPECT_EQ(md.brokers.size(), 3u);
  const mib::TopicInfo* topic = md.topic("quotes");
  ASSERT_NE(topic, nullptr);
  EXPECT_TRUE(topic->error.ok());
  ASSERT_EQ(topic->partitions.size(), 6u);
  for (const auto& p : topic->partitions) {
    EXPECT_GE(p.leader, 1);
    EXPECT_EQ(p.replicas.size(), 3u);
    EXPECT_EQ(p.isr.size(), 3u);
  }
}

TEST(Client, StatusBecomesConnectedAndCallbacksSeeIt) {
  mib::EmbeddedCluster cluster;
  mib::Client client{config_for(cluster.bootstrap_servers())};
  std::mutex mutex;
  std::vector<std::string> seen;
  client.on_status_change([&](const std::string& broker, const mib::ConnectionStatus& s) {
    const std::lock_guard lock{mutex};
    seen.push_back((broker.empty() ? "cluster" : broker) + "=" + mib::to_string(s));
  });
  client.metadata(5s);  // makes the client connect to the broker it learns of
  // The statistics name each broker a moment after the cluster status is Connected.
  EXPECT_TRUE(mib::test::wait_until(
      [&] {
        const auto brokers = client.broker_status();
        return client.status().state == mib::ConnectionState::connected && brokers.size() == 1 &&
               brokers.begin()->second.state == mib::ConnectionState::connected;
      },
      10s))
      << mib::to_string(client.status());
  const auto brokers = client.broker_status();
  ASSERT_EQ(brokers.size(), 1u);
  EXPECT_EQ(brokers.begin()->second.state, mib::ConnectionState::connected);
  const std::lock_guard lock{mutex};
  EXPECT_NE(std::find(seen.begin(), seen.end(), "cluster=Connected"), seen.end());
}

TEST(Client, HealthIsGoodOnAWorkingCluster) {
  mib::EmbeddedCluster cluster;
  cluster.create_topic("t", 2);
  mib::Client client{config_for(cluster.bootstrap_servers())};
  const auto report = client.health(5s);
  EXPECT_TRUE(report.healthy()) << (report.problems.empty() ? "" : report.problems.front());
  EXPECT_EQ(report.brokers, 1u);
}

TEST(Client, HealthSaysWhatIsWrongWhenNoBrokerAnswers) {
  auto config = config_for("127.0.0.1:1");
  config.librdkafka.all["log_level"] = "0";
  mib::Client client{config};
  const auto report = client.health(500ms);
  ASSERT_FALSE(report.healthy());
  EXPECT_NE(report.problems.front().find("metadata from 127.0.0.1:1 within 500ms"),
            std::string::npos)
      << report.problems.front();
  EXPECT_NE(client.status().state, mib::ConnectionState::connected);
  EXPECT_THROW(client.metadata(200ms), mib::Exception);
}

TEST(Client, RefusesAnInvalidConfigurationListingEveryProblem) {
  mib::Config config;
  config.producer.acks = mib::Acks::leader;
  config.consumer.group_id.clear();
  try {
    mib::Client client{config};
    FAIL() << "expected ConfigError";
  } catch (const mib::ConfigError& e) {
    EXPECT_EQ(e.issues().size(), 2u) << e.what();
  }
}

TEST(Client, MakesProducersAndConsumersFromItsConfig) {
  mib::EmbeddedCluster cluster;
  cluster.create_topic("made", 1);
  auto config = config_for(cluster.bootstrap_servers());
  config.consumer.auto_offset_reset = mib::OffsetReset::earliest;
  mib::Client client{config};
  auto producer = client.producer();
  ASSERT_TRUE(producer.send({.topic = "made", .key = "k", .value = "v"}).get().ok());
  auto consumer = client.consumer({.group_id = "made-group", .topics = {"made"}});
  std::optional<mib::Message> message;
  ASSERT_TRUE(
      mib::test::wait_until([&] { return (message = consumer.poll(100ms)).has_value(); }, 10s));
  EXPECT_EQ(message->value(), "v");
}

// The status leaves Connecting: Error with the reason when nothing answers, Connected as
// soon as a broker does.
TEST(ClientStatus, NothingListeningBecomesErrorNamingTheBrokerAndTheCause) {
  mib::Client client{config_for("127.0.0.1:1")};
  ASSERT_TRUE(mib::test::wait_until(
      [&] { return client.status().state == mib::ConnectionState::error; }, 15s))
      << mib::to_string(client.status());
  const mib::ConnectionStatus status = client.status();
  EXPECT_NE(status.reason.find("broker 127.0.0.1:1: connection refused"), std::string::npos)
      << status.reason;
  // The bootstrap connection is observed too, not an empty map.
  ASSERT_TRUE(mib::test::wait_until([&] { return !client.broker_status().empty(); }, 5s));
  const auto brokers = client.broker_status();
  EXPECT_TRUE(brokers.contains("127.0.0.1:1/bootstrap")) << brokers.begin()->first;
  EXPECT_NE(brokers.begin()->second.state, mib::ConnectionState::connected);

  const mib::Error waited = client.wait_for_cluster(1500ms);
  EXPECT_TRUE(waited);
  EXPECT_NE(waited.message().find("connection refused"), std::string::npos) << waited.message();
}

TEST(ClientStatus, HealthyClusterIsConnectedAsSoonAsHealthSaysSo) {
  mib::EmbeddedCluster cluster;
  mib::Client client{config_for(cluster.bootstrap_servers())};
  const mib::HealthReport report = client.health(10s);
  ASSERT_TRUE(report.healthy()) << (report.problems.empty() ? "" : report.problems.front());
  EXPECT_EQ(client.status().state, mib::ConnectionState::connected)
      << mib::to_string(client.status());
  EXPECT_FALSE(client.wait_for_cluster(5s)) << "a reachable cluster";
}
