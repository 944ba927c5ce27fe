// The admin commands as a user runs them: `topic`, `group`, `topics ensure` and `cluster`
// on the real broker, their tables and --json, exit 1 for a broker's refusal and 2 for a
// usage mistake. What they change is checked through Kafka's own Admin client.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "cli_run.hpp"
#include "mib/mib.hpp"
#include "support/kafka_probe.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;
using mib::test::run_cli;

namespace {

std::string joined(const mib::test::CliRun& run) {
  std::string all;
  for (const auto& line : run.lines) all += line + '\n';
  return all;
}

// The table row whose first columns are `start` (words separated by runs of spaces).
std::vector<std::string> row(const mib::test::CliRun& run, const std::vector<std::string>& start) {
  for (const auto& line : run.lines) {
    std::vector<std::string> words;
    std::istringstream in{line};
    for (std::string w; in >> w;) words.push_back(w);
    if (words.size() >= start.size() && std::equal(start.begin(), start.end(), words.begin())) {
      return words;
    }
  }
  return {};
}

std::size_t probe_partitions(const std::string& topic) {
  simdjson::dom::parser parser;
  const auto text = mib::test::probe({"describe-topic", topic}, mib::test::test_brokers());
  return parser.parse(text)["partitions"].get_array().size();
}

}  // namespace

