// mib-stream as a user meets it first, without a broker: a dead cluster named with its
// cause, usage errors naming the flag, the version, an unknown command.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "support/test_cluster.hpp"

namespace {

using CliRun = mib::test::CommandRun;

// Runs `environment mib-stream arguments` through the shell with `input` on stdin.
CliRun run(const std::string& arguments, const std::string& environment = {},
           const std::string& input = {}) {
  return mib::test::run_command("printf '%s' '" + input + "' | " + environment + " '" +
                                MIB_STREAM_BINARY + "' " + arguments + " 2>&1");
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A short connection timeout keeps these tests quick; the default is 10 s.
const std::string kShortConnect = "MIB_CLIENT_CONNECTION_TIMEOUT=2s";

}  // namespace

TEST(Cli, ProduceToADeadClusterFailsNamingTheBrokerAndTheCause) {
  const CliRun r = run("produce -b 127.0.0.1:1 -t t1", kShortConnect, "hi\n");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(contains(r.output,
                       "mib-stream: no broker of 127.0.0.1:1 reached within 2s: "
                       "broker 127.0.0.1:1: connection refused"))
      << r.output;
  EXPECT_FALSE(contains(r.output, "Purged")) << r.output;
  // librdkafka's own lines come through our logger (JSON by default), never raw.
  EXPECT_FALSE(contains(r.output, "%3|")) << r.output;
}

TEST(Cli, AnUnknownHostIsNamedAsSuch) {
  const CliRun r = run("produce -b no-such-host.invalid:9092 -t t1", kShortConnect, "hi\n");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "broker no-such-host.invalid:9092: unknown host")) << r.output;
}

TEST(Cli, LibrdkafkaLinesFollowTheConfiguredLogFormat) {
  const CliRun text =
      run("produce -b 127.0.0.1:1 -t t1", kShortConnect + " MIB_GLOBAL_LOG_FORMAT=text", "hi\n");
  EXPECT_TRUE(contains(text.output, " error librdkafka [")) << text.output;
  const CliRun json = run("produce -b 127.0.0.1:1 -t t1", kShortConnect, "hi\n");
  EXPECT_TRUE(contains(json.output, "\"level\":\"error\",\"source\":\"librdkafka\""))
      << json.output;
}

TEST(Cli, ConsumeInterruptedWhileWaitingForTheClusterExitsAtOnce) {
  // Started in the background and interrupted while it waits for a cluster that is not
  // there (the default 10 s connection timeout): it must end well before that.
  const std::string command = std::string{"'"} + MIB_STREAM_BINARY +
                              "' consume -b 127.0.0.1:1 -t t1 >/dev/null 2>&1 & pid=$!; "
                              "sleep 1; kill -INT $pid; wait $pid; echo $?";
  const std::string status = mib::test::run_command(command).output;
  EXPECT_EQ(status, "130\n");
}

TEST(Cli, EmptyBrokersAreAUsageErrorNamingTheFlag) {
  const CliRun flag = run("produce -b '' -t t1");
  EXPECT_EQ(flag.exit_code, 2) << flag.output;
  EXPECT_TRUE(contains(flag.output, "--brokers")) << flag.output;
  EXPECT_TRUE(contains(flag.output, "empty")) << flag.output;

  const CliRun variable = run("consume -t t1", "REDPANDA_BROKERS=");
  EXPECT_NE(variable.exit_code, 0) << variable.output;
  EXPECT_TRUE(contains(variable.output, "REDPANDA_BROKERS")) << variable.output;
}

TEST(Cli, DecodeAndEncodeUsageErrorsNameTheFlag) {
  const auto usage_error = [](const std::string& arguments, const std::string& says) {
    const CliRun r = run(arguments + " -b 127.0.0.1:1", kShortConnect);
    EXPECT_EQ(r.exit_code, 2) << arguments << "\n" << r.output;
    EXPECT_TRUE(contains(r.output, says)) << arguments << "\n" << r.output;
  };
  usage_error("consume -t t1 --decode quote",
              "--decode: expected market_data, order, trade, event, control or envelope, got "
              "'quote'");
  usage_error("consume -t t1 -f protobuf", "protobuf only applies with --decode TYPE");
  usage_error("consume -t t1 --decode trade -f kv", "the values' encoding, json or protobuf");
  usage_error("consume -t t1 --decode trade -J", "does not apply with --decode");
  usage_error("consume -t t1 --registry http://127.0.0.1:1", "only applies with --decode TYPE");
  usage_error("consume -t t1 --decode trade --registry ftp://r",
              "url 'ftp://r' must start with http:// or https://");
  usage_error("produce -t t1 --encode quote", "--encode: expected market_data, order");
  usage_error("produce -t t1 --format protobuf", "only applies with --encode TYPE");
  usage_error("produce -t t1 --encode trade --format xml", "expected json or protobuf");
}

TEST(Cli, PropertiesPassToLibrdkafkaAndABadOneIsAUsageError) {
  const CliRun bad = run("produce -b 127.0.0.1:1 -t t1 -X no.such.property=1");
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_TRUE(contains(bad.output, "-X")) << bad.output;
  EXPECT_TRUE(contains(bad.output, "no.such.property")) << bad.output;

  const CliRun malformed = run("produce -b 127.0.0.1:1 -t t1 -X linger.ms");
  EXPECT_EQ(malformed.exit_code, 2) << malformed.output;
  EXPECT_TRUE(contains(malformed.output, "name=value")) << malformed.output;
}

TEST(Cli, VersionNamesOursAndLibrdkafkas) {
  const CliRun r = run("--version");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "mib-stream 0.")) << r.output;
  EXPECT_TRUE(contains(r.output, "(librdkafka 2.")) << r.output;
}

TEST(Cli, AnUnknownCommandIsNamed) {
  const CliRun r = run("prodce -t x");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "unknown command 'prodce'")) << r.output;
  EXPECT_TRUE(contains(r.output, "produce")) << r.output;
}

TEST(Cli, TheConfigurationFileIsDashFForEveryCommand) {
  for (const std::string command : {"produce -t t1", "consume -t t1", "cluster"}) {
    const CliRun r = run(command + " -F /no/such/file.toml");
    EXPECT_NE(r.exit_code, 0) << command << ": " << r.output;
    EXPECT_TRUE(contains(r.output, "/no/such/file.toml")) << command << ": " << r.output;
  }
}

TEST(Cli, DemoInterruptedFlushesWhatItSentAndExits130) {
  const std::string command = std::string{"'"} + MIB_STREAM_BINARY +
                              "' demo --duration 60s --rate 5000 2>&1 & pid=$!; sleep 4; "
                              "kill -INT $pid; wait $pid; echo \"exit $?\"";
  const std::string output = mib::test::run_command(command).output;
  EXPECT_TRUE(contains(output, "interrupted; flushing")) << output;
  EXPECT_TRUE(contains(output, "exit 130")) << output;
  std::smatch totals;
  ASSERT_TRUE(std::regex_search(
      output, totals, std::regex{"produced ([0-9]+): ([0-9]+) delivered, 0 failed, 0 not sent"}))
      << output;
  EXPECT_EQ(totals[1], totals[2]) << output;
}
