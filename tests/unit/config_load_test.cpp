// Loading configuration: the seed's examples, every source, precedence, bad input.
#include <gtest/gtest.h>

#include <fstream>

#include "mib/config/config.hpp"

using namespace std::chrono_literals;

namespace {

const std::string source_dir = MIB_SOURCE_DIR;

mib::Config load_toml(const std::string& text, std::vector<mib::ConfigIssue>& issues,
                      std::map<std::string, std::string> env = {}) {
  return mib::Config::builder().toml(text, "test.toml").environment(std::move(env)).build(issues);
}

std::string all_issues(const std::vector<mib::ConfigIssue>& issues) {
  std::string out;
  for (const auto& i : issues) out += i.to_string() + "\n";
  return out;
}

// The issue at `path`, or a failure naming what was found instead.
const mib::ConfigIssue* find_issue(const std::vector<mib::ConfigIssue>& issues,
                                   std::string_view path) {
  for (const auto& i : issues) {
    if (i.path == path) return &i;
  }
  ADD_FAILURE() << "no issue at " << path << "; found:\n" << all_issues(issues);
  return nullptr;
}

}  // namespace

TEST(ConfigLoad, SeedBasicExampleLoadsAsWritten) {
  std::vector<mib::ConfigIssue> issues;
  const auto config =
      mib::Config::builder().file(source_dir + "/config/basic.toml").environment({}).build(issues);
  EXPECT_TRUE(issues.empty()) << all_issues(issues);
  EXPECT_EQ(config.brokers.addresses, std::vector<std::string>{"localhost:9092"});
  EXPECT_EQ(config.security.security_protocol, mib::SecurityProtocol::plaintext);
  EXPECT_EQ(config.client.connection_timeout, 30s);
  EXPECT_EQ(config.client.request_timeout, 30s);
  EXPECT_EQ(config.producer.delivery_timeout_ms, 120s);
  EXPECT_EQ(config.producer.compression_type, mib::Compression::lz4);
  EXPECT_EQ(config.producer.batch_size, 16384);
  EXPECT_EQ(config.producer.linger_ms, 5ms);
  EXPECT_EQ(config.consumer.auto_offset_reset, mib::OffsetReset::latest);
  EXPECT_TRUE(config.consumer.enable_auto_commit);
  EXPECT_EQ(config.consumer.session_timeout_ms, 30s);
  EXPECT_EQ(config.consumer.max_poll_records, 500);
  EXPECT_EQ(config.origin("producer.linger_ms"), mib::Origin::file);
  EXPECT_EQ(config.origin("producer.acks"), mib::Origin::default_value);
}

TEST(ConfigLoad, SeedSaslSslExampleLoadsAsWrittenAndOnlyItsFilesAreMissing) {
  std::vector<mib::ConfigIssue> issues;
  const auto config = mib::Config::builder()
                          .file(source_dir + "/config/sasl_ssl.toml")
                          .environment({})
                          .build(issues);
  EXPECT_EQ(config.security.security_protocol, mib::SecurityProtocol::sasl_ssl);
  EXPECT_EQ(config.security.sasl.mechanism, mib::SaslMechanism::scram_sha256);
  EXPECT_EQ(config.security.sasl.username, "market_intel_user");
  EXPECT_EQ(config.security.sasl.password.reveal(), "secure_password");
  EXPECT_EQ(config.security.ssl.ca_file, "/path/to/ca.crt");
  EXPECT_TRUE(config.security.ssl.verify_hostname);
  // The example names certificate files that do not exist here: exactly those are reported.
  ASSERT_EQ(issues.size(), 3u) << all_issues(issues);
  for (const auto& issue : issues) {
    EXPECT_NE(issue.message.find("file missing or unreadable"), std::string::npos);
    EXPECT_GT(issue.source.line, 0u);
  }
}

TEST(ConfigLoad, ReferenceFileIsCurrentAndLoads) {
  std::ifstream in{source_dir + "/config/reference.toml"};
  ASSERT_TRUE(in) << "config/reference.toml missing";
  const std::string text{std::istreambuf_iterator<char>{in}, {}};
  EXPECT_EQ(text, mib::Config::reference())
      << "regenerate with: mib-stream config reference > config/reference.toml";
  std::vector<mib::ConfigIssue> issues;
  load_toml(text, issues);
  EXPECT_TRUE(issues.empty()) << all_issues(issues);
}