TEST(TopicCli, CreateListDescribeAlterGrowAndDelete) {
  const auto b = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("topic-cli");

  auto run = run_cli(
      {"topic", "create", topic, "-b", b, "-p", "2", "-r", "1", "-c", "retention.ms=3600000"});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  EXPECT_EQ(joined(run), "created topic " + topic + "\n");
  EXPECT_EQ(probe_partitions(topic), 2u);

  run = run_cli({"topic", "create", topic, "-b", b, "-p", "2"});
  EXPECT_EQ(run.exit_code, 1) << run.output();
  EXPECT_NE(run.errors.find("create topic '" + topic + "'"), std::string::npos) << run.output();
  EXPECT_NE(run.errors.find("already exists"), std::string::npos) << run.output();
  run = run_cli({"topic", "create", topic, "-b", b, "--if-not-exists"});
  EXPECT_EQ(run.exit_code, 0) << run.output();
  EXPECT_EQ(joined(run), "topic " + topic + " exists\n");

  run = run_cli({"topic", "list", "-b", b});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  EXPECT_EQ(row(run, {"NAME"}), (std::vector<std::string>{"NAME", "PARTITIONS", "INTERNAL"}));
  EXPECT_EQ(row(run, {topic}), (std::vector<std::string>{topic, "2", "no"})) << run.output();

  run = run_cli({"topic", "describe", topic, "-b", b});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  EXPECT_EQ(row(run, {"1"}), (std::vector<std::string>{"1", "1", "1", "1"})) << run.output();
  EXPECT_EQ(row(run, {"retention.ms"}),
            (std::vector<std::string>{"retention.ms", "3600000", "DYNAMIC_TOPIC_CONFIG"}))
      << run.output();

  run = run_cli({"topic", "alter", topic, "-b", b, "--set", "retention.ms=7200000", "--append",
                 "cleanup.policy=compact"});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  {
    simdjson::dom::parser parser;
    const auto text = mib::test::probe({"topic-config", topic}, b);
    std::map<std::string, std::string> configs;
    for (auto c : parser.parse(text)["configs"].get_array()) {
      if (!c["value"].is_null()) {
        configs[std::string{std::string_view{c["name"]}}] =
            std::string{std::string_view{c["value"]}};
      }
    }
    EXPECT_EQ(configs["retention.ms"], "7200000");
    EXPECT_EQ(configs["cleanup.policy"], "delete,compact");
  }

  run = run_cli({"topic", "add-partitions", topic, "-b", b, "-n", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  EXPECT_EQ(probe_partitions(topic), 4u);

  run = run_cli({"topic", "describe", topic, "-b", b, "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  {
    simdjson::dom::parser parser;
    const auto doc = parser.parse(joined(run));
    EXPECT_EQ(std::string_view{doc["name"]}, topic);
    EXPECT_EQ(doc["partitions"].get_array().size(), 4u);
    EXPECT_EQ(int64_t(doc["partitions"].at(3)["leader"]), 1);
  }

  run = run_cli({"topic", "delete", topic, "-b", b});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  EXPECT_TRUE(mib::test::wait_until(
      [&] {
        return mib::test::probe({"topics"}, b).find("\"" + topic + "\"") == std::string::npos;
      },
      30s));
}

TEST(TopicCli, UsageMistakesExit2NamingTheFlag) {
  const auto b = mib::test::test_brokers();
  auto run = run_cli({"topic", "create", "t", "-b", b, "-c", "retention.ms"});
  EXPECT_EQ(run.exit_code, 2) << run.output();
  EXPECT_NE(run.errors.find("--topic-config"), std::string::npos) << run.output();
  run = run_cli({"topic", "create", "t", "-b", b, "-c", "retention.ms=1", "-c", "retention.ms=2"});
  EXPECT_EQ(run.exit_code, 2) << run.output();
  EXPECT_NE(run.errors.find("'retention.ms' is given twice"), std::string::npos) << run.output();
  run = run_cli({"topic", "add-partitions", "t", "-b", b});
  EXPECT_EQ(run.exit_code, 2) << run.output();
  EXPECT_NE(run.errors.find("--num or --to"), std::string::npos) << run.output();
  run = run_cli({"group", "reset", "g", "-b", b, "--to-earliest", "--to-latest"});
  EXPECT_EQ(run.exit_code, 2) << run.output();
  EXPECT_NE(run.errors.find("exactly one of"), std::string::npos) << run.output();
  run = run_cli({"group", "reset", "g", "-b", b, "--to-datetime", "yesterday"});
  EXPECT_EQ(run.exit_code, 2) << run.output();
  EXPECT_NE(run.errors.find("--to-datetime"), std::string::npos) << run.output();
}

TEST(GroupCli, DescribeShowsLagMatchingKnownOffsetsAndResetIsADryRunUnlessExecuted) {
  const auto b = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("group-cli");
  const auto group = mib::test::unique_name("group-cli-g");
  mib::test::create_topic(b, topic, 2);
  {
    mib::Producer producer{{{"bootstrap.servers", b}}};
    for (int i = 0; i < 7; ++i) producer.send({.topic = topic, .value = "x", .partition = 0});
    for (int i = 0; i < 3; ++i) producer.send({.topic = topic, .value = "x", .partition = 1});
    ASSERT_FALSE(producer.flush(30s));
  }
  {
    mib::Consumer consumer{{{"bootstrap.servers", b}, {"group.id", group}}};
    consumer.assign({{topic, 0}, {topic, 1}});
    ASSERT_FALSE(consumer.commit({{topic, 0, 5}, {topic, 1, 1}}));
  }

  auto run = run_cli({"group", "describe", group, "-b", b});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  EXPECT_EQ(row(run, {"TOTAL-LAG"}), (std::vector<std::string>{"TOTAL-LAG", "4"})) << run.output();
  EXPECT_EQ(row(run, {topic, "0"}),
            (std::vector<std::string>{topic, "0", "5", "7", "2", "-", "-", "-"}))
      << run.output();
  EXPECT_EQ(row(run, {topic, "1"}),
            (std::vector<std::string>{topic, "1", "1", "3", "2", "-", "-", "-"}))
      << run.output();

  run = run_cli({"group", "describe", group, "-b", b, "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  {
    simdjson::dom::parser parser;
    const auto doc = parser.parse(joined(run));
    EXPECT_EQ(int64_t(doc["total_lag"]), 4);
    EXPECT_EQ(int64_t(doc["partitions"].at(0)["lag"]), 2);
    EXPECT_EQ(int64_t(doc["partitions"].at(0)["log_end_offset"]), 7);
  }

  run = run_cli({"group", "list", "-b", b});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  EXPECT_EQ(row(run, {group}).size(), 3u) << run.output();

  run = run_cli({"group", "reset", group, "-b", b, "--to-earliest"});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  EXPECT_EQ(row(run, {topic, "0"}), (std::vector<std::string>{topic, "0", "5", "0"}));
  EXPECT_NE(joined(run).find("dry run"), std::string::npos);
  run = run_cli({"group", "offsets", group, "-b", b});
  EXPECT_EQ(row(run, {topic, "0"}), (std::vector<std::string>{topic, "0", "5"})) << run.output();

  run = run_cli({"group", "reset", group, "-b", b, "--shift-by", "-1", "--execute"});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  const auto offsets = mib::test::probe({"group-offsets", group}, b);
  EXPECT_NE(offsets.find("\"partition\":0,\"offset\":4"), std::string::npos) << offsets;
  EXPECT_NE(offsets.find("\"partition\":1,\"offset\":0"), std::string::npos) << offsets;

  run = run_cli({"group", "delete", group, "-b", b});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  run = run_cli({"group", "describe", group, "-b", b});
  EXPECT_EQ(run.exit_code, 1) << run.output();
  EXPECT_NE(run.errors.find("describe group '" + group + "': no such group"), std::string::npos)
      << run.output();
  run = run_cli({"group", "offsets", group, "-b", b});
  EXPECT_EQ(run.exit_code, 1) << run.output();
  EXPECT_NE(run.errors.find("no such group"), std::string::npos) << run.output();
}

TEST(TopicsCli, EnsureCreatesTheStandardTopicsThenFindsThemInPlace) {
  const auto b = mib::test::test_brokers();
  const auto prefix = mib::test::unique_name("ensure-cli");
  auto run = run_cli({"topics", "ensure", "-b", b, "--prefix", prefix});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  EXPECT_NE(joined(run).find("created " + prefix + ".market_data\n"), std::string::npos)
      << run.output();
  EXPECT_NE(run.errors.find("capped to 1"), std::string::npos) << run.output();
  EXPECT_EQ(probe_partitions(prefix + ".market_data"), 12u);

  run = run_cli({"topics", "ensure", "-b", b, "--prefix", prefix, "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  simdjson::dom::parser parser;
  const auto doc = parser.parse(joined(run));
  EXPECT_EQ(doc["created"].get_array().size(), 0u);
  EXPECT_EQ(doc["existing"].get_array().size(), 5u);
  EXPECT_TRUE(bool(doc["consistent"]));
}

TEST(ClusterCli, JsonNamesTheClusterAndItsBrokers) {
  const auto b = mib::test::test_brokers();
  const auto run = run_cli({"cluster", "-b", b, "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  simdjson::dom::parser parser;
  const auto doc = parser.parse(joined(run));
  const auto probe_text = mib::test::probe({"cluster"}, b);
  simdjson::dom::parser probe_parser;
  const auto probe = probe_parser.parse(probe_text);
  const std::string_view id = doc["cluster_id"];
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(id, std::string_view{probe["cluster_id"]});
  EXPECT_EQ(int64_t(doc["brokers"].at(0)["id"]), 1);
  EXPECT_EQ(std::string_view{doc["brokers"].at(0)["rack"]},
            std::string_view{probe["nodes"].at(0)["rack"]});
}
