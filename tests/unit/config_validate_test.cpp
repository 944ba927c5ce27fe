// Each validation rule, secret redaction, and the mapping to librdkafka key by key.
#include <gtest/gtest.h>

#include <sstream>

#include "mib/config/config.hpp"
#include "mib/consumer/consumer.hpp"
#include "mib/producer/producer.hpp"

using namespace std::chrono_literals;

namespace {

std::vector<mib::ConfigIssue> problems(const std::string& toml) {
  std::vector<mib::ConfigIssue> issues;
  mib::Config::builder().toml(toml, "rules.toml").environment({}).build(issues);
  return issues;
}

// Expects exactly one issue, at `path`, whose message contains `text`.
void expect_rule(const std::string& toml, const std::string& path, const std::string& text) {
  const auto issues = problems(toml);
  std::string found;
  for (const auto& i : issues) found += i.to_string() + "\n";
  ASSERT_EQ(issues.size(), 1u) << toml << "\n" << found;
  EXPECT_EQ(issues[0].path, path) << found;
  EXPECT_NE(issues[0].message.find(text), std::string::npos) << found;
}

}  // namespace

TEST(ConfigValidate, DefaultsAreValid) {
  EXPECT_TRUE(mib::Config{}.validate().empty());
}

TEST(ConfigValidate, EachRule) {
  expect_rule("[producer]\nacks = \"1\"", "producer.acks", "requires acks = \"all\"");
  expect_rule("[producer]\nmax_in_flight = 6", "producer.max_in_flight", "at most 5");
  expect_rule("[producer]\nenable_idempotence = false\ntransactional_id = \"t\"",
              "producer.transactional_id", "require enable_idempotence");
  expect_rule("[producer]\ndelivery_timeout_ms = 1000", "producer.delivery_timeout_ms",
              "linger_ms + client.request_timeout");
  expect_rule(
      "[producer]\ntransactional_id = \"t\"\ntransaction_timeout_ms = 60000\n"
      "delivery_timeout_ms = 90000",
      "producer.delivery_timeout_ms", "transaction_timeout_ms");
  expect_rule("[security]\nsecurity_protocol = \"SaslPlaintext\"", "security.sasl.mechanism",
              "needs a SASL mechanism");
  expect_rule("[security.sasl]\nmechanism = \"Plain\"\nusername = \"u\"\npassword = \"p\"",
              "security.security_protocol", "does not use SASL");
  expect_rule(
      "[security]\nsecurity_protocol = \"SaslSsl\"\n[security.sasl]\n"
      "mechanism = \"ScramSha256\"\npassword = \"p\"",
      "security.sasl.username", "needs a username");
  expect_rule(
      "[security]\nsecurity_protocol = \"SaslSsl\"\n[security.sasl]\n"
      "mechanism = \"Plain\"\nusername = \"u\"",
      "security.sasl.password", "needs a password");
  expect_rule(
      "[security]\nsecurity_protocol = \"SaslPlaintext\"\n[security.sasl]\n"
      "mechanism = \"Gssapi\"\nkerberos_service_name = \"\"",
      "security.sasl.kerberos_service_name", "service name");
  expect_rule(
      "[security]\nsecurity_protocol = \"SaslSsl\"\n[security.sasl]\n"
      "mechanism = \"OAuthBearer\"\noauthbearer_method = \"oidc\"\n"
      "oauthbearer_client_id = \"c\"\noauthbearer_client_secret = \"s\"",
      "security.sasl.oauthbearer_token_endpoint_url", "needs it");
  expect_rule(
      "[security]\nsecurity_protocol = \"Ssl\"\n[security.ssl]\n"
      "ca_file = \"/nonexistent/ca.pem\"",
      "security.ssl.ca_file", "file missing or unreadable");
  expect_rule("[security]\nsecurity_protocol = \"Ssl\"\n[security.ssl]\ncert_file = \"" +
                  std::string{MIB_SOURCE_DIR} + "/tests/data/tls/client.pem\"",
              "security.ssl.key_file", "set both cert_file and key_file");
  expect_rule("[consumer]\nmax_poll_interval_ms = 10000", "consumer.max_poll_interval_ms",
              "at least session_timeout_ms");
  expect_rule("[consumer]\nheartbeat_interval_ms = 30000", "consumer.heartbeat_interval_ms",
              "below session_timeout_ms");
  expect_rule("[consumer]\nfetch_max_bytes = 1000", "consumer.fetch_max_bytes",
              "max_partition_fetch_bytes");
  expect_rule("[consumer]\ngroup_id = \"\"", "consumer.group_id", "must not be empty");
  expect_rule("[brokers]\naddresses = [\"localhost\"]", "brokers.addresses", "host:port");
  expect_rule("[brokers]\naddresses = []", "brokers.addresses", "at least one broker");
  expect_rule("[global]\nhealth_port = 9090", "global.health_port", "different ports");
  expect_rule("[global]\nmetrics_path = \"metrics\"", "global.metrics_path", "start with '/'");
}

