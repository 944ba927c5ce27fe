// tools/kafka/AdminProbe.java, the second path by which tests read a broker's state, on
// the real broker: what it shows must be what was made by other means (the tests' own
// create_topic, mib::Producer), or it would check nothing.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdint>
#include <string>

#include "mib/mib.hpp"
#include "support/kafka_probe.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {

// The port of the first "host:port" of a broker list.
std::int64_t first_port(const std::string& brokers) {
  const auto first = brokers.substr(0, brokers.find(','));
  return std::stoll(first.substr(first.rfind(':') + 1));
}

}  // namespace

TEST(KafkaProbe, DescribeTopicShowsItsPartitionsAndTheConfigItWasCreatedWith) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("probe-describe");
  mib::test::create_topic(brokers, topic, 3, 1, {{"retention.ms", "3600000"}});

  const std::string text = mib::test::probe({"describe-topic", topic}, brokers);
  simdjson::dom::parser parser;
  const simdjson::dom::element described = parser.parse(text);
  EXPECT_EQ(std::string_view{described["name"]}, topic);
  EXPECT_FALSE(described["internal"].get_bool().value());
  const simdjson::dom::array partitions = described["partitions"];
  ASSERT_EQ(partitions.size(), 3u) << text;
  std::int64_t expected = 0;
  for (const simdjson::dom::element partition : partitions) {
    EXPECT_EQ(std::int64_t{partition["partition"]}, expected++);
    EXPECT_TRUE(partition["leader"].is_int64()) << text;
    EXPECT_EQ(simdjson::dom::array{partition["replicas"]}.size(), 1u);
    EXPECT_EQ(simdjson::dom::array{partition["isr"]}.size(), 1u);
  }
  bool found = false;
  for (const simdjson::dom::element config : simdjson::dom::array{described["configs"]}) {
    if (std::string_view{config["name"]} != "retention.ms") continue;
    found = true;
    EXPECT_EQ(std::string_view{config["value"]}, "3600000");
    EXPECT_EQ(std::string_view{config["source"]}, "DYNAMIC_TOPIC_CONFIG");
  }
  EXPECT_TRUE(found) << "retention.ms missing from the topic's non-default configs: " << text;
}

TEST(KafkaProbe, ClusterShowsTheBrokerWithItsPort) {
  const auto brokers = mib::test::test_brokers();
  const std::string text = mib::test::probe({"cluster"}, brokers);
  simdjson::dom::parser parser;
  const simdjson::dom::element cluster = parser.parse(text);
  EXPECT_FALSE(std::string_view{cluster["cluster_id"]}.empty());
  const simdjson::dom::array nodes = cluster["nodes"];
  ASSERT_EQ(nodes.size(), 1u) << text;
  EXPECT_EQ(std::int64_t{nodes.at(0)["id"]}, 1);
  EXPECT_EQ(std::int64_t{nodes.at(0)["port"]}, first_port(brokers));
  EXPECT_EQ(std::string_view{nodes.at(0)["rack"]}, "rack-1") << text;  // scripts/kafka sets it
}

TEST(KafkaProbe, LogOffsetsShowTheRecordsOurProducerWrote) {
  constexpr int kRecords = 25;
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("probe-offsets");
  mib::test::create_topic(brokers, topic, 1);
  {
    mib::Producer producer{{{"bootstrap.servers", brokers}}};
    for (int i = 0; i < kRecords; ++i) {
      producer.send(
          {.topic = topic, .key = "k", .value = mib::test::concat("v", std::to_string(i))},
          [](const mib::DeliveryReport& r) { EXPECT_TRUE(r.ok()) << r.error.message(); });
    }
    ASSERT_TRUE(producer.flush(30s).ok());
  }

  const std::string text = mib::test::probe({"log-offsets", topic}, brokers);
  simdjson::dom::parser parser;
  const simdjson::dom::element offsets = parser.parse(text);
  EXPECT_EQ(std::string_view{offsets["topic"]}, topic);
  const simdjson::dom::array partitions = offsets["partitions"];
  ASSERT_EQ(partitions.size(), 1u) << text;
  EXPECT_EQ(std::int64_t{partitions.at(0)["earliest"]}, 0);
  EXPECT_EQ(std::int64_t{partitions.at(0)["latest"]}, kRecords);
}

TEST(KafkaProbe, AFailureThrowsWithTheBrokersReason) {
  const auto topic = mib::test::unique_name("probe-missing");
  try {
    mib::test::probe({"describe-topic", topic}, mib::test::test_brokers());
    ADD_FAILURE() << "describe-topic of a topic that does not exist succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string{e.what()}.find("UnknownTopicOrPartitionException"), std::string::npos)
        << e.what();
  }
}
