// `mib-stream consume` against the real broker: records in with mib::Producer, lines out.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "cli_run.hpp"
#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {

const mib::Timestamp market_open{
    std::chrono::milliseconds{1'795'771'800'000}};  // 2026-11-27T09:30Z

using mib::test::CliRun;

// `mib-stream consume arguments`, nothing on stdin, under `runner` (see run_cli).
CliRun consume(std::vector<std::string> arguments, const std::string& runner = "timeout 60") {
  arguments.insert(arguments.begin(), "consume");
  return mib::test::run_cli(arguments, {}, runner);
}

std::vector<std::string> values(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back(mib::test::concat("v", std::to_string(i)));
  return out;
}

// Records k<i> / v<i> for i in [from, to), on partition 0, record i stamped market_open + i s.
void produce(const std::string& brokers, const std::string& topic, int from, int to) {
  mib::Producer producer{{{"bootstrap.servers", brokers}}};
  for (int i = from; i < to; ++i) {
    producer.send({.topic = topic,
                   .key = mib::test::concat("k", std::to_string(i)),
                   .value = mib::test::concat("v", std::to_string(i)),
                   .partition = 0,
                   .timestamp = market_open + std::chrono::seconds{i}},
                  [](const mib::DeliveryReport& r) { EXPECT_TRUE(r.ok()) << r.error.message(); });
  }
  ASSERT_TRUE(producer.flush(30s).ok());
}

std::string rfc3339(mib::Timestamp t) {
  std::string out;
  mib::rfc3339::format(t, out);
  return out;
}

// A topic of `partitions` partitions holding records 0..count-1 on partition 0.
std::string topic_with_records(const std::string& prefix, int count, int partitions = 1) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name(prefix);
  mib::test::create_topic(brokers, topic, partitions);
  produce(brokers, topic, 0, count);
  return topic;
}

TEST(ConsumeCli, PrintsValuesFromTheBeginningInOrderAndExitsAtTheEnd) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = topic_with_records("consume-cli-plain", 50);

  const CliRun run = consume({"-b", brokers, "-t", topic, "-e"});
  EXPECT_EQ(run.exit_code, 0) << run.output();
  EXPECT_EQ(run.lines, values(0, 50)) << run.output();
  EXPECT_NE(run.errors.find("50 records read"), std::string::npos) << run.output();

  // -K implies -f kv.
  const CliRun keyed = consume({"-b", brokers, "-t", topic, "-e", "-K", "="});
  EXPECT_EQ(keyed.exit_code, 0) << keyed.output();
  ASSERT_EQ(keyed.lines.size(), 50u) << keyed.output();
  EXPECT_EQ(keyed.lines.front(), "k0=v0");
  EXPECT_EQ(keyed.lines.back(), "k49=v49");
}

TEST(ConsumeCli, JsonLinesCarryMetadataHeadersAndEscapedOrBinaryData) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("consume-cli-json");
  mib::test::create_topic(brokers, topic, 2);
  const std::string tricky = "say \"hi\"\n\t\\ caf\xc3\xa9 \x01";
  const std::string binary{"\xff\xfe\x00\x01", 4};
  {
    mib::Producer producer{{{"bootstrap.servers", brokers}}};
    ASSERT_TRUE(producer
                    .send({.topic = topic,
                           .key = "AAPL",
                           .value = tricky,
                           .headers = {{"source", "cli"}, {"source", "feed"}, {"raw", binary}},
                           .partition = 1,
                           .timestamp = market_open})
                    .get()
                    .ok());
    ASSERT_TRUE(producer
                    .send({.topic = topic,
                           .key = "",
                           .value = binary,
                           .partition = 1,
                           .timestamp = market_open})
                    .get()
                    .ok());
    ASSERT_TRUE(
        producer.send({.topic = topic, .key = "other", .value = "partition 0", .partition = 0})
            .get()
            .ok());
  }

  const CliRun run = consume({"-b", brokers, "-t", topic, "-p", "1", "-f", "json", "-e"});
  EXPECT_EQ(run.exit_code, 0) << run.output();
  ASSERT_EQ(run.lines.size(), 2u) << run.output();

  simdjson::dom::parser parser;
  const simdjson::dom::element first = parser.parse(run.lines[0]);
  EXPECT_EQ(std::string_view{first["topic"]}, topic);
  EXPECT_EQ(std::int64_t{first["partition"]}, 1);
  EXPECT_EQ(std::int64_t{first["offset"]}, 0);
  EXPECT_EQ(std::string_view{first["timestamp"]}, "2026-11-27T09:30:00.000Z");
  EXPECT_EQ(std::string_view{first["timestamp"]}, rfc3339(market_open));
  EXPECT_EQ(std::string_view{first["timestamp_type"]}, "create_time");
  EXPECT_EQ(std::string_view{first["key"]}, "AAPL");
  EXPECT_EQ(std::string_view{first["value"]}, tricky);
  const simdjson::dom::array headers = first["headers"];
  ASSERT_EQ(headers.size(), 3u);
  EXPECT_EQ(std::string_view{headers.at(0)["key"]}, "source");
  EXPECT_EQ(std::string_view{headers.at(0)["value"]}, "cli");
  EXPECT_EQ(std::string_view{headers.at(1)["value"]}, "feed");
  EXPECT_EQ(std::string_view{headers.at(2)["key"]}, "raw");
  EXPECT_EQ(std::string_view{headers.at(2)["value_base64"]}, "//4AAQ==");

  const simdjson::dom::element second = parser.parse(run.lines[1]);
  EXPECT_EQ(std::int64_t{second["offset"]}, 1);
  EXPECT_EQ(std::string_view{second["key"]}, "");
  EXPECT_EQ(std::string_view{second["value_base64"]}, "//4AAQ==");
  EXPECT_TRUE(second["value"].error() == simdjson::NO_SUCH_FIELD) << run.lines[1];
  const simdjson::dom::array no_headers = second["headers"];
  EXPECT_EQ(no_headers.size(), 0u);
}