TEST(ConfigLoad, EverySectionReadsFromTomlWithLineNumbers) {
  std::vector<mib::ConfigIssue> issues;
  const auto config = load_toml(R"(
[brokers]
addresses = ["a:1", "b:2"]
[security]
security_protocol = "SASL_PLAINTEXT"
[security.sasl]
mechanism = "SCRAM-SHA-512"
username = "u"
password = "p"
[security.ssl]
verify_hostname = false
[client]
client_id = "risk"
[producer]
compression_type = "zstd"
[consumer]
group_id = "g"
[topics]
prefix = "mi"
[topics.orders]
partitions = 24
[streams]
num_threads = 4
[global]
log_format = "text"
log_level = "debug"
[librdkafka]
socket.keepalive.enable = true
[librdkafka.producer]
"sticky.partitioning.linger.ms" = 7
)",
                                issues);
  EXPECT_TRUE(issues.empty()) << all_issues(issues);
  EXPECT_EQ(config.brokers.addresses, (std::vector<std::string>{"a:1", "b:2"}));
  EXPECT_EQ(config.security.security_protocol, mib::SecurityProtocol::sasl_plaintext);
  EXPECT_EQ(config.security.sasl.mechanism, mib::SaslMechanism::scram_sha512);
  EXPECT_FALSE(config.security.ssl.verify_hostname);
  EXPECT_EQ(config.client.client_id, "risk");
  EXPECT_EQ(config.producer.compression_type, mib::Compression::zstd);
  EXPECT_EQ(config.consumer.group_id, "g");
  EXPECT_EQ(config.topics.prefix, "mi");
  EXPECT_EQ(config.topics.orders.partitions, 24);
  EXPECT_EQ(config.topics.trades.partitions, 8);  // the recommended table
  EXPECT_EQ(config.streams.num_threads, 4);
  EXPECT_EQ(config.global.log_format, mib::LogFormat::text);
  EXPECT_EQ(config.global.log_level, mib::LogLevel::debug);
  EXPECT_EQ(config.librdkafka.all.at("socket.keepalive.enable"), "true");
  EXPECT_EQ(config.librdkafka.producer.at("sticky.partitioning.linger.ms"), "7");

  const auto settings = config.effective();
  const auto client_id = std::find_if(settings.begin(), settings.end(),
                                      [](const auto& s) { return s.path == "client.client_id"; });
  ASSERT_NE(client_id, settings.end());
  EXPECT_EQ(client_id->origin, mib::Origin::file);
  EXPECT_EQ(client_id->source.name, "test.toml");
  EXPECT_EQ(client_id->source.line, 13u);
}

TEST(ConfigLoad, RedpandaEnvironmentVariables) {
  std::vector<mib::ConfigIssue> issues;
  const auto config =
      load_toml("", issues,
                {{"REDPANDA_BROKERS", "k1:9092, k2:9092"},
                 {"REDPANDA_SECURITY_PROTOCOL", "SASL_SSL"},
                 {"REDPANDA_SASL_MECHANISM", "PLAIN"},
                 {"REDPANDA_SASL_USERNAME", "alice"},
                 {"REDPANDA_SASL_PASSWORD", "s3cret"},
                 {"REDPANDA_SASL_SERVICE_NAME", "redpanda"},
                 {"REDPANDA_SSL_CA_FILE", MIB_SOURCE_DIR "/tests/data/tls/client.pem"},
                 {"REDPANDA_SSL_CERT_FILE", MIB_SOURCE_DIR "/tests/data/tls/client.pem"},
                 {"REDPANDA_SSL_KEY_FILE", MIB_SOURCE_DIR "/tests/data/tls/client.key"},
                 {"REDPANDA_SSL_KEY_PASSWORD", "kp"},
                 {"REDPANDA_SSL_VERIFY_HOSTNAME", "false"},
                 {"REDPANDA_CLIENT_ID", "env-client"}});
  EXPECT_TRUE(issues.empty()) << all_issues(issues);
  EXPECT_EQ(config.brokers.addresses, (std::vector<std::string>{"k1:9092", "k2:9092"}));
  EXPECT_EQ(config.security.security_protocol, mib::SecurityProtocol::sasl_ssl);
  EXPECT_EQ(config.security.sasl.mechanism, mib::SaslMechanism::plain);
  EXPECT_EQ(config.security.sasl.username, "alice");
  EXPECT_EQ(config.security.sasl.password.reveal(), "s3cret");
  EXPECT_EQ(config.security.sasl.kerberos_service_name, "redpanda");
  EXPECT_EQ(config.security.ssl.ca_file, MIB_SOURCE_DIR "/tests/data/tls/client.pem");
  EXPECT_EQ(config.security.ssl.key_password.reveal(), "kp");
  EXPECT_FALSE(config.security.ssl.verify_hostname);
  EXPECT_EQ(config.client.client_id, "env-client");
  EXPECT_EQ(config.origin("client.client_id"), mib::Origin::environment);
}