TEST(ConfigValidate, LibrdkafkaChecksRawPropertiesAndTheErrorNamesThem) {
  const auto issues = problems(
      "[librdkafka]\nsocket.keepalive.enabel = true\n[librdkafka.producer]\n"
      "linger.ms = \"soon\"\n");
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].path, "librdkafka.socket.keepalive.enabel");
  EXPECT_EQ(issues[0].source.line, 2u);
  EXPECT_NE(issues[0].message.find("librdkafka"), std::string::npos);
  EXPECT_EQ(issues[1].path, "librdkafka.producer.linger.ms");
}

TEST(ConfigValidate, SecretsNeverAppearInErrorsOrOutput) {
  const std::string toml = R"([security]
security_protocol = "SaslSsl"
[security.sasl]
mechanism = "Plain"
password = "hunter2-password"
[security.ssl]
key_password = "hunter2-key"
ca_file = "/nonexistent/ca.pem"
)";
  std::vector<mib::ConfigIssue> issues;
  const auto config = mib::Config::builder().toml(toml, "s.toml").environment({}).build(issues);
  ASSERT_FALSE(issues.empty());
  std::string everything;
  for (const auto& i : issues) everything += i.to_string() + "\n";
  try {
    mib::Config::builder().toml(toml, "s.toml").environment({}).build();
  } catch (const mib::ConfigError& e) {
    everything += e.what();
  }
  for (const auto& s : config.effective()) everything += s.path + "=" + s.value + "\n";
  std::ostringstream streamed;
  streamed << config.security.sasl.password << config.security.ssl.key_password;
  everything += streamed.str();
  EXPECT_EQ(streamed.str(), "************");
  // A secret of the wrong type is still not echoed.
  std::vector<mib::ConfigIssue> typed;
  mib::Config::builder()
      .toml("[security.sasl]\npassword = 987654321", "t.toml")
      .environment({})
      .build(typed);
  ASSERT_EQ(typed.size(), 1u);
  everything += typed[0].to_string();
  EXPECT_EQ(typed[0].value, "******");

  EXPECT_EQ(everything.find("hunter2"), std::string::npos) << everything;
  EXPECT_EQ(everything.find("987654321"), std::string::npos) << everything;
  EXPECT_EQ(config.security.sasl.password.reveal(), "hunter2-password");
}

// Keys this version accepts but does not act on yet: warned about where they are set
// (file, environment or code), never problems, and nothing for keys that take effect.
TEST(ConfigWarnings, KeysWithNoEffectYetAreNamedWhereTheyAreSet) {
  std::vector<mib::ConfigIssue> issues;
  auto config = mib::Config::builder()
                    .toml(
                        "[global]\nmetrics_port = 9091\nlog_level = \"debug\"\n"
                        "log_format = \"text\"\nstatistics_interval = \"1s\"\n"
                        "[streams]\nnum_threads = 4\n[producer]\nlinger_ms = 10\n",
                        "later.toml")
                    .environment({{"MIB_STREAMS_EXACTLY_ONCE", "true"},
                                  {"MIB_GLOBAL_HEALTH_ENABLED", "false"}})
                    .build(issues);
  ASSERT_TRUE(issues.empty()) << issues.front().to_string();
  config.set("streams.state_dir", "/var/lib/mib");

  std::vector<std::string> found;
  for (const auto& w : config.warnings()) found.push_back(w.to_string());
  EXPECT_EQ(found, (std::vector<std::string>{
                       "code: streams.state_dir = \"/var/lib/mib\": has no effect yet (stream "
                       "processing is not part of this version)",
                       "environment variable MIB_STREAMS_EXACTLY_ONCE: streams.exactly_once = "
                       "true: has no effect yet (stream processing is not part of this version)",
                       "later.toml:7: streams.num_threads = 4: has no effect yet (stream "
                       "processing is not part of this version)",
                   }));
}

TEST(ConfigWarnings, NoneForDefaultsOrKeysThatTakeEffect) {
  EXPECT_TRUE(mib::Config{}.warnings().empty());
  std::vector<mib::ConfigIssue> issues;
  const auto config = mib::Config::builder()
                          .toml(
                              "[global]\nlog_format = \"text\"\nstatistics_interval = \"1s\"\n"
                              "[consumer]\ngroup_id = \"g\"\n",
                              "wired.toml")
                          .environment({{"MIB_PRODUCER_LINGER_MS", "10"}})
                          .build(issues);
  ASSERT_TRUE(issues.empty());
  EXPECT_TRUE(config.warnings().empty());
}

