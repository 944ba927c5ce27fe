// `mib-stream` through the secured broker (issue 16): topic, produce, consume and group,
// each given the ready TOML file with -F, as a user runs them; and a refused login as the
// CLI reports it.
#include <gtest/gtest.h>

#include <string>

#include "secure_broker.hpp"
#include "support/test_cluster.hpp"

namespace {

const std::string cli = MIB_STREAM_BINARY;

// The command's stdout (stderr too when `with_stderr`), and its exit code; `input`, if
// given, is its stdin, as printf reads it (a backslash-n ends a line).
mib::test::CommandRun run(const std::string& arguments, bool with_stderr = false,
                          const std::string& input = "") {
  const std::string feed = input.empty() ? "" : "printf '" + input + "' | ";
  const auto out = mib::test::run_command(feed + cli + " " + arguments +
                                          (with_stderr ? " 2>&1" : " 2>/dev/null"));
  std::printf("$ mib-stream %s -> %d\n%s", arguments.c_str(), out.exit_code, out.output.c_str());
  return out;
}

void expect_cli_roundtrip(const std::string& name) {
  const std::string file = "-F " + mib::test::secure_dir + "/" + name + ".toml";
  const std::string topic = mib::test::unique_name("secure-cli");
  const std::string group = mib::test::unique_name("secure-cli-group");
  EXPECT_EQ(run("topic create " + topic + " -p 1 " + file).exit_code, 0) << name;
  EXPECT_EQ(run("topic describe " + topic + " " + file).exit_code, 0) << name;
  EXPECT_EQ(run("produce -t " + topic + " " + file, false, "AAPL 1\\nMSFT 2\\nIBM 3\\n").exit_code,
            0)
      << name;
  const auto consumed = run("consume -t " + topic + " -g " + group + " -e " + file);
  EXPECT_EQ(consumed.exit_code, 0) << name;
  EXPECT_EQ(consumed.output, "AAPL 1\nMSFT 2\nIBM 3\n") << name;
  const auto described = run("group describe " + group + " " + file);
  EXPECT_EQ(described.exit_code, 0) << name;
  EXPECT_NE(described.output.find(topic), std::string::npos) << name << ": " << described.output;
}

}  // namespace

TEST(SecureBrokerCli, TopicProduceConsumeAndGroupTakeScramConfig) {
  expect_cli_roundtrip("sasl-scram-sha-512");
}

TEST(SecureBrokerCli, TopicProduceConsumeAndGroupTakeMutualTlsConfig) {
  expect_cli_roundtrip("mtls");
}

TEST(SecureBrokerCli, ARefusedLoginEndsTheCommandNamingWhy) {
  const auto out = run("topic list -F " + mib::test::secure_dir +
                           "/sasl-scram-sha-512.toml -X sasl.password=wrong-secret",
                       true);
  EXPECT_NE(out.exit_code, 0);
  EXPECT_NE(out.output.find("SASL handshake failed for SCRAM-SHA-512 as user 'alice'"),
            std::string::npos)
      << out.output;
  EXPECT_EQ(out.output.find("wrong-secret"), std::string::npos) << out.output;
}