TEST(ConfigLoad, EveryKeyHasAWorkingMibEnvironmentVariable) {
  // Each key, set through its MIB_* variable to its own default text, loads cleanly and is
  // recorded as coming from the environment.
  const mib::Config defaults;
  for (const auto& setting : defaults.effective()) {
    std::string value = setting.value;
    if (value.size() >= 2 && value.front() == '"') value = value.substr(1, value.size() - 2);
    if (value.size() >= 2 && value.front() == '[') {  // arrays: comma-separated
      std::string list;
      for (char c : value.substr(1, value.size() - 2)) {
        if (c != '"') list += c;
      }
      value = list;
    }
    if (value.empty()) value = "x";  // an empty variable would mean "not set"
    std::string name = "MIB_";
    for (char c : setting.path) name += c == '.' ? '_' : static_cast<char>(std::toupper(c));
    std::vector<mib::ConfigIssue> issues;
    const auto config = load_toml("", issues, {{name, value}});
    EXPECT_EQ(config.origin(setting.path), mib::Origin::environment) << name << "=" << value;
    for (const auto& issue : issues) {
      EXPECT_NE(issue.source.name, "environment variable " + name) << issue.to_string();
    }
  }
}

TEST(ConfigLoad, PrecedenceIsCodeThenEnvironmentThenFileThenDefault) {
  const std::string file =
      "[producer]\nlinger_ms = 10\nbatch_size = 1000\n"
      "[consumer]\ngroup_id = \"from-file\"\n";
  std::vector<mib::ConfigIssue> issues;
  const auto config = mib::Config::builder()
                          .toml(file, "test.toml")
                          .environment({{"MIB_PRODUCER_LINGER_MS", "20"},
                                        {"MIB_CONSUMER_GROUP_ID", "from-env"},
                                        {"REDPANDA_CLIENT_ID", "redpanda-name"},
                                        {"MIB_CLIENT_CLIENT_ID", "mib-name"}})
                          .set("producer.linger_ms", "30ms")
                          .build(issues);
  EXPECT_TRUE(issues.empty()) << all_issues(issues);
  EXPECT_EQ(config.producer.linger_ms, 30ms);
  EXPECT_EQ(config.origin("producer.linger_ms"), mib::Origin::code);
  EXPECT_EQ(config.consumer.group_id, "from-env");
  EXPECT_EQ(config.producer.batch_size, 1000);
  EXPECT_EQ(config.origin("producer.batch_size"), mib::Origin::file);
  EXPECT_EQ(config.producer.max_in_flight, 5);
  EXPECT_EQ(config.origin("producer.max_in_flight"), mib::Origin::default_value);
  EXPECT_EQ(config.client.client_id, "mib-name");  // MIB_* is more specific than REDPANDA_*
}

TEST(ConfigLoad, UnknownKeysSuggestTheNearOne) {
  std::vector<mib::ConfigIssue> issues;
  load_toml("[producer]\nlinger_mss = 5\n[consumer]\nsesion_timeout_ms = 100\n[prodcuer]\nx = 1\n",
            issues, {{"MIB_PRODUCER_LINGER_MSS", "5"}, {"MIB_TEST_BROKERS", "not ours: ignored"}});
  ASSERT_EQ(issues.size(), 4u) << all_issues(issues);
  const auto* linger = find_issue(issues, "producer.linger_mss");
  ASSERT_NE(linger, nullptr);
  EXPECT_NE(linger->message.find("did you mean 'producer.linger_ms'"), std::string::npos)
      << linger->message;
  EXPECT_EQ(linger->source.line, 2u);
  const auto* session = find_issue(issues, "consumer.sesion_timeout_ms");
  ASSERT_NE(session, nullptr);
  EXPECT_NE(session->message.find("consumer.session_timeout_ms"), std::string::npos);
  EXPECT_NE(find_issue(issues, "prodcuer"), nullptr);
  const auto* env = find_issue(issues, "MIB_PRODUCER_LINGER_MSS");
  ASSERT_NE(env, nullptr);
  EXPECT_NE(env->message.find("MIB_PRODUCER_LINGER_MS?"), std::string::npos) << env->message;
}