TEST(ConfigMapping, ProducerKeyByKey) {
  mib::Config config;
  config.brokers.addresses = {"k1:9092", "k2:9092"};
  config.client.client_id = "feed";
  config.producer.linger_ms = 7ms;
  config.producer.transactional_id = "tx-1";
  const auto p = config.producer_properties();
  const mib::KafkaProperties expected{
      {"bootstrap.servers", "k1:9092,k2:9092"},
      {"client.id", "feed"},
      {"security.protocol", "plaintext"},
      {"socket.connection.setup.timeout.ms", "10000"},
      {"socket.timeout.ms", "30000"},
      {"metadata.max.age.ms", "300000"},
      {"log_level", "6"},  // global.log_level info: librdkafka builds no debug lines
      {"reconnect.backoff.ms", "100"},
      {"reconnect.backoff.max.ms", "10000"},
      {"acks", "all"},
      {"enable.idempotence", "true"},
      {"compression.type", "lz4"},
      {"partitioner", "murmur2_random"},
      {"batch.size", "16384"},
      {"linger.ms", "7"},
      {"delivery.timeout.ms", "120000"},
      {"request.timeout.ms", "30000"},
      {"max.in.flight.requests.per.connection", "5"},
      {"retries", "2147483647"},
      {"retry.backoff.ms", "100"},
      {"queue.buffering.max.messages", "100000"},
      {"queue.buffering.max.kbytes", "1048576"},
      {"transactional.id", "tx-1"},
      {"transaction.timeout.ms", "120000"},
  };
  EXPECT_EQ(p, expected);
  // librdkafka accepts every one of them.
  EXPECT_NO_THROW(mib::Producer(p, {.close_timeout = 0ms}));
}

TEST(ConfigMapping, PartitionerDefaultsToJavasAndEveryNameReachesLibrdkafka) {
  // murmur2_random: the partition Java's KafkaProducer picks for a key (see
  // tests/integration/partitioner_test.cpp), random for records without a key.
  EXPECT_EQ(mib::Config{}.producer.partitioner, mib::Partitioner::murmur2_random);
  EXPECT_EQ(mib::Config{}.producer_properties().at("partitioner"), "murmur2_random");
  EXPECT_FALSE(mib::Config{}.consumer_properties().contains("partitioner"));
  EXPECT_FALSE(mib::Config{}.admin_properties().contains("partitioner"));
  for (const char* name : {"random", "consistent", "consistent_random", "murmur2", "murmur2_random",
                           "fnv1a", "fnv1a_random"}) {
    mib::Config config;
    config.set("producer.partitioner", name);
    const auto p = config.producer_properties();
    EXPECT_EQ(p.at("partitioner"), name);
    EXPECT_NO_THROW(mib::Producer(p, {.close_timeout = 0ms})) << name;
  }
  // A raw [librdkafka.producer] partitioner still wins, as every raw property does.
  mib::Config config;
  config.librdkafka.producer["partitioner"] = "fnv1a";
  EXPECT_EQ(config.producer_properties().at("partitioner"), "fnv1a");
}

TEST(ConfigMapping, ConsumerKeyByKey) {
  mib::Config config;
  config.consumer.group_id = "risk";
  config.consumer.auto_offset_reset = mib::OffsetReset::earliest;
  config.consumer.partition_assignment_strategy = "cooperative-sticky";
  auto p = config.consumer_properties();
  for (const char* common :
       {"bootstrap.servers", "client.id", "security.protocol", "socket.connection.setup.timeout.ms",
        "socket.timeout.ms", "metadata.max.age.ms", "reconnect.backoff.ms",
        "reconnect.backoff.max.ms", "log_level"}) {
    EXPECT_EQ(p.erase(common), 1u) << common;
  }
  const mib::KafkaProperties expected{
      {"group.id", "risk"},
      {"auto.offset.reset", "earliest"},
      {"enable.auto.commit", "true"},
      {"auto.commit.interval.ms", "5000"},
      {"session.timeout.ms", "30000"},
      {"heartbeat.interval.ms", "3000"},
      {"max.poll.interval.ms", "300000"},
      {"fetch.min.bytes", "1"},
      {"fetch.wait.max.ms", "500"},
      {"fetch.max.bytes", "52428800"},
      {"max.partition.fetch.bytes", "1048576"},
      {"isolation.level", "read_committed"},
      {"partition.assignment.strategy", "cooperative-sticky"},
      {"queued.min.messages", "1000000"},
      {"fetch.queue.backoff.ms", "50"},
  };
  EXPECT_EQ(p, expected);
  EXPECT_NO_THROW(mib::Consumer{config.consumer_properties()});
}

