// Rules across settings, the files they name, and librdkafka's own check of properties.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <memory>
#include <tuple>

#include "config/enum_names.hpp"
#include "config/schema.hpp"
#include "config/tls_files.hpp"
#include "kafka/handle.hpp"
#include "mib/config/config.hpp"
#include "mib/config/duration.hpp"

namespace mib {
namespace {

std::string show_ms(Milliseconds d) {
  return format_duration(std::chrono::duration_cast<std::chrono::microseconds>(d));
}

bool is_sasl(SecurityProtocol p) {
  return p == SecurityProtocol::sasl_plaintext || p == SecurityProtocol::sasl_ssl;
}
bool is_tls(SecurityProtocol p) {
  return p == SecurityProtocol::ssl || p == SecurityProtocol::sasl_ssl;
}

// "host:port" with a port from 1 to 65535; IPv6 hosts in brackets.
bool valid_address(std::string_view address) {
  const auto colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const auto port_text = address.substr(colon + 1);
  int port = 0;
  const auto [ptr, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  return ec == std::errc{} && ptr == port_text.data() + port_text.size() && port >= 1 &&
         port <= 65535;
}

}  // namespace

std::vector<ConfigIssue> Config::warnings() const {
  std::vector<ConfigIssue> out;
  for (const config::Field& field : config::fields()) {
    if (field.no_effect.empty() || origin(field.path) == Origin::default_value) continue;
    const auto source = sources_.find(field.path);
    out.push_back({source == sources_.end() ? ConfigSource{} : source->second, field.path,
                   field.binding->show(*this), "has no effect yet (" + field.no_effect + ")"});
  }
  // In the order of the file, then the other sources, as build() orders problems.
  std::stable_sort(out.begin(), out.end(), [](const ConfigIssue& a, const ConfigIssue& b) {
    return std::tie(a.source.name, a.source.line) < std::tie(b.source.name, b.source.line);
  });
  return out;
}

std::vector<ConfigIssue> Config::validate() const {
  std::vector<ConfigIssue> issues;
  const auto source_of = [this](const std::string& path) {
    const auto it = sources_.find(path);
    return it == sources_.end() ? ConfigSource{"default", 0} : it->second;
  };
  // An issue at `path`, quoting its current value.
  const auto issue = [&](const std::string& path, std::string message) {
    const config::Field* field = config::find_field(path);
    issues.push_back(
        {source_of(path), path, field ? field->binding->show(*this) : "", std::move(message)});
  };

  // Brokers.
  if (brokers.addresses.empty()) issue("brokers.addresses", "at least one broker is needed");
  for (const auto& address : brokers.addresses) {
    if (!valid_address(address)) {
      issue("brokers.addresses", "'" + address + "' is not host:port with a port from 1 to 65535");
    }
  }

  // Security.
  const SaslConfig& sasl = security.sasl;
  const auto protocol = security.security_protocol;
  if (is_sasl(protocol) && sasl.mechanism == SaslMechanism::none) {
    issue("security.sasl.mechanism",
          "security_protocol " + std::string{config::enum_name(protocol)} +
              " needs a SASL mechanism: " + config::enum_choices<SaslMechanism>());
  }
  if (!is_sasl(protocol) && sasl.mechanism != SaslMechanism::none) {
    issue("security.security_protocol",
          "a SASL mechanism is set but the protocol does not use SASL; use \"SaslPlaintext\" or "
          "\"SaslSsl\"");
  }
  if (sasl.oauthbearer_token_provider && sasl.mechanism != SaslMechanism::oauthbearer) {
    issue("security.sasl.mechanism",
          "a token provider is given in code; it needs mechanism = \"OAuthBearer\"");
  }
  if (is_sasl(protocol)) {
    switch (sasl.mechanism) {
      case SaslMechanism::plain:
      case SaslMechanism::scram_sha256:
      case SaslMechanism::scram_sha512:
        if (sasl.username.empty()) {
          issue("security.sasl.username",
                std::string{config::enum_name(sasl.mechanism)} + " needs a username");
        }
        if (sasl.password.empty()) {
          issue("security.sasl.password",
                std::string{config::enum_name(sasl.mechanism)} + " needs a password");
        }
        break;
      case SaslMechanism::gssapi:
        if (sasl.kerberos_service_name.empty()) {
          issue("security.sasl.kerberos_service_name", "Gssapi needs the brokers' service name");
        }
        if (!sasl.kerberos_keytab.empty() && !std::ifstream{sasl.kerberos_keytab}) {
          issue("security.sasl.kerberos_keytab", "file missing or unreadable");
        }
        break;
      case SaslMechanism::oauthbearer:
        if (sasl.oauthbearer_method == "oidc") {
          for (const auto& [path, empty] :
               {std::pair{"security.sasl.oauthbearer_client_id",
                          sasl.oauthbearer_client_id.empty()},
                {"security.sasl.oauthbearer_client_secret", sasl.oauthbearer_client_secret.empty()},
                {"security.sasl.oauthbearer_token_endpoint_url",
                 sasl.oauthbearer_token_endpoint_url.empty()}}) {
            if (empty) issue(path, "OAuthBearer with oauthbearer_method \"oidc\" needs it");
          }
        } else if (sasl.oauthbearer_method != "default") {
          issue("security.sasl.oauthbearer_method", "expected \"oidc\" or \"default\"");
        }
        if (sasl.oauthbearer_token_provider && sasl.oauthbearer_method == "oidc") {
          issue("security.sasl.oauthbearer_method",
                "a token provider is given in code: it replaces \"oidc\"; leave \"default\"");
        }
        break;
      case SaslMechanism::none: break;
    }
  }
  const SslConfig& ssl = security.ssl;
  if (is_tls(protocol)) {
    for (const auto& [path, file] : {std::pair{"security.ssl.ca_file", &ssl.ca_file},
                                     {"security.ssl.cert_file", &ssl.cert_file},
                                     {"security.ssl.key_file", &ssl.key_file}}) {
      if (!file->empty() && !std::ifstream{*file}) issue(path, "file missing or unreadable");
    }
    if (ssl.cert_file.empty() != ssl.key_file.empty()) {
      issue(ssl.cert_file.empty() ? "security.ssl.cert_file" : "security.ssl.key_file",
            "a client certificate and its key go together: set both cert_file and key_file");
    }
    for (auto& [path, message] : config::check_tls_files(ssl)) issue(path, std::move(message));
  }

  // Producer.
  const ProducerConfig& pr = producer;
  if (pr.enable_idempotence && pr.acks != Acks::all) {
    issue("producer.acks", "enable_idempotence = true requires acks = \"all\"");
  }
  if (pr.enable_idempotence && pr.max_in_flight > 5) {
    issue("producer.max_in_flight", "enable_idempotence = true allows at most 5");
  }
  if (!pr.transactional_id.empty() && !pr.enable_idempotence) {
    issue("producer.transactional_id", "transactions require enable_idempotence = true");
  }
  if (pr.delivery_timeout_ms < pr.linger_ms + client.request_timeout) {
    issue("producer.delivery_timeout_ms", "must be at least linger_ms + client.request_timeout (" +
                                              show_ms(pr.linger_ms + client.request_timeout) + ")");
  }
  if (!pr.transactional_id.empty() && pr.delivery_timeout_ms > pr.transaction_timeout_ms) {
    issue("producer.delivery_timeout_ms",
          "with transactions it may not exceed transaction_timeout_ms (" +
              show_ms(pr.transaction_timeout_ms) + ")");
  }

  // Consumer.
  const ConsumerConfig& co = consumer;
  if (co.group_id.empty()) issue("consumer.group_id", "must not be empty");
  if (co.heartbeat_interval_ms >= co.session_timeout_ms) {
    issue("consumer.heartbeat_interval_ms", "must be below session_timeout_ms (" +
                                                show_ms(co.session_timeout_ms) +
                                                "); a third of it is usual");
  }
  if (co.max_poll_interval_ms < co.session_timeout_ms) {
    issue("consumer.max_poll_interval_ms",
          "must be at least session_timeout_ms (" + show_ms(co.session_timeout_ms) + ")");
  }
  if (co.fetch_max_bytes < co.max_partition_fetch_bytes) {
    issue("consumer.fetch_max_bytes", "must be at least max_partition_fetch_bytes (" +
                                          std::to_string(co.max_partition_fetch_bytes) + ")");
  }

  // Observability endpoints.
  if (global.metrics_enabled && global.health_enabled &&
      global.metrics_port == global.health_port) {
    issue("global.health_port", "metrics and health endpoints need different ports");
  }
  for (const auto* path : {"global.metrics_path", "global.health_path"}) {
    const std::string& value =
        std::string_view{path} == "global.metrics_path" ? global.metrics_path : global.health_path;
    if (value.empty() || value.front() != '/') issue(path, "must start with '/'");
  }
  // Prometheus metric names are [a-zA-Z_:][a-zA-Z0-9_:]*; the namespace starts each one.
  const std::string& ns = global.prometheus_namespace;
  const auto name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':';
  };
  if (!ns.empty() && (std::isdigit(static_cast<unsigned char>(ns.front())) ||
                      !std::all_of(ns.begin(), ns.end(), name_char))) {
    issue("global.prometheus_namespace",
          "must be letters, digits, '_' or ':' and not start with a digit (it starts every "
          "metric name)");
  }
  for (const auto* path : {"global.metrics_address", "global.health_address"}) {
    const std::string& value = std::string_view{path} == "global.metrics_address"
                                   ? global.metrics_address
                                   : global.health_address;
    if (value.empty()) issue(path, "must not be empty (127.0.0.1 serves this machine only)");
  }
  if (topics.prefix.empty()) issue("topics.prefix", "must not be empty");

  // librdkafka checks the raw [librdkafka] properties itself: names and values.
  for (const auto& [section, properties] : {std::pair{"librdkafka", &librdkafka.all},
                                            {"librdkafka.producer", &librdkafka.producer},
                                            {"librdkafka.consumer", &librdkafka.consumer},
                                            {"librdkafka.admin", &librdkafka.admin}}) {
    for (const auto& problem : kafka::property_problems(*properties)) {
      const std::string path = std::string{section} + "." + problem.name;
      issues.push_back(
          {source_of(path), path, "\"" + problem.value + "\"", "librdkafka: " + problem.reason});
    }
  }
  return issues;
}

}  // namespace mib