TEST(ConfigLoad, WrongTypesRangesDurationsAndEnumsSayWhatIsAllowed) {
  std::vector<mib::ConfigIssue> issues;
  load_toml(R"([producer]
batch_size = "big"
linger_ms = "5 parsecs"
compression_type = "lz5"
enable_idempotence = "maybe"
[brokers]
addresses = 9092
[global]
metrics_port = 0
)",
            issues);
  ASSERT_EQ(issues.size(), 6u) << all_issues(issues);
  EXPECT_NE(find_issue(issues, "producer.batch_size")->message.find("expected an integer"),
            std::string::npos);
  const auto* linger = find_issue(issues, "producer.linger_ms");
  EXPECT_NE(linger->message.find("expected a duration"), std::string::npos);
  EXPECT_EQ(linger->value, "\"5 parsecs\"");
  EXPECT_EQ(linger->source.line, 3u);
  EXPECT_NE(find_issue(issues, "producer.compression_type")
                ->message.find("\"none\", \"gzip\", \"snappy\", \"lz4\" or \"zstd\""),
            std::string::npos);
  EXPECT_NE(find_issue(issues, "producer.enable_idempotence")->message.find("true or false"),
            std::string::npos);
  EXPECT_NE(find_issue(issues, "brokers.addresses"), nullptr);
  EXPECT_NE(find_issue(issues, "global.metrics_port")->message.find("from 1 to 65535"),
            std::string::npos);
}

TEST(ConfigLoad, PartitionerIsOneOfLibrdkafkasNames) {
  const std::string allowed =
      "\"random\", \"consistent\", \"consistent_random\", \"murmur2\", \"murmur2_random\", "
      "\"fnv1a\" or \"fnv1a_random\"";
  std::vector<mib::ConfigIssue> issues;
  load_toml("[producer]\npartitioner = \"java\"\n", issues);
  ASSERT_EQ(issues.size(), 1u) << all_issues(issues);
  EXPECT_EQ(issues[0].path, "producer.partitioner");
  EXPECT_EQ(issues[0].value, "\"java\"");
  EXPECT_EQ(issues[0].source.line, 2u);
  EXPECT_NE(issues[0].message.find(allowed), std::string::npos) << issues[0].message;
  const std::string line = issues[0].to_string();
  EXPECT_NE(line.find("producer.partitioner"), std::string::npos) << line;
  EXPECT_NE(line.find(allowed), std::string::npos) << line;

  // The same from the environment, and from code.
  issues.clear();
  load_toml("", issues, {{"MIB_PRODUCER_PARTITIONER", "crc32"}});
  ASSERT_EQ(issues.size(), 1u) << all_issues(issues);
  EXPECT_EQ(issues[0].path, "producer.partitioner");
  EXPECT_EQ(issues[0].source.name, "environment variable MIB_PRODUCER_PARTITIONER");
  EXPECT_NE(issues[0].message.find(allowed), std::string::npos) << issues[0].message;
  mib::Config config;
  try {
    config.set("producer.partitioner", "murmur3");
    FAIL() << "expected ConfigError";
  } catch (const mib::ConfigError& e) {
    EXPECT_NE(std::string{e.what()}.find("producer.partitioner"), std::string::npos) << e.what();
    EXPECT_NE(std::string{e.what()}.find(allowed), std::string::npos) << e.what();
  }
  EXPECT_EQ(config.producer.partitioner, mib::Partitioner::murmur2_random);
}

TEST(ConfigLoad, PartitionerFromTheEnvironmentOverridesTheFile) {
  std::vector<mib::ConfigIssue> issues;
  auto config = load_toml("[producer]\npartitioner = \"fnv1a_random\"\n", issues);
  EXPECT_TRUE(issues.empty()) << all_issues(issues);
  EXPECT_EQ(config.producer.partitioner, mib::Partitioner::fnv1a_random);
  EXPECT_EQ(config.origin("producer.partitioner"), mib::Origin::file);

  config = load_toml("[producer]\npartitioner = \"fnv1a_random\"\n", issues,
                     {{"MIB_PRODUCER_PARTITIONER", "consistent_random"}});
  EXPECT_TRUE(issues.empty()) << all_issues(issues);
  EXPECT_EQ(config.producer.partitioner, mib::Partitioner::consistent_random);
  EXPECT_EQ(config.origin("producer.partitioner"), mib::Origin::environment);
  EXPECT_EQ(config.producer_properties().at("partitioner"), "consistent_random");

  config = load_toml("", issues);
  EXPECT_EQ(config.origin("producer.partitioner"), mib::Origin::default_value);
  EXPECT_EQ(config.producer_properties().at("partitioner"), "murmur2_random");
}

