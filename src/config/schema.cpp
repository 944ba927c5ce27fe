#include "config/schema.hpp"

#include <algorithm>
#include <charconv>

#include "config/enum_names.hpp"
#include "mib/config/duration.hpp"

namespace mib::config {
namespace {

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || text.empty()) return std::nullopt;
  return value;
}

std::string range_text(const Field& f) {
  const bool has_min = f.min != std::numeric_limits<std::int64_t>::min();
  const bool has_max = f.max != std::numeric_limits<std::int64_t>::max();
  if (has_min && has_max) return " from " + std::to_string(f.min) + " to " + std::to_string(f.max);
  if (has_min) return " of at least " + std::to_string(f.min);
  if (has_max) return " of at most " + std::to_string(f.max);
  return "";
}

// Conversions from Raw, one per member type; each returns "" or what is wrong.
std::string convert(const Raw& raw, bool& out, const Field&) {
  if (const auto* b = std::get_if<bool>(&raw)) {
    out = *b;
    return "";
  }
  if (const auto* s = std::get_if<std::string>(&raw)) {
    const std::string folded = fold_name(*s);
    if (folded == "true" || folded == "1" || folded == "yes" || folded == "on") {
      out = true;
      return "";
    }
    if (folded == "false" || folded == "0" || folded == "no" || folded == "off") {
      out = false;
      return "";
    }
  }
  return "expected true or false";
}

std::string convert(const Raw& raw, std::int64_t& out, const Field& f) {
  std::optional<std::int64_t> value;
  if (const auto* i = std::get_if<std::int64_t>(&raw)) value = *i;
  if (const auto* s = std::get_if<std::string>(&raw)) value = parse_integer(*s);
  if (!value) return "expected an integer" + range_text(f);
  if (*value < f.min || *value > f.max) return "out of range: expected an integer" + range_text(f);
  out = *value;
  return "";
}

std::string convert(const Raw& raw, Milliseconds& out, const Field& f) {
  std::optional<std::int64_t> ms;
  if (const auto* i = std::get_if<std::int64_t>(&raw)) ms = *i;
  if (const auto* s = std::get_if<std::string>(&raw)) {
    if (auto plain = parse_integer(*s)) {
      ms = *plain;
    } else if (auto d = parse_duration(*s)) {
      if (d->count() % 1000 != 0) return "durations here have millisecond precision";
      ms = d->count() / 1000;
    }
  }
  const std::string expected =
      "expected a duration such as \"250ms\", \"30s\" or \"5m\" (or an "
      "integer of milliseconds)";
  if (!ms) return expected;
  if (*ms < f.min || *ms > f.max) {
    return "out of range: expected " + format_duration(std::chrono::milliseconds{f.min}) + " to " +
           format_duration(std::chrono::milliseconds{f.max});
  }
  out = Milliseconds{*ms};
  return "";
}

std::string convert(const Raw& raw, std::string& out, const Field&) {
  if (const auto* s = std::get_if<std::string>(&raw)) {
    out = *s;
    return "";
  }
  return "expected a string";
}

std::string convert(const Raw& raw, Secret& out, const Field&) {
  if (const auto* s = std::get_if<std::string>(&raw)) {
    out = Secret{*s};
    return "";
  }
  return "expected a string";
}

std::string convert(const Raw& raw, std::vector<std::string>& out, const Field&) {
  if (const auto* list = std::get_if<std::vector<std::string>>(&raw)) {
    out = *list;
    return "";
  }
  if (const auto* s = std::get_if<std::string>(&raw)) {  // environment: comma-separated
    out.clear();
    std::string_view rest = *s;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (!item.empty()) out.emplace_back(item);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    return "";
  }
  return "expected an array of strings";
}

