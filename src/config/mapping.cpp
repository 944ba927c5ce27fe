// Config -> librdkafka properties, one function per kind of handle.
#include "config/enum_names.hpp"
#include "mib/config/config.hpp"

namespace mib {
namespace {

std::string ms(Milliseconds d) {
  return std::to_string(d.count());
}
std::string flag(bool b) {
  return b ? "true" : "false";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

std::string_view protocol_name(SecurityProtocol p) {
  switch (p) {
    case SecurityProtocol::plaintext: return "plaintext";
    case SecurityProtocol::ssl: return "ssl";
    case SecurityProtocol::sasl_plaintext: return "sasl_plaintext";
    case SecurityProtocol::sasl_ssl: return "sasl_ssl";
  }
  return "plaintext";
}

std::string_view mechanism_name(SaslMechanism m) {
  switch (m) {
    case SaslMechanism::plain: return "PLAIN";
    case SaslMechanism::scram_sha256: return "SCRAM-SHA-256";
    case SaslMechanism::scram_sha512: return "SCRAM-SHA-512";
    case SaslMechanism::gssapi: return "GSSAPI";
    case SaslMechanism::oauthbearer: return "OAUTHBEARER";
    case SaslMechanism::none: break;
  }
  return "";
}

const char* librdkafka_log_level(LogLevel level) {
  switch (level) {
    case LogLevel::trace:
    case LogLevel::debug: return "7";
    case LogLevel::info: return "6";
    case LogLevel::warn: return "4";
    case LogLevel::error: return "3";
    case LogLevel::critical: return "2";
    case LogLevel::off: return "0";
  }
  return "6";
}

void set_if(KafkaProperties& p, const char* name, const std::string& value) {
  if (!value.empty()) p[name] = value;
}

}  // namespace

std::string Config::bootstrap_servers() const {
  return join(brokers.addresses);
}

namespace {

// Properties every handle shares: brokers, identity, security, connection behaviour.
KafkaProperties common(const Config& c) {
  KafkaProperties p;
  p["bootstrap.servers"] = c.bootstrap_servers();
  p["client.id"] = c.client.client_id;
  p["security.protocol"] = protocol_name(c.security.security_protocol);
  p["socket.connection.setup.timeout.ms"] = ms(c.client.connection_timeout);
  p["socket.timeout.ms"] = ms(c.client.request_timeout);
  p["metadata.max.age.ms"] = ms(c.client.metadata_max_age);
  p["reconnect.backoff.ms"] = ms(c.client.reconnect_backoff);
  p["reconnect.backoff.max.ms"] = ms(c.client.reconnect_backoff_max);
  // librdkafka builds no line below our level (syslog numbers; debug lines also need its
  // `debug` property, which stays the user's choice).
  p["log_level"] = librdkafka_log_level(c.global.log_level);
  if (c.global.statistics_interval.count() > 0) {
    p["statistics.interval.ms"] = ms(c.global.statistics_interval);
  }

  const SaslConfig& sasl = c.security.sasl;
  if (sasl.mechanism != SaslMechanism::none) {
    p["sasl.mechanisms"] = mechanism_name(sasl.mechanism);
  }
  switch (sasl.mechanism) {
    case SaslMechanism::plain:
    case SaslMechanism::scram_sha256:
    case SaslMechanism::scram_sha512:
      set_if(p, "sasl.username", sasl.username);
      set_if(p, "sasl.password", sasl.password.reveal());
      break;
    case SaslMechanism::gssapi:
      p["sasl.kerberos.service.name"] = sasl.kerberos_service_name;
      set_if(p, "sasl.kerberos.principal", sasl.kerberos_principal);
      set_if(p, "sasl.kerberos.keytab", sasl.kerberos_keytab);
      set_if(p, "sasl.kerberos.kinit.cmd", sasl.kerberos_kinit_cmd);
      p["sasl.kerberos.min.time.before.relogin"] = ms(sasl.kerberos_min_time_before_relogin);
      break;
    case SaslMechanism::oauthbearer:
      p["sasl.oauthbearer.method"] = sasl.oauthbearer_method;
      if (sasl.oauthbearer_method == "oidc") {
        set_if(p, "sasl.oauthbearer.client.id", sasl.oauthbearer_client_id);
        set_if(p, "sasl.oauthbearer.client.secret", sasl.oauthbearer_client_secret.reveal());
        set_if(p, "sasl.oauthbearer.token.endpoint.url", sasl.oauthbearer_token_endpoint_url);
        set_if(p, "sasl.oauthbearer.scope", sasl.oauthbearer_scope);
      } else if (!sasl.oauthbearer_token_provider) {
        // librdkafka's built-in unsecured JWT: for development clusters only.
        p["enable.sasl.oauthbearer.unsecure.jwt"] = "true";
        set_if(p, "sasl.oauthbearer.config", sasl.oauthbearer_config.reveal());
      }
      break;
    case SaslMechanism::none: break;
  }

  const auto protocol = c.security.security_protocol;
  if (protocol == SecurityProtocol::ssl || protocol == SecurityProtocol::sasl_ssl) {
    const SslConfig& ssl = c.security.ssl;
    set_if(p, "ssl.ca.location", ssl.ca_file);
    set_if(p, "ssl.certificate.location", ssl.cert_file);
    set_if(p, "ssl.key.location", ssl.key_file);
    set_if(p, "ssl.key.password", ssl.key_password.reveal());
    set_if(p, "ssl.cipher.suites", ssl.cipher_suites);
    p["ssl.endpoint.identification.algorithm"] = ssl.verify_hostname ? "https" : "none";
    p["enable.ssl.certificate.verification"] = flag(ssl.verify_certificate);
  }
  return p;
}

void overlay(KafkaProperties& p, const KafkaProperties& raw) {
  for (const auto& [name, value] : raw) p[name] = value;
}

std::string_view acks_value(Acks a) {
  switch (a) {
    case Acks::none: return "0";
    case Acks::leader: return "1";
    case Acks::all: return "all";
  }
  return "all";
}

}  // namespace

KafkaProperties Config::producer_properties() const {
  KafkaProperties p = common(*this);
  const ProducerConfig& pr = producer;
  p["acks"] = acks_value(pr.acks);
  p["enable.idempotence"] = flag(pr.enable_idempotence);
  p["compression.type"] = config::enum_name(pr.compression_type);
  p["partitioner"] = config::enum_name(pr.partitioner);
  p["batch.size"] = std::to_string(pr.batch_size);
  p["linger.ms"] = ms(pr.linger_ms);
  p["delivery.timeout.ms"] = ms(pr.delivery_timeout_ms);
  p["request.timeout.ms"] = ms(client.request_timeout);
  p["max.in.flight.requests.per.connection"] = std::to_string(pr.max_in_flight);
  p["retries"] = std::to_string(pr.retries);
  p["retry.backoff.ms"] = ms(pr.retry_backoff_ms);
  p["queue.buffering.max.messages"] = std::to_string(pr.queue_buffering_max_messages);
  p["queue.buffering.max.kbytes"] = std::to_string(pr.queue_buffering_max_kbytes);
  if (!pr.transactional_id.empty()) {
    p["transactional.id"] = pr.transactional_id;
    p["transaction.timeout.ms"] = ms(pr.transaction_timeout_ms);
  }
  overlay(p, librdkafka.all);
  overlay(p, librdkafka.producer);
  return p;
}

KafkaProperties Config::consumer_properties() const {
  KafkaProperties p = common(*this);
  const ConsumerConfig& co = consumer;
  p["group.id"] = co.group_id;
  set_if(p, "group.instance.id", co.group_instance_id);
  p["auto.offset.reset"] = config::enum_name(co.auto_offset_reset);
  p["enable.auto.commit"] = flag(co.enable_auto_commit);
  p["auto.commit.interval.ms"] = ms(co.auto_commit_interval_ms);
  p["session.timeout.ms"] = ms(co.session_timeout_ms);
  p["heartbeat.interval.ms"] = ms(co.heartbeat_interval_ms);
  p["max.poll.interval.ms"] = ms(co.max_poll_interval_ms);
  p["fetch.min.bytes"] = std::to_string(co.fetch_min_bytes);
  p["fetch.wait.max.ms"] = ms(co.fetch_max_wait_ms);
  p["fetch.max.bytes"] = std::to_string(co.fetch_max_bytes);
  p["max.partition.fetch.bytes"] = std::to_string(co.max_partition_fetch_bytes);
  p["isolation.level"] = config::enum_name(co.isolation_level);
  p["partition.assignment.strategy"] = co.partition_assignment_strategy;
  // librdkafka holds a partition's next fetch back for fetch.queue.backoff.ms (a second)
  // whenever the consumer's queue, all partitions counted, holds queued.min.messages
  // records or queued.max.messages.kbytes (64 MB): a consumer a little slower than the
  // broker drained its queue and then waited. A million records, and 50 ms: the queue
  // stays bounded by its 64 MB and is refilled before it empties. See docs/decisions.md.
  p["queued.min.messages"] = "1000000";
  p["fetch.queue.backoff.ms"] = "50";
  overlay(p, librdkafka.all);
  overlay(p, librdkafka.consumer);
  return p;
}

KafkaProperties Config::admin_properties() const {
  KafkaProperties p = common(*this);
  overlay(p, librdkafka.all);
  overlay(p, librdkafka.admin);
  return p;
}

}  // namespace mib