TEST(ConsumeCli, StartsAtATimeGivenAsRfc3339OrEpochMilliseconds) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = topic_with_records("consume-cli-time", 20, 2);

  // Record i is stamped market_open + i s: 09:30:10 is record 10.
  const CliRun by_text = consume(
      {"-b", brokers, "-t", topic, "-e", "-o", mib::test::concat("@", rfc3339(market_open + 10s))});
  EXPECT_EQ(by_text.exit_code, 0) << by_text.output();
  EXPECT_EQ(by_text.lines, values(10, 20)) << by_text.output();

  const auto ms = (market_open + 15s).time_since_epoch().count();
  const CliRun by_ms =
      consume({"-b", brokers, "-t", topic, "-e", "-o", mib::test::concat("@", std::to_string(ms))});
  EXPECT_EQ(by_ms.exit_code, 0) << by_ms.output();
  EXPECT_EQ(by_ms.lines, values(15, 20)) << by_ms.output();

  // In a group: from that time on, whatever the group had committed.
  const CliRun in_group =
      consume({"-b", brokers, "-t", topic, "-g", mib::test::unique_name("consume-cli-time"), "-e",
               "-o", mib::test::concat("@", rfc3339(market_open + 12s))});
  EXPECT_EQ(in_group.exit_code, 0) << in_group.output();
  EXPECT_EQ(in_group.lines, values(12, 20)) << in_group.output();

  // After the last record: nothing, and -e still ends the run.
  const CliRun after = consume({"-b", brokers, "-t", topic, "-e", "-o", "@2099-01-01T00:00:00Z"});
  EXPECT_EQ(after.exit_code, 0) << after.output();
  EXPECT_TRUE(after.lines.empty()) << after.output();
}

TEST(ConsumeCli, StartsAtAnOffsetOrTheLastNRecords) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = topic_with_records("consume-cli-offset", 20);

  const CliRun last_three = consume({"-b", brokers, "-t", topic, "-e", "-o", "-3"});
  EXPECT_EQ(last_three.exit_code, 0) << last_three.output();
  EXPECT_EQ(last_three.lines, values(17, 20)) << last_three.output();

  const CliRun from_five = consume({"-b", brokers, "-t", topic, "-e", "-o", "5"});
  EXPECT_EQ(from_five.exit_code, 0) << from_five.output();
  EXPECT_EQ(from_five.lines, values(5, 20)) << from_five.output();

  // More than the partition holds: all of it.
  const CliRun too_many = consume({"-b", brokers, "-t", topic, "-e", "-o", "-100"});
  EXPECT_EQ(too_many.lines, values(0, 20)) << too_many.output();

  const CliRun at_end = consume({"-b", brokers, "-t", topic, "-e", "-o", "end"});
  EXPECT_EQ(at_end.exit_code, 0) << at_end.output();
  EXPECT_TRUE(at_end.lines.empty()) << at_end.output();
}