TEST(ConfigLoad, DurationsTakeUnitsOrMilliseconds) {
  std::vector<mib::ConfigIssue> issues;
  const auto config = load_toml(
      "[client]\nrequest_timeout = \"1m30s\"\n[producer]\nlinger_ms = \"250ms\"\n"
      "[consumer]\nsession_timeout_ms = 45000\n",
      issues);
  EXPECT_TRUE(issues.empty()) << all_issues(issues);
  EXPECT_EQ(config.client.request_timeout, 90s);
  EXPECT_EQ(config.producer.linger_ms, 250ms);
  EXPECT_EQ(config.consumer.session_timeout_ms, 45s);
  load_toml("[producer]\nlinger_ms = \"1500us\"\n", issues);
  ASSERT_EQ(issues.size(), 1u) << all_issues(issues);
  EXPECT_NE(issues[0].message.find("millisecond precision"), std::string::npos);
}

TEST(ConfigLoad, FiveDistinctMistakesAreAllReported) {
  std::vector<mib::ConfigIssue> issues;
  mib::Config::builder()
      .file(source_dir + "/tests/data/five_mistakes.toml")
      .environment({})
      .build(issues);
  EXPECT_EQ(issues.size(), 5u) << all_issues(issues);
  for (const char* path : {"producer.linger_mss", "producer.acks", "producer.compression_type",
                           "consumer.session_timeout_ms", "global.metrics_port"}) {
    const auto* issue = find_issue(issues, path);
    ASSERT_NE(issue, nullptr);
    EXPECT_NE(issue->source.name.find("five_mistakes.toml"), std::string::npos);
    EXPECT_GT(issue->source.line, 0u);
  }
  try {
    mib::Config::builder()
        .file(source_dir + "/tests/data/five_mistakes.toml")
        .environment({})
        .build();
    FAIL() << "expected ConfigError";
  } catch (const mib::ConfigError& e) {
    EXPECT_EQ(e.issues().size(), 5u);
    EXPECT_NE(std::string{e.what()}.find("5 configuration problems"), std::string::npos);
  }
}

TEST(ConfigLoad, MalformedTomlIsAnErrorNeverACrash) {
  std::ifstream in{source_dir + "/config/basic.toml"};
  const std::string good{std::istreambuf_iterator<char>{in}, {}};
  // Truncated at every position: never a crash, and a broken cut names a line.
  for (std::size_t cut = 0; cut < good.size(); cut += 3) {
    std::vector<mib::ConfigIssue> issues;
    load_toml(good.substr(0, cut), issues);
    for (const auto& issue : issues) EXPECT_FALSE(issue.message.empty());
  }
  std::vector<mib::ConfigIssue> issues;
  load_toml(good.substr(0, good.find("addresses") + 14), issues);  // inside the array
  ASSERT_FALSE(issues.empty());
  EXPECT_NE(issues[0].message.find("not valid TOML"), std::string::npos);
  EXPECT_GT(issues[0].source.line, 0u);

  std::string binary(4096, '\0');
  for (std::size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>((i * 131) % 256);
  issues.clear();
  load_toml(binary, issues);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_NE(issues[0].message.find("not valid TOML"), std::string::npos);

  issues.clear();
  load_toml("a = " + std::string(100000, '['), issues);  // nesting far past any limit
  EXPECT_FALSE(issues.empty());

  const std::string huge_path = ::testing::TempDir() + "/huge.toml";
  {
    std::ofstream out{huge_path};
    const std::string line = "# padding padding padding padding padding padding padding\n";
    for (std::size_t written = 0; written <= (17u << 20); written += line.size()) out << line;
  }
  issues.clear();
  mib::Config::builder().file(huge_path).environment({}).build(issues);
  ASSERT_EQ(issues.size(), 1u) << all_issues(issues);
  EXPECT_NE(issues[0].message.find("at most"), std::string::npos);

  issues.clear();
  mib::Config::builder().file("/nonexistent/prod.toml").environment({}).build(issues);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].source.name, "/nonexistent/prod.toml");
  EXPECT_NE(issues[0].message.find("cannot read"), std::string::npos);
}

TEST(ConfigLoad, SetFromCodeNamesTheBadKey) {
  mib::Config config;
  config.set("producer.linger_ms", "7ms");
  EXPECT_EQ(config.producer.linger_ms, 7ms);
  EXPECT_EQ(config.origin("producer.linger_ms"), mib::Origin::code);
  try {
    config.set("producer.lingerms", "7ms");
    FAIL() << "expected ConfigError";
  } catch (const mib::ConfigError& e) {
    EXPECT_NE(std::string{e.what()}.find("producer.lingerms"), std::string::npos) << e.what();
    EXPECT_NE(std::string{e.what()}.find("did you mean 'producer.linger_ms'"), std::string::npos);
  }
}
