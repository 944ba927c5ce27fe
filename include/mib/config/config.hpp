// mib::Config: typed settings from TOML, the environment and code, validated at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mib/config/config_error.hpp"
#include "mib/config/oauthbearer_token.hpp"
#include "mib/config/secret.hpp"
#include "mib/kafka/properties.hpp"

namespace mib {

using Milliseconds = std::chrono::milliseconds;

enum class SecurityProtocol { plaintext, ssl, sasl_plaintext, sasl_ssl };
enum class SaslMechanism { none, plain, scram_sha256, scram_sha512, gssapi, oauthbearer };
enum class Compression { none, gzip, snappy, lz4, zstd };
enum class Acks { none, leader, all };  // acks=0, 1, all (-1)
// librdkafka's partitioners, by its names; murmur2* hash keys as Java's producer does.
enum class Partitioner {
  random,
  consistent,
  consistent_random,
  murmur2,
  murmur2_random,
  fnv1a,
  fnv1a_random
};
enum class OffsetReset { earliest, latest, error };
enum class IsolationLevel { read_committed, read_uncommitted };
enum class LogFormat { json, text };
enum class LogLevel { trace, debug, info, warn, error, critical, off };
enum class CleanupPolicy { remove, compact, compact_and_delete };  // "delete" is a keyword

struct BrokersConfig {
  std::vector<std::string> addresses{"localhost:9092"};
};

struct SaslConfig {
  SaslMechanism mechanism = SaslMechanism::none;
  std::string username{};
  Secret password{};
  std::string kerberos_service_name = "kafka";
  std::string kerberos_principal{};
  std::string kerberos_keytab{};
  std::string kerberos_kinit_cmd{};
  Milliseconds kerberos_min_time_before_relogin{60'000};
  // OAUTHBEARER: "oidc" fetches tokens from token_endpoint_url with client credentials;
  // "default" uses librdkafka's unsecured JWT builder (oauthbearer_config), for tests.
  std::string oauthbearer_method = "default";
  std::string oauthbearer_client_id{};
  Secret oauthbearer_client_secret{};
  std::string oauthbearer_token_endpoint_url{};
  std::string oauthbearer_scope{};
  Secret oauthbearer_config{};
  // Code only (no TOML key): the application's own tokens, in place of both methods
  // above. Every handle made from this config asks it (oauthbearer_token.hpp).
  OAuthBearerTokenProvider oauthbearer_token_provider{};
};

struct SslConfig {
  std::string ca_file{};
  std::string cert_file{};
  std::string key_file{};
  Secret key_password{};
  bool verify_hostname = true;
  bool verify_certificate = true;
  std::string cipher_suites{};  // OpenSSL cipher list; empty = librdkafka's default
};

struct SecurityConfig {
  SecurityProtocol security_protocol = SecurityProtocol::plaintext;
  SaslConfig sasl{};
  SslConfig ssl{};
};

struct ClientConfig {
  std::string client_id = "market_intel_client";
  Milliseconds connection_timeout{10'000};  // also how long the CLI waits for a first broker
  Milliseconds request_timeout{30'000};
  Milliseconds metadata_max_age{300'000};
  Milliseconds reconnect_backoff{100};
  Milliseconds reconnect_backoff_max{10'000};
};

struct ProducerConfig {
  Acks acks = Acks::all;
  bool enable_idempotence = true;
  Compression compression_type = Compression::lz4;
  // Java's partition for every key; records without a key go to a random partition.
  Partitioner partitioner = Partitioner::murmur2_random;
  std::int64_t batch_size = 16'384;
  Milliseconds linger_ms{5};
  Milliseconds delivery_timeout_ms{120'000};
  std::int64_t max_in_flight = 5;
  std::int64_t retries = 2'147'483'647;
  Milliseconds retry_backoff_ms{100};
  std::int64_t queue_buffering_max_messages = 100'000;
  std::int64_t queue_buffering_max_kbytes = 1'048'576;
  std::string transactional_id{};
  // As long as delivery_timeout_ms, which librdkafka requires it to be at least.
  Milliseconds transaction_timeout_ms{120'000};
  Milliseconds queue_full_wait{1'000};
  Milliseconds close_timeout{30'000};
  std::string dead_letter_suffix = ".dlq";
};

struct ConsumerConfig {
  std::string group_id = "market_intel_group";
  std::string group_instance_id{};
  OffsetReset auto_offset_reset = OffsetReset::latest;
  bool enable_auto_commit = true;
  Milliseconds auto_commit_interval_ms{5'000};
  Milliseconds session_timeout_ms{30'000};
  Milliseconds heartbeat_interval_ms{3'000};
  Milliseconds max_poll_interval_ms{300'000};
  std::int64_t max_poll_records = 500;
  std::int64_t fetch_min_bytes = 1;
  Milliseconds fetch_max_wait_ms{500};
  std::int64_t fetch_max_bytes = 52'428'800;
  std::int64_t max_partition_fetch_bytes = 1'048'576;
  IsolationLevel isolation_level = IsolationLevel::read_committed;
  std::string partition_assignment_strategy = "range,roundrobin";
};

// Settings for the topics of one message kind (the recommended table of the summary).
struct TopicSettings {
  std::int64_t partitions = 1;
  std::int64_t replication = 1;
  Milliseconds retention{86'400'000};
  std::int64_t max_message_bytes = 1'048'576;
  CleanupPolicy cleanup_policy = CleanupPolicy::remove;
  Compression compression = Compression::none;
};

struct TopicsConfig {
  std::string prefix = "market_intel";
  TopicSettings market_data{
      12, 3, Milliseconds{86'400'000}, 1'048'576, CleanupPolicy::remove, Compression::lz4};
  TopicSettings orders{
      6, 3, Milliseconds{604'800'000}, 524'288, CleanupPolicy::compact, Compression::zstd};
  TopicSettings trades{
      8, 3, Milliseconds{2'592'000'000}, 262'144, CleanupPolicy::compact, Compression::zstd};
  TopicSettings events{
      4, 2, Milliseconds{604'800'000}, 1'048'576, CleanupPolicy::remove, Compression::gzip};
  TopicSettings control{
      3, 3, Milliseconds{86'400'000}, 65'536, CleanupPolicy::remove, Compression::none};
};

// Where the schema registry is (a Confluent-compatible REST API) and how to log in.
struct SchemaRegistryConfig {
  std::string url{};       // e.g. "http://127.0.0.1:8081/apis/ccompat/v7"; empty: none
  std::string username{};  // basic auth, with `password`, when set
  Secret password{};
  Milliseconds timeout{10'000};  // per request, connecting included
};

struct StreamsConfig {
  std::string application_id = "market_intel_streams";
  std::string state_dir = "/tmp/mib-streams";
  Milliseconds commit_interval{100};
  std::int64_t num_threads = 1;
  bool exactly_once = false;
  std::int64_t buffer_size = 10'000;
};

struct GlobalConfig {
  bool metrics_enabled = true;
  std::string metrics_address = "127.0.0.1";
  std::int64_t metrics_port = 9090;
  std::string metrics_path = "/metrics";
  std::string prometheus_namespace = "market_intel";
  bool health_enabled = true;
  std::string health_address = "127.0.0.1";
  std::int64_t health_port = 8080;
  std::string health_path = "/health";
  LogLevel log_level = LogLevel::info;
  LogFormat log_format = LogFormat::json;
  Milliseconds statistics_interval{0};  // librdkafka statistics; 0 = off
};

// Raw librdkafka properties from the [librdkafka] tables, passed through as written.
struct LibrdkafkaConfig {
  KafkaProperties all{};       // [librdkafka]
  KafkaProperties producer{};  // [librdkafka.producer]
  KafkaProperties consumer{};  // [librdkafka.consumer]
  KafkaProperties admin{};     // [librdkafka.admin]
};

// Where an effective setting came from, lowest precedence first.
enum class Origin { default_value, file, environment, code };
std::string_view to_string(Origin origin) noexcept;

// One setting as `config show` prints it.
struct EffectiveSetting {
  std::string path{};   // "producer.linger_ms"
  std::string value{};  // as TOML would write it; secrets as "******"
  Origin origin = Origin::default_value;
  ConfigSource source{};  // file and line, or environment variable; empty for defaults
};

class ConfigBuilder;

// All settings of a client, with their defaults from the original summary. Load with
// Config::load() or Config::builder(); either validates everything and throws a
// ConfigError listing every problem at once. Plain data: copy it, change it, pass it on.
struct Config {
  BrokersConfig brokers;
  SecurityConfig security;
  ClientConfig client;
  ProducerConfig producer;
  ConsumerConfig consumer;
  TopicsConfig topics;
  SchemaRegistryConfig schema_registry;
  StreamsConfig streams;
  GlobalConfig global;
  LibrdkafkaConfig librdkafka;

  // The file, then the environment (REDPANDA_* and MIB_<SECTION>_<KEY>), over defaults.
  static Config load(const std::filesystem::path& file);
  // Defaults, then the environment.
  static Config from_environment();
  static ConfigBuilder builder();
  // A commented TOML file with every key, its default, meaning and environment variable.
  static std::string reference();

  // Every problem with the current values (cross-field rules, files, librdkafka's own
  // check of the [librdkafka] tables); empty when valid.
  std::vector<ConfigIssue> validate() const;
  // Settings given by a file, the environment or code that this version accepts but does
  // not act on yet (global.metrics_*, global.health_*, global.log_level, streams.*): one
  // issue each, with where it was set and why it changes nothing ("has no effect yet
  // (metrics are not served by this version)"). Not errors: they never stop a load.
  std::vector<ConfigIssue> warnings() const;

  // brokers.addresses as librdkafka's bootstrap.servers: "k1:9092,k2:9092".
  std::string bootstrap_servers() const;

  // librdkafka properties for each kind of handle, [librdkafka] tables applied last.
  KafkaProperties producer_properties() const;
  KafkaProperties consumer_properties() const;
  KafkaProperties admin_properties() const;

  // Every setting, in schema order, with where it came from.
  std::vector<EffectiveSetting> effective() const;
  Origin origin(std::string_view path) const;

  // Sets one setting by its path from text, as an environment variable would; records
  // Origin::code. Throws ConfigError naming the path if it is unknown or the text bad.
  void set(std::string_view path, std::string_view value);

 private:
  friend class ConfigBuilder;
  std::map<std::string, Origin, std::less<>> origins_;        // paths not listed are defaults
  std::map<std::string, ConfigSource, std::less<>> sources_;  // where each value was read
};

// Layers sources in precedence order: code > environment > file > defaults.
class ConfigBuilder {
 public:
  ConfigBuilder& file(const std::filesystem::path& path);
  ConfigBuilder& toml(std::string text, std::string source_name = "<toml>");
  // Reads these variables instead of the process environment (for tests and tools).
  ConfigBuilder& environment(std::map<std::string, std::string> variables);
  ConfigBuilder& process_environment();
  ConfigBuilder& set(std::string path, std::string value);

  // Applies every source, validates, and throws ConfigError with every problem found.
  Config build() const;
  // As build(), returning the problems instead of throwing (the config is partly set).
  Config build(std::vector<ConfigIssue>& issues) const;

 private:
  struct Toml {
    std::string text;
    std::string source;
    std::filesystem::path path;  // empty for inline text
  };
  std::optional<Toml> toml_;
  std::optional<std::map<std::string, std::string>> env_;
  bool process_env_ = false;
  std::vector<std::pair<std::string, std::string>> code_;
};

}  // namespace mib