TEST(ConsumeCli, CountStopsAfterThatManyRecords) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = topic_with_records("consume-cli-count", 20);

  // No -e: only the count ends the run.
  const CliRun run = consume({"-b", brokers, "-t", topic, "-c", "3", "-o", "4"});
  EXPECT_EQ(run.exit_code, 0) << run.output();
  EXPECT_EQ(run.lines, values(4, 7)) << run.output();
  EXPECT_NE(run.errors.find("3 records read"), std::string::npos) << run.output();
}

TEST(ConsumeCli, AGroupCommitsWhatItPrintedAndTheNextRunGetsOnlyNewRecords) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = topic_with_records("consume-cli-group", 10, 3);
  const auto group = mib::test::unique_name("consume-cli-group");

  const CliRun first = consume({"-b", brokers, "-t", topic, "-g", group, "-e"});
  EXPECT_EQ(first.exit_code, 0) << first.output();
  EXPECT_EQ(first.lines, values(0, 10)) << first.output();

  produce(brokers, topic, 10, 15);
  const CliRun second = consume({"-b", brokers, "-t", topic, "-g", group, "-e"});
  EXPECT_EQ(second.exit_code, 0) << second.output();
  EXPECT_EQ(second.lines, values(10, 15)) << second.output();

  // -c stops a member part-way; the group goes on right after what it printed.
  produce(brokers, topic, 15, 20);
  const CliRun two = consume({"-b", brokers, "-t", topic, "-g", group, "-c", "2"});
  EXPECT_EQ(two.lines, values(15, 17)) << two.output();
  const CliRun rest = consume({"-b", brokers, "-t", topic, "-g", group, "-e"});
  EXPECT_EQ(rest.lines, values(17, 20)) << rest.output();
}

TEST(ConsumeCli, CtrlCCommitsWhatWasPrintedAndLeavesTheGroup) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = topic_with_records("consume-cli-interrupt", 10);
  const auto group = mib::test::unique_name("consume-cli-interrupt");

  // No -c or -e: only the SIGINT after 5 s ends the run; --preserve-status keeps its status.
  const CliRun interrupted =
      consume({"-b", brokers, "-t", topic, "-g", group}, "timeout --preserve-status -s INT 5");
  EXPECT_EQ(interrupted.exit_code, 0) << interrupted.output();
  // Whatever it printed was committed: the next member starts right after it.
  produce(brokers, topic, 10, 12);
  const CliRun next = consume({"-b", brokers, "-t", topic, "-g", group, "-e"});
  EXPECT_EQ(next.exit_code, 0) << next.output();
  std::vector<std::string> both = interrupted.lines;
  both.insert(both.end(), next.lines.begin(), next.lines.end());
  EXPECT_EQ(both, values(0, 12)) << interrupted.output() << next.output();
}

TEST(ConsumeCli, BadOptionsAreRefusedNamingTheOptionAndValue) {
  const auto brokers = mib::test::test_brokers();
  const CliRun bad_offset = consume({"-b", brokers, "-t", "unused", "-o", "yesterday"});
  EXPECT_EQ(bad_offset.exit_code, 2) << bad_offset.output();
  EXPECT_NE(bad_offset.errors.find("--offset"), std::string::npos) << bad_offset.output();
  EXPECT_NE(bad_offset.errors.find("'yesterday'"), std::string::npos) << bad_offset.output();

  const CliRun bad_time = consume({"-b", brokers, "-t", "unused", "-o", "@2026-13-01T00:00:00Z"});
  EXPECT_EQ(bad_time.exit_code, 2) << bad_time.output();
  EXPECT_NE(bad_time.errors.find("'@2026-13-01T00:00:00Z'"), std::string::npos)
      << bad_time.output();

  const CliRun bad_count = consume({"-b", brokers, "-t", "unused", "-c", "0"});
  EXPECT_EQ(bad_count.exit_code, 2) << bad_count.output();
  EXPECT_NE(bad_count.errors.find("--count"), std::string::npos) << bad_count.output();

  const CliRun bad_format = consume({"-b", brokers, "-t", "unused", "-f", "xml"});
  EXPECT_EQ(bad_format.exit_code, 2) << bad_format.output();
  EXPECT_NE(bad_format.errors.find("'xml'"), std::string::npos) << bad_format.output();

  // Not an option mistake but the cluster's answer: exit 1.
  const auto missing = mib::test::unique_name("consume-cli-missing");
  const CliRun no_topic = consume({"-b", brokers, "-t", missing, "-e"});
  EXPECT_EQ(no_topic.exit_code, 1) << no_topic.output();
  EXPECT_NE(no_topic.errors.find("topic '" + missing + "' does not exist"), std::string::npos)
      << no_topic.output();
}

}  // namespace
