// The broker of `scripts/kafka start --acl` (StandardAuthorizer, SASL/PLAIN users admin
// and trader): our clients log in to it through mib::Config, a wrong password is told
// apart quickly and named as such, and Kafka's own Admin client sees its ACLs. The admin
// ACL tests of issue 13 build on these.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mib/mib.hpp"
#include "support/kafka_probe.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

TEST(AclBroker, TraderProducesAndConsumesWhileNoAclSaysOtherwise) {
  const auto brokers = mib::test::acl_brokers();
  const auto topic = mib::test::unique_name("acl-trader");
  mib::test::create_topic(brokers, topic, 1, 1, {},
                          mib::test::sasl_plain_properties(mib::test::acl_admin));

  mib::Config config = mib::test::acl_config(mib::test::acl_trader);
  config.set("consumer.auto_offset_reset", "earliest");
  {
    mib::Producer producer{config};
    const auto report = producer.send({.topic = topic, .key = "AAPL", .value = "189.5"}).get();
    ASSERT_TRUE(report.ok()) << report.error.message();
  }

  mib::Consumer consumer{
      config, {.group_id = mib::test::unique_name("acl-trader-group"), .topics = {topic}}};
  std::optional<mib::Message> record;
  ASSERT_TRUE(mib::test::wait_until(
      [&] {
        record = consumer.poll(100ms);
        return record.has_value();
      },
      30s))
      << "trader read nothing from " << topic;
  ASSERT_TRUE(record->ok()) << record->error().message();
  EXPECT_EQ(record->key(), "AAPL");
  EXPECT_EQ(record->value(), "189.5");
}

TEST(AclBroker, AWrongPasswordFailsQuicklyNamingAuthenticationWithoutThePassword) {
  const std::string wrong = "not-the-trader-secret";
  mib::Config config = mib::test::acl_config(mib::test::acl_trader);
  config.set("security.sasl.password", wrong);
  mib::Client client{config};

  const auto started = std::chrono::steady_clock::now();
  const mib::Error error = client.wait_for_cluster(20s);
  const auto waited = std::chrono::steady_clock::now() - started;

  ASSERT_TRUE(error) << "a wrong password logged in";
  // A refused login is lasting: the wait ends at it, not when the 20 s run out.
  EXPECT_LT(waited, 10s);
  const std::string message = error.message();
  std::printf(
      "a wrong password, after %lld ms: %s\n",
      static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()),
      message.c_str());
  EXPECT_NE(lowercase(message).find("authentication"), std::string::npos) << message;
  EXPECT_NE(message.find(mib::test::acl_brokers()), std::string::npos) << message;
  EXPECT_EQ(message.find(wrong), std::string::npos) << message;
  EXPECT_EQ(mib::to_string(client.status()).find(wrong), std::string::npos);
}

TEST(AclBroker, KafkasAdminClientAsAdminSeesNoAclsOnTheFreshBroker) {
  const std::string text =
      mib::test::probe({"acls"}, mib::test::acl_brokers(), mib::test::acl_admin);
  simdjson::dom::parser parser;
  const simdjson::dom::element listed = parser.parse(text);
  // Tests that add ACLs delete them again, so the broker has none between tests.
  EXPECT_EQ(simdjson::dom::array{listed["acls"]}.size(), 0u) << text;
}

TEST(AclBroker, KafkasAdminClientRefusesAWrongPasswordToo) {
  try {
    mib::test::probe({"cluster"}, mib::test::acl_brokers(),
                     mib::test::SaslUser{"admin", "not-the-admin-secret"});
    ADD_FAILURE() << "the probe logged in with a wrong password";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string{e.what()}.find("SaslAuthenticationException"), std::string::npos)
        << e.what();
  }
}

TEST(AclBroker, NoLogLineCarriesThePasswordThroughARealSaslLogin) {
  // librdkafka's every debug context, through a SASL/PLAIN login that succeeds and a record
  // delivered: no line, ours or librdkafka's, shows the password.
  const auto brokers = mib::test::acl_brokers();
  const auto topic = mib::test::unique_name("acl-secret");
  mib::test::create_topic(brokers, topic, 1, 1, {},
                          mib::test::sasl_plain_properties(mib::test::acl_admin));
  std::mutex mutex;
  std::vector<std::string> lines;
  mib::log::set_level(mib::LogLevel::debug);
  mib::log::set_sink([&](const mib::log::Record& r) {
    const std::lock_guard lock{mutex};
    lines.push_back(mib::log::format(r, mib::LogFormat::json));
  });
  {
    mib::Config config = mib::test::acl_config(mib::test::acl_trader);
    config.set("global.log_level", "debug");
    config.librdkafka.all["debug"] = "all";
    mib::Producer producer{config};
    const auto report = producer.send({.topic = topic, .value = "189.5"}).get();
    EXPECT_TRUE(report.ok()) << report.error.message();
  }
  mib::log::set_sink({});
  mib::log::set_level(mib::LogLevel::info);
  bool authenticated = false;
  for (const auto& line : lines) {
    ASSERT_EQ(line.find(mib::test::acl_trader.password), std::string::npos) << line;
    // librdkafka's broker state after a SASL login that the broker accepted.
    authenticated = authenticated || line.find("AUTH_REQ -> UP") != std::string::npos;
  }
  EXPECT_TRUE(authenticated) << "no line says the SASL login succeeded; " << lines.size()
                             << " lines";
}
