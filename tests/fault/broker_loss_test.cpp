// Losing the leader of a replicated topic loses nothing: records sent before, during and
// after the loss all arrive once. Needs `scripts/kafka start --brokers 3`.
#include <gtest/gtest.h>

#include <cstdlib>

#include "support/roundtrip.hpp"
#include "support/test_cluster.hpp"

namespace {

std::string fault_brokers() {
  const char* env = std::getenv("MIB_TEST_FAULT_BROKERS");
  return env != nullptr && *env != '\0' ? env : "127.0.0.1:9192,127.0.0.1:9193,127.0.0.1:9194";
}

int kafka_script(const std::string& args) {
  const std::string command = std::string{MIB_KAFKA_SCRIPT} + " " + args + " --brokers 3";
  return std::system(command.c_str());
}

}  // namespace

TEST(BrokerLoss, LeaderKilledMidStreamLosesNothing) {
  if (std::getenv("MIB_TEST_FAULT_BROKERS") != nullptr) {
    GTEST_SKIP() << "brokers of an outside cluster cannot be killed from here";
  }
  const auto brokers = fault_brokers();
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
