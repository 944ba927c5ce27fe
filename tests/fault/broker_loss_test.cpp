// Losing the leader of a replicated topic loses nothing: records sent before, during and
// after the loss all arrive once. Needs `scripts/kafka start --brokers 3`.
#include <gtest/gtest.h>

#include <cstdlib>

#include "mib/mib.hpp"
#include "support/roundtrip.hpp"
#include "support/test_cluster.hpp"

namespace {

int kafka_script(const std::string& args) {
  const std::string command = std::string{MIB_KAFKA_SCRIPT} + " " + args + " --brokers 3";
  return std::system(command.c_str());
}

}  // namespace

TEST(BrokerLoss, LeaderKilledMidStreamLosesNothing) {
  if (std::getenv("MIB_TEST_FAULT_BROKERS") != nullptr) {
    GTEST_SKIP() << "brokers of an outside cluster cannot be killed from here";
  }
  const auto brokers = mib::test::fault_brokers();
  const auto topic = mib::test::unique_name("broker-loss");
  mib::test::create_topic(brokers, topic, 3, 3);
  ASSERT_FALSE(::testing::Test::HasFailure());

  std::vector<mib::test::Placement> placed;
  mib::test::produce_numbered(brokers, topic, 0, 1000, 11, placed);
  ASSERT_FALSE(::testing::Test::HasFailure());

  const int leader = mib::test::partition_leader(brokers, topic, 0);
  ASSERT_GE(leader, 1);
  ASSERT_EQ(kafka_script("kill-node " + std::to_string(leader)), 0);
  // Restart the node whatever happens below, so the next test has three brokers again.
  struct Restart {
    int node;
    ~Restart() { kafka_script("start-node " + std::to_string(node)); }
  } restart{leader};

  // Two of three replicas remain, which meets min.insync.replicas=2: acks=all succeeds.
  mib::test::produce_numbered(brokers, topic, 1000, 1000, 11, placed);
  ASSERT_FALSE(::testing::Test::HasFailure());
  EXPECT_NE(mib::test::partition_leader(brokers, topic, 0), leader);

  mib::test::expect_consumed_once(brokers, topic, 11, placed);
}

TEST(BrokerLoss, ClientSeesTheBrokerGoAndComeBack) {
  if (std::getenv("MIB_TEST_FAULT_BROKERS") != nullptr) {
    GTEST_SKIP() << "brokers of an outside cluster cannot be killed from here";
  }
  using namespace std::chrono_literals;
  const auto brokers = mib::test::fault_brokers();
  const auto topic = mib::test::unique_name("client-loss");
  mib::test::create_topic(brokers, topic, 3, 3);
  mib::Config config;
  config.set("brokers.addresses", brokers);
  mib::Client client{config};
  client.metadata(10s);
  ASSERT_TRUE(mib::test::wait_until([&] { return client.broker_status().size() == 3; }, 15s));
  ASSERT_TRUE(client.health(5s).healthy());

  const int victim = 3;
  const std::string suffix = mib::test::concat("/", std::to_string(victim));
  const auto victim_state = [&] {
    for (const auto& [name, status] : client.broker_status()) {
      if (name.ends_with(suffix)) return status.state;
    }
    return mib::ConnectionState::disconnected;
  };
  ASSERT_TRUE(mib::test::wait_until(
      [&] { return victim_state() == mib::ConnectionState::connected; }, 15s));
  ASSERT_EQ(kafka_script("kill-node " + std::to_string(victim)), 0);
  struct Restart {
    int node;
    ~Restart() { kafka_script("start-node " + std::to_string(node)); }
  } restart{victim};

  EXPECT_TRUE(mib::test::wait_until(
      [&] { return victim_state() == mib::ConnectionState::reconnecting; }, 20s));
  // The cluster still serves: the client stays connected to the other two.
  EXPECT_EQ(client.status().state, mib::ConnectionState::connected);
  // Once the controller fences the broker, its partitions shrink their ISR.
  mib::HealthReport report;
  EXPECT_TRUE(mib::test::wait_until(
      [&] {
        report = client.health(5s);
        return !report.warnings.empty();
      },
      45s));
  EXPECT_TRUE(report.healthy()) << report.problems.front();
  EXPECT_NE(report.warnings.front().find("under-replicated"), std::string::npos);

  ASSERT_EQ(kafka_script("start-node " + std::to_string(victim)), 0);
  // librdkafka (2.10, #4557) forgets a broker the cluster's metadata stopped listing and
  // learns it again from the next metadata: the health checks a monitor runs bring it back.
  EXPECT_TRUE(mib::test::wait_until(
      [&] {
        client.health(5s);
        return victim_state() == mib::ConnectionState::connected;
      },
      30s));
}