TEST(ConfigMapping, SecurityAndRawOverrides) {
  mib::Config config;
  config.security.security_protocol = mib::SecurityProtocol::sasl_ssl;
  config.security.sasl.mechanism = mib::SaslMechanism::scram_sha512;
  config.security.sasl.username = "u";
  config.security.sasl.password = mib::Secret{"p"};
  config.security.ssl.ca_file = "/etc/ca.pem";
  config.security.ssl.verify_hostname = false;
  config.global.statistics_interval = 5s;
  config.librdkafka.all["socket.keepalive.enable"] = "true";
  config.librdkafka.admin["linger.ms"] = "1";  // admin table does not reach the producer
  config.librdkafka.producer["linger.ms"] = "9";
  const auto p = config.producer_properties();
  EXPECT_EQ(p.at("security.protocol"), "sasl_ssl");
  EXPECT_EQ(p.at("sasl.mechanisms"), "SCRAM-SHA-512");
  EXPECT_EQ(p.at("sasl.username"), "u");
  EXPECT_EQ(p.at("sasl.password"), "p");
  EXPECT_EQ(p.at("ssl.ca.location"), "/etc/ca.pem");
  EXPECT_EQ(p.at("ssl.endpoint.identification.algorithm"), "none");
  EXPECT_EQ(p.at("enable.ssl.certificate.verification"), "true");
  EXPECT_EQ(p.at("statistics.interval.ms"), "5000");
  EXPECT_EQ(p.at("socket.keepalive.enable"), "true");
  EXPECT_EQ(p.at("linger.ms"), "9");
  EXPECT_FALSE(p.contains("ssl.certificate.location"));
  EXPECT_EQ(config.admin_properties().at("linger.ms"), "1");
  EXPECT_FALSE(config.admin_properties().contains("acks"));
  EXPECT_FALSE(config.consumer_properties().contains("linger.ms"));

  config.security.sasl.mechanism = mib::SaslMechanism::gssapi;
  config.security.sasl.kerberos_principal = "client@EXAMPLE.COM";
  config.security.sasl.kerberos_keytab = "/etc/client.keytab";
  const auto k = config.admin_properties();
  EXPECT_EQ(k.at("sasl.mechanisms"), "GSSAPI");
  EXPECT_EQ(k.at("sasl.kerberos.service.name"), "kafka");
  EXPECT_EQ(k.at("sasl.kerberos.principal"), "client@EXAMPLE.COM");
  EXPECT_EQ(k.at("sasl.kerberos.keytab"), "/etc/client.keytab");
  EXPECT_FALSE(k.contains("sasl.username"));

  config.security.sasl.mechanism = mib::SaslMechanism::oauthbearer;
  config.security.sasl.oauthbearer_method = "oidc";
  config.security.sasl.oauthbearer_client_id = "id";
  config.security.sasl.oauthbearer_client_secret = mib::Secret{"sec"};
  config.security.sasl.oauthbearer_token_endpoint_url = "https://idp/token";
  const auto o = config.consumer_properties();
  EXPECT_EQ(o.at("sasl.mechanisms"), "OAUTHBEARER");
  EXPECT_EQ(o.at("sasl.oauthbearer.method"), "oidc");
  EXPECT_EQ(o.at("sasl.oauthbearer.client.id"), "id");
  EXPECT_EQ(o.at("sasl.oauthbearer.client.secret"), "sec");
  EXPECT_EQ(o.at("sasl.oauthbearer.token.endpoint.url"), "https://idp/token");
}

TEST(ConfigValidate, ATokenProviderReplacesLibrdkafkasUnsecuredJwtAndNeedsOAuthBearer) {
  mib::Config config;
  config.security.security_protocol = mib::SecurityProtocol::sasl_ssl;
  config.security.sasl.mechanism = mib::SaslMechanism::oauthbearer;
  EXPECT_EQ(config.producer_properties().at("enable.sasl.oauthbearer.unsecure.jwt"), "true");
  config.security.sasl.oauthbearer_token_provider = [] { return mib::OAuthBearerToken{}; };
  EXPECT_TRUE(config.validate().empty());
  EXPECT_FALSE(config.producer_properties().contains("enable.sasl.oauthbearer.unsecure.jwt"));
  EXPECT_EQ(config.producer_properties().at("sasl.mechanisms"), "OAUTHBEARER");

  config.security.sasl.oauthbearer_method = "oidc";
  config.security.sasl.oauthbearer_client_id = "id";
  config.security.sasl.oauthbearer_client_secret = mib::Secret{"sec"};
  config.security.sasl.oauthbearer_token_endpoint_url = "https://idp/token";
  auto issues = config.validate();
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].path, "security.sasl.oauthbearer_method");

  config.security.sasl.oauthbearer_method = "default";
  config.security.sasl.mechanism = mib::SaslMechanism::plain;
  config.security.sasl.username = "u";
  config.security.sasl.password = mib::Secret{"p"};
  issues = config.validate();
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].path, "security.sasl.mechanism");
  EXPECT_NE(issues[0].message.find("OAuthBearer"), std::string::npos) << issues[0].message;
}
