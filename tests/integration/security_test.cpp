// The broker of `scripts/kafka start --security` (issue 16): a SASL_PLAINTEXT listener with
// PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512, and the ready TOML files the script writes into
// build/kafka/secure/. Each test logs in through one of those files, as a user would.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {

const std::string secure_dir = std::string{MIB_SOURCE_DIR} + "/build/kafka/secure";

mib::Config secure_config(const std::string& name) {
  mib::Config config = mib::Config::load(secure_dir + "/" + name + ".toml");
  config.set("consumer.auto_offset_reset", "earliest");
  return config;
}

// librdkafka before 2.6.1 appends its nonce twice in the SCRAM client-final-message;
// Kafka 4 compares nonces strictly (RFC 5802) and refuses the login (librdkafka #4895).
bool librdkafka_speaks_scram_to_kafka_4() {
  return rd_kafka_version() >= 0x020601ff;
}

// Sends three records through `config` and reads them back, in order, once.
void expect_roundtrip(const mib::Config& config, const std::string& topic) {
  {
    mib::Producer producer{config};
    for (int i = 0; i < 3; ++i) {
      const auto report =
          producer.send({.topic = topic, .key = "AAPL", .value = std::to_string(i)}).get();
      ASSERT_TRUE(report.ok()) << report.error.message();
    }
  }
  mib::Consumer consumer{config,
                         {.group_id = mib::test::unique_name("secure-group"), .topics = {topic}}};
  std::vector<std::string> values;
  ASSERT_TRUE(mib::test::wait_until(
      [&] {
        if (auto record = consumer.poll(100ms); record && record->ok()) {
          values.emplace_back(record->value());
        }
        return values.size() >= 3;
      },
      30s))
      << "read " << values.size() << " of 3 records from " << topic;
  EXPECT_EQ(values, (std::vector<std::string>{"0", "1", "2"}));
}

// Whether Kafka's own Java client logs in with these properties (tools/kafka/BrokerReady).
bool java_client_logs_in(const std::string& mechanism, const std::string& user,
                         const std::string& password) {
  const std::string file = secure_dir + "/java-" + mechanism + ".properties";
  std::ofstream{file} << "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=" << mechanism
                      << "\nsasl.jaas.config=org.apache.kafka.common.security.scram."
                         "ScramLoginModule required username=\""
                      << user << "\" password=\"" << password << "\";\n";
  const std::string root = MIB_SOURCE_DIR;
  const auto run = mib::test::run_command(
      "java -Dlog4j2.configurationFile=" + root + "/tools/kafka/quiet-log4j2.properties -cp \"$(" +
      root + "/scripts/kafka libs)/*\" " + root + "/tools/kafka/BrokerReady.java " +
      mib::test::secure_brokers() + " 1 30 " + file + " 2>&1");
  std::printf("%s", run.output.c_str());
  return run.exit_code == 0;
}

}  // namespace

TEST(SecureBroker, PlainRoundTripsThroughTheReadyConfig) {
  expect_roundtrip(secure_config("sasl-plain"), mib::test::unique_name("secure-plain"));
}

TEST(SecureBroker, ScramUsersAreThereForKafkasOwnClient) {
  EXPECT_TRUE(java_client_logs_in("SCRAM-SHA-256", "alice", "alice-secret"));
  EXPECT_TRUE(java_client_logs_in("SCRAM-SHA-512", "alice", "alice-secret"));
}

TEST(SecureBroker, ScramRoundTripsThroughTheReadyConfig) {
  if (!librdkafka_speaks_scram_to_kafka_4()) {
    GTEST_SKIP() << "librdkafka " << rd_kafka_version_str()
                 << " cannot log in with SCRAM to Kafka 4 (fixed in 2.6.1, librdkafka #4895)";
  }
  expect_roundtrip(secure_config("sasl-scram-sha-256"), mib::test::unique_name("secure-scram"));
  expect_roundtrip(secure_config("sasl-scram-sha-512"), mib::test::unique_name("secure-scram"));
}

// Where SCRAM cannot log in, the user hears so at once, named, and without the password.
TEST(SecureBroker, ARefusedScramLoginIsNamedWithinSeconds) {
  for (const std::string name : {"sasl-scram-sha-256", "sasl-scram-sha-512"}) {
    mib::Config config = secure_config(name);
    if (librdkafka_speaks_scram_to_kafka_4()) config.set("security.sasl.password", "wrong");
    mib::Client client{config};
    const auto started = std::chrono::steady_clock::now();
    const mib::Error error = client.wait_for_cluster(20s);
    const auto waited = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(error) << name << ": logged in";
    EXPECT_LT(waited, 10s) << name;
    const std::string message = error.message();
    std::printf("%s: %s\n", name.c_str(), message.c_str());
    EXPECT_NE(message.find("SASL"), std::string::npos) << message;
    EXPECT_NE(message.find("invalid credentials"), std::string::npos) << message;
    EXPECT_NE(message.find(name == "sasl-scram-sha-256" ? "SCRAM-SHA-256" : "SCRAM-SHA-512"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find("alice-secret"), std::string::npos) << message;
  }
}