template <typename E>
requires std::is_enum_v<E> std::string convert(const Raw& raw, E& out, const Field&) {
  std::optional<E> value;
  if (const auto* s = std::get_if<std::string>(&raw)) value = parse_enum<E>(*s);
  if (const auto* i = std::get_if<std::int64_t>(&raw)) value = parse_enum<E>(std::to_string(*i));
  if (!value) return "expected " + enum_choices<E>();
  out = *value;
  return "";
}

std::string show_value(bool v) {
  return v ? "true" : "false";
}
std::string show_value(std::int64_t v) {
  return std::to_string(v);
}
std::string show_value(Milliseconds v) {
  return quote(format_duration(std::chrono::duration_cast<std::chrono::microseconds>(v)));
}
std::string show_value(const std::string& v) {
  return quote(v);
}
std::string show_value(const Secret& v) {
  return quote(v.shown());
}
std::string show_value(const std::vector<std::string>& v) {
  std::string out = "[";
  for (const auto& item : v) out += (out.size() > 1 ? ", " : "") + quote(item);
  return out + "]";
}
template <typename E>
requires std::is_enum_v<E> std::string show_value(E v) {
  return quote(enum_name(v));
}

std::string allowed_text(bool*, const Field&) {
  return "true or false";
}
std::string allowed_text(std::int64_t*, const Field& f) {
  return "an integer" + range_text(f);
}
std::string allowed_text(Milliseconds*, const Field&) {
  return "a duration (\"250ms\", \"30s\")";
}
std::string allowed_text(std::string*, const Field&) {
  return "a string";
}
std::string allowed_text(Secret*, const Field&) {
  return "a string (secret)";
}
std::string allowed_text(std::vector<std::string>*, const Field&) {
  return "an array of strings";
}
template <typename E>
requires std::is_enum_v<E> std::string allowed_text(E*, const Field&) {
  return enum_choices<E>();
}

template <typename T, typename Locate>
class MemberBinding final : public Binding {
 public:
  explicit MemberBinding(Locate locate) : locate_(locate) {}
  std::string assign(Config& config, const Raw& raw, const Field& field) const override {
    return convert(raw, locate_(config), field);
  }
  std::string show(const Config& config) const override {
    return show_value(locate_(const_cast<Config&>(config)));
  }
  std::string allowed(const Field& field) const override {
    return allowed_text(static_cast<T*>(nullptr), field);
  }
  bool is_secret() const override { return std::is_same_v<T, Secret>; }

 private:
  Locate locate_;
};

struct Limits {
  std::int64_t min = std::numeric_limits<std::int64_t>::min();
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
};

template <typename Locate>
Field make_field(std::string path, Locate locate, std::string doc, Limits limits = {},
                 std::string env_alias = {}) {
  using T = std::remove_reference_t<decltype(locate(std::declval<Config&>()))>;
  return Field{std::move(path), std::move(doc), std::move(env_alias),
               limits.min,      limits.max,     std::make_shared<MemberBinding<T, Locate>>(locate)};
}

