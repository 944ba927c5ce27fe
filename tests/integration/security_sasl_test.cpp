// SASL on the broker of `scripts/kafka start --security` (issue 16): PLAIN and both SCRAMs
// through its ready TOML files, SCRAM users made and removed through the Admin, and the
// refusals a user meets, each named within seconds and without the password.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "mib/mib.hpp"
#include "secure_broker.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;
using mib::test::expect_refused;
using mib::test::expect_roundtrip;
using mib::test::secure_config;

namespace {

// Whether Kafka's own Java client logs in with these properties (tools/kafka/BrokerReady).
bool java_client_logs_in(const std::string& mechanism, const std::string& user,
                         const std::string& password) {
  const std::string file = mib::test::secure_dir + "/java-" + mechanism + ".properties";
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
  expect_roundtrip(secure_config("sasl-scram-sha-256"), mib::test::unique_name("secure-scram"));
  expect_roundtrip(secure_config("sasl-scram-sha-512"), mib::test::unique_name("secure-scram"));
}

TEST(SecureBroker, AWrongPasswordIsNamedWithinSecondsAndNotShown) {
  for (const std::string name : {"sasl-plain", "sasl-scram-sha-256", "sasl-scram-sha-512"}) {
    mib::Config config = secure_config(name);
    config.set("security.sasl.password", "wrong-secret");
    const std::string mechanism = name == "sasl-plain"           ? "PLAIN"
                                  : name == "sasl-scram-sha-256" ? "SCRAM-SHA-256"
                                                                 : "SCRAM-SHA-512";
    // Kafka words a PLAIN refusal its own way.
    const std::string said =
        name == "sasl-plain" ? "Invalid username or password" : "invalid credentials";
    expect_refused(config, {"SASL", said, mechanism},
                   {"wrong-secret", "alice-secret", "trader-secret"});
  }
}

TEST(SecureBroker, AnUnknownUserIsRefusedLikeAWrongPassword) {
  mib::Config config = secure_config("sasl-scram-sha-512");
  config.set("security.sasl.username", "mallory");
  expect_refused(config, {"SASL", "invalid credentials", "SCRAM-SHA-512"}, {"alice-secret"});
}

// The SASL_SSL listener enables SCRAM only.
TEST(SecureBroker, AMechanismTheListenerDoesNotEnableIsNamed) {
  mib::Config config = secure_config("sasl-ssl-scram-sha-512");
  config.set("security.sasl.mechanism", "Plain");
  expect_refused(config, {"PLAIN", "Unsupported SASL mechanism", "SCRAM-SHA-512"},
                 {"alice-secret"});
}

// A user made with the Admin logs in at once; removed, the same login is refused.
TEST(SecureBroker, AScramUserSetThroughTheAdminLogsInAndIsRemoved) {
  const mib::Admin admin{secure_config("sasl-plain")};
  const std::string user = mib::test::unique_name("bob");
  admin.set_scram_credential(user, mib::Admin::ScramMechanism::sha512, mib::Secret{"bob-secret"});
  mib::Config config = secure_config("sasl-scram-sha-512");
  config.set("security.sasl.username", user);
  config.set("security.sasl.password", "bob-secret");
  // The broker takes the credential from its metadata log: a moment after the answer.
  mib::Error login;
  ASSERT_TRUE(mib::test::wait_until(
      [&] {
        mib::Client client{config};
        login = client.wait_for_cluster(5s);
        return !login;
      },
      20s))
      << login.message();
  expect_roundtrip(config, mib::test::unique_name("secure-bob"));

  admin.delete_scram_credential(user, mib::Admin::ScramMechanism::sha512);
  ASSERT_TRUE(mib::test::wait_until(
      [&] {
        mib::Client client{config};
        return static_cast<bool>(client.wait_for_cluster(5s));
      },
      20s));
  expect_refused(config, {"invalid credentials"}, {"bob-secret"});
  try {
    admin.delete_scram_credential(user, mib::Admin::ScramMechanism::sha512);
    ADD_FAILURE() << "deleted a credential that is not there";
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find(user), std::string::npos) << e.what();
  }
}