// FIELD(producer, linger_ms, ...): path "producer.linger_ms", member c.producer.linger_ms.
#define FIELD(section, key, ...) \
  make_field(                    \
      #section "." #key, [](Config & c) -> auto& { return c.section.key; }, __VA_ARGS__)

// A key the schema accepts but nothing reads yet (a later issue wires it): `why` is what
// `config check` says when the key is set.
Field no_effect_yet(Field field, std::string_view why) {
  field.no_effect = why;
  return field;
}
constexpr std::string_view kNoStreams = "stream processing is not part of this version";

constexpr std::int64_t kMaxInt32 = 2'147'483'647;
constexpr Limits port{1, 65'535};
constexpr Limits positive{1, kMaxInt32};
constexpr Limits non_negative{0, kMaxInt32};
constexpr Limits hour_ms{0, 3'600'000};
constexpr Limits day_ms{0, 86'400'000};

#define TOPIC_FIELDS(kind)                                                                  \
  FIELD(topics.kind, partitions, "Partitions of the " #kind " topic.", Limits{1, 100'000}), \
      FIELD(topics.kind, replication, "Replication factor.", Limits{1, 100}),               \
      FIELD(topics.kind, retention, "retention.ms: how long records are kept.",             \
            Limits{-1, std::numeric_limits<std::int64_t>::max()}),                          \
      FIELD(topics.kind, max_message_bytes, "max.message.bytes.", Limits{1, kMaxInt32}),    \
      FIELD(topics.kind, cleanup_policy, "cleanup.policy."),                                \
      FIELD(topics.kind, compression, "compression.type of the topic.")

std::vector<Field> make_fields() {
  return {
      FIELD(brokers, addresses, "Bootstrap brokers as host:port.", {}, "REDPANDA_BROKERS"),

      FIELD(security, security_protocol, "How to talk to brokers.", {},
            "REDPANDA_SECURITY_PROTOCOL"),
      FIELD(security.sasl, mechanism, "SASL mechanism (with SaslPlaintext or SaslSsl).", {},
            "REDPANDA_SASL_MECHANISM"),
      FIELD(security.sasl, username, "Username for Plain and Scram*.", {},
            "REDPANDA_SASL_USERNAME"),
      FIELD(security.sasl, password, "Password for Plain and Scram*.", {},
            "REDPANDA_SASL_PASSWORD"),
      FIELD(security.sasl, kerberos_service_name, "Kerberos service name of the brokers.", {},
            "REDPANDA_SASL_SERVICE_NAME"),
      FIELD(security.sasl, kerberos_principal, "This client's Kerberos principal."),
      FIELD(security.sasl, kerberos_keytab, "Keytab file for the principal."),
      FIELD(security.sasl, kerberos_kinit_cmd, "Command that renews the Kerberos ticket."),
      FIELD(security.sasl, kerberos_min_time_before_relogin, "Minimum time between renewals.",
            Limits{0, 86'400'000}),
      FIELD(security.sasl, oauthbearer_method,
            "OAuthBearer token source: \"oidc\" or \"default\" (unsecured JWT, for tests)."),
      FIELD(security.sasl, oauthbearer_client_id, "OIDC client id."),
      FIELD(security.sasl, oauthbearer_client_secret, "OIDC client secret."),
      FIELD(security.sasl, oauthbearer_token_endpoint_url, "OIDC token endpoint."),
      FIELD(security.sasl, oauthbearer_scope, "OIDC scope."),
      FIELD(security.sasl, oauthbearer_config,
            "librdkafka sasl.oauthbearer.config (unsecured JWT claims)."),
      FIELD(security.ssl, ca_file, "CA certificate(s) (PEM) to verify brokers.", {},
            "REDPANDA_SSL_CA_FILE"),
      FIELD(security.ssl, cert_file, "Client certificate (PEM).", {}, "REDPANDA_SSL_CERT_FILE"),
      FIELD(security.ssl, key_file, "Client private key (PEM).", {}, "REDPANDA_SSL_KEY_FILE"),
      FIELD(security.ssl, key_password, "Password of the private key.", {},
            "REDPANDA_SSL_KEY_PASSWORD"),
      FIELD(security.ssl, verify_hostname, "Check the broker's hostname against its certificate.",
            {}, "REDPANDA_SSL_VERIFY_HOSTNAME"),
      FIELD(security.ssl, verify_certificate, "Verify the broker's certificate chain."),
      FIELD(security.ssl, cipher_suites, "OpenSSL cipher list; empty for librdkafka's default."),

      FIELD(client, client_id, "client.id sent to brokers.", {}, "REDPANDA_CLIENT_ID"),
      FIELD(
          client, connection_timeout,
          "Time to set up a broker connection; mib-stream also waits this long for a first broker.",
          Limits{1'000, kMaxInt32}),
      FIELD(client, request_timeout, "Time to wait for a broker's answer.", Limits{10, 900'000}),
      FIELD(client, metadata_max_age, "Refresh cluster metadata at least this often.",
            Limits{1, 86'400'000}),
      FIELD(client, reconnect_backoff, "First wait before reconnecting.", Limits{0, 3'600'000}),
      FIELD(client, reconnect_backoff_max, "Longest wait before reconnecting.",
            Limits{0, 3'600'000}),

      FIELD(producer, acks, "Replicas that must have a record: \"all\", \"1\" or \"0\"."),
      FIELD(producer, enable_idempotence, "Exactly-once per partition; requires acks = \"all\"."),
      FIELD(producer, compression_type, "Batch compression."),
      FIELD(producer, partitioner,
            "How a key picks its partition; murmur2_random agrees with Java's producer (no key: "
            "random)."),
      FIELD(producer, batch_size, "Largest batch in bytes.", Limits{1, kMaxInt32}),
      FIELD(producer, linger_ms, "Wait this long to fill a batch.", Limits{0, 900'000}),
      FIELD(producer, delivery_timeout_ms, "Give up on a record after this long (with retries).",
            Limits{1, kMaxInt32}),
      FIELD(producer, max_in_flight,
            "Unanswered requests per connection (at most 5 with "
            "idempotence).",
            Limits{1, 1'000'000}),
      FIELD(producer, retries, "librdkafka's retries of a failed request.", non_negative),
      FIELD(producer, retry_backoff_ms, "Wait before a retry.", Limits{1, 300'000}),
      FIELD(producer, queue_buffering_max_messages, "Records held locally before send() waits.",
            Limits{1, kMaxInt32}),
      FIELD(producer, queue_buffering_max_kbytes, "Kilobytes held locally before send() waits.",
            Limits{1, kMaxInt32}),
      FIELD(producer, transactional_id, "Set to use transactions; needs idempotence."),
      FIELD(producer, transaction_timeout_ms, "Broker aborts a transaction open this long.",
            Limits{1'000, kMaxInt32}),
      FIELD(producer, queue_full_wait, "How long send() waits for room; 0 fails at once.",
            Limits{0, 3'600'000}),
      FIELD(producer, close_timeout, "How long close() waits for deliveries before purging.",
            Limits{0, 3'600'000}),
      FIELD(producer, dead_letter_suffix, "Dead letters of topic T go to T + this suffix."),

      FIELD(consumer, group_id, "Consumer group."),
      FIELD(consumer, group_instance_id, "Static membership id; empty for dynamic."),
      FIELD(consumer, auto_offset_reset, "Where to start without a committed offset."),
      FIELD(consumer, enable_auto_commit, "Commit offsets periodically in the background."),
      FIELD(consumer, auto_commit_interval_ms, "Period of automatic commits.", hour_ms),
      FIELD(consumer, session_timeout_ms, "Group membership lapses without heartbeats this long.",
            Limits{1, 3'600'000}),
      FIELD(consumer, heartbeat_interval_ms, "Period of group heartbeats.", Limits{1, 3'600'000}),
      FIELD(consumer, max_poll_interval_ms, "Longest allowed time between polls.",
            Limits{1, 86'400'000}),
      FIELD(consumer, max_poll_records, "Most records one batch poll returns.",
            Limits{1, 1'000'000}),
      FIELD(consumer, fetch_min_bytes, "Broker waits for this many bytes per fetch.", positive),
      FIELD(consumer, fetch_max_wait_ms, "Longest a broker holds a fetch.", Limits{0, 300'000}),
      FIELD(consumer, fetch_max_bytes, "Largest fetch response.", positive),
      FIELD(consumer, max_partition_fetch_bytes, "Largest fetch per partition.", positive),
      FIELD(consumer, isolation_level, "Whether records of open or aborted transactions show."),
      FIELD(consumer, partition_assignment_strategy,
            "range, roundrobin or cooperative-sticky (comma-separated)."),

      FIELD(topics, prefix, "Topic name prefix: <prefix>.market_data, <prefix>.orders, ..."),
      TOPIC_FIELDS(market_data),
      TOPIC_FIELDS(orders),
      TOPIC_FIELDS(trades),
      TOPIC_FIELDS(events),
      TOPIC_FIELDS(control),

      FIELD(schema_registry, url, "Base URL of the schema registry's REST API; empty for none."),
      FIELD(schema_registry, username, "Basic-auth user of the schema registry."),
      FIELD(schema_registry, password, "Basic-auth password of the schema registry."),
      FIELD(schema_registry, timeout, "Longest a registry request may take.", hour_ms),

      no_effect_yet(
          FIELD(streams, application_id, "Stream application id (consumer group, state names)."),
          kNoStreams),
      no_effect_yet(FIELD(streams, state_dir, "Directory of local state stores."), kNoStreams),
      no_effect_yet(
          FIELD(streams, commit_interval, "How often stream progress is committed.", hour_ms),
          kNoStreams),
      no_effect_yet(FIELD(streams, num_threads, "Processing threads.", Limits{1, 256}), kNoStreams),
      no_effect_yet(FIELD(streams, exactly_once, "Process with transactions (exactly once)."),
                    kNoStreams),
      no_effect_yet(
          FIELD(streams, buffer_size, "Records buffered between stages.", Limits{1, 100'000'000}),
          kNoStreams),

      FIELD(global, metrics_enabled,
            "Serve Prometheus metrics (where the application serves them)."),
      FIELD(global, metrics_address, "Address the metrics endpoint binds; loopback unless set."),
      FIELD(global, metrics_port, "Port of the metrics endpoint.", port),
      FIELD(global, metrics_path, "Path of the metrics endpoint."),
      FIELD(global, prometheus_namespace, "Prefix of every metric name; empty for none."),
      FIELD(global, health_enabled, "Serve health (/health) and readiness (/ready) endpoints."),
      FIELD(global, health_address, "Address the health endpoints bind; loopback unless set."),
      FIELD(global, health_port, "Port of the health endpoints.", port),
      FIELD(global, health_path, "Path of the health (liveness) endpoint."),
      FIELD(global, log_level, "Least severe log level written."),
      FIELD(global, log_format, "Structured JSON lines or plain text."),
      FIELD(global, statistics_interval, "librdkafka statistics period; 0 turns them off.", day_ms),
  };
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string Field::env_name() const {
  std::string name = "MIB_";
  for (char c : path) name += c == '.' ? '_' : static_cast<char>(std::toupper(c));
  return name;
}

std::string_view Field::section() const {
  return std::string_view{path}.substr(0, path.rfind('.'));
}

std::span<const Field> fields() {
  static const std::vector<Field> all = make_fields();
  return all;
}

const Field* find_field(std::string_view path) {
  for (const Field& f : fields()) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

std::vector<std::string> suggestions(std::string_view path) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  const auto key = path.substr(path.rfind('.') + 1);
  for (const Field& f : fields()) {
    const std::string_view known{f.path};
    const auto known_key = known.substr(known.rfind('.') + 1);
    // Close in full, or the same key in another section, or a near key in this section.
    std::size_t distance = edit_distance(path, known);
    if (known_key == key) distance = std::min<std::size_t>(distance, 2);
    if (f.section() == path.substr(0, path.rfind('.'))) {
      distance = std::min(distance, edit_distance(key, known_key));
    }
    const std::size_t limit = std::max<std::size_t>(2, key.size() / 3);
    if (distance <= limit) scored.emplace_back(distance, f.path);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && i < 3; ++i) out.push_back(scored[i].second);
  return out;
}

std::string describe(const Raw& raw, const Field* field) {
  if (field != nullptr && field->binding->is_secret()) return std::string{Secret::redacted};
  struct Visitor {
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return std::to_string(d); }
    std::string operator()(const std::string& s) const { return quote(s); }
    std::string operator()(const std::vector<std::string>& v) const { return show_value(v); }
  };
  return std::visit(Visitor{}, raw);
}

}  // namespace mib::config
