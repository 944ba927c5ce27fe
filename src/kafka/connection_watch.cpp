#include "kafka/connection_watch.hpp"

#include <algorithm>
#include <array>
#include <thread>

#include "kafka/certificate_check.hpp"
#include "kafka/handle.hpp"
#include "mib/config/duration.hpp"

namespace mib::kafka {
namespace {

// librdkafka's texts start with the broker's name: "127.0.0.1:1/bootstrap: Connect to ...".
// The name without the "/bootstrap" or "/1" suffix is what the user wrote or knows.
std::pair<std::string_view, std::string_view> split_broker(std::string_view reason) {
  const auto colon_space = reason.find(": ");
  if (colon_space == std::string_view::npos) return {{}, reason};
  std::string_view broker = reason.substr(0, colon_space);
  if (broker.find('/') == std::string_view::npos) return {{}, reason};  // not a broker name
  broker = broker.substr(0, broker.rfind('/'));
  return {broker, reason.substr(colon_space + 2)};
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::string_view cause_of(int code, std::string_view detail) {
  switch (code) {
    case RD_KAFKA_RESP_ERR__RESOLVE: return "unknown host";
    case RD_KAFKA_RESP_ERR__SSL: return "TLS handshake failed";
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
    case RD_KAFKA_RESP_ERR_ILLEGAL_SASL_STATE:
    case RD_KAFKA_RESP_ERR_UNSUPPORTED_SASL_MECHANISM: return "SASL handshake failed";
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN: return "no broker reachable";
    default: break;
  }
  if (contains(detail, "Connection refused")) return "connection refused";
  if (contains(detail, "SSL") || contains(detail, "TLS")) return "TLS handshake failed";
  if (contains(detail, "SASL")) return "SASL handshake failed";
  if (contains(detail, "timed out")) return "connection timed out";
  return "connection failed";
}

// A TLS handshake that no retry will get through, seen by librdkafka 2.10 as a mere
// disconnect or failed receive: the listener does not speak TLS, or the broker ended the
// handshake with an alert about this client's certificate. Empty for any other failure.
std::string_view lasting_tls_cause(std::string_view detail) {
  if (contains(detail, "connecting to a PLAINTEXT broker listener?"))
    return "the broker's listener does not speak TLS (a PLAINTEXT listener?): check "
           "security.security_protocol and the port";
  if (!contains(detail, "alert")) return {};
  if (contains(detail, "alert bad certificate") || contains(detail, "alert certificate required"))
    return "the broker refused this client's certificate, or its lack of one: its listener wants "
           "a client certificate (security.ssl.cert_file and key_file) signed by a CA it trusts";
  if (contains(detail, "alert certificate expired"))
    return "the broker says this client's certificate has expired";
  if (contains(detail, "alert unknown ca"))
    return "the broker does not trust the CA that signed this client's certificate";
  if (contains(detail, "alert certificate unknown") ||
      contains(detail, "alert unsupported certificate"))
    return "the broker refused this client's certificate";
  if (contains(detail, "alert handshake failure") || contains(detail, "alert protocol version"))
    return "the broker and this client share no TLS version or cipher suite";
  return {};
}

// librdkafka's "certificate verify failed" with OpenSSL's reason in its place, when the
// verification callback saw one (certificate_check.hpp).
std::string certificate_cause(rd_kafka_t* rk, std::string_view broker, std::string_view& detail) {
  if (!contains(detail, "certificate verify failed")) return {};
  const auto scheme = broker.find("://");
  std::string why = certificate_refusal(
      rk, scheme == std::string_view::npos ? broker : broker.substr(scheme + 3));
  // Its hint names ssl.ca.location whatever the reason: only OpenSSL's words stay.
  if (!why.empty()) {
    if (const auto hint = detail.find(": broker certificate could not be verified");
        hint != std::string_view::npos) {
      detail = detail.substr(0, hint);
    }
  }
  return why;
}

// "SASL handshake failed for SCRAM-SHA-512 as user 'alice'": what was tried, which the
// broker's words leave out for PLAIN. A user name is not a secret; the password is never read.
std::string sasl_cause(rd_kafka_t* rk) {
  const rd_kafka_conf_t* conf = rd_kafka_conf(rk);
  std::string out = "SASL handshake failed";
  const auto mechanism = property_value(conf, "sasl.mechanisms").value_or("");
  if (mechanism.empty()) return out;
  out += " for " + mechanism;
  if (mechanism == "PLAIN" || mechanism.starts_with("SCRAM")) {
    if (const auto user = property_value(conf, "sasl.username"); user && !user->empty()) {
      out += " as user '" + *user + "'";
    }
  } else if (mechanism == "GSSAPI") {
    if (const auto principal = property_value(conf, "sasl.kerberos.principal"); principal) {
      out += " as " + *principal;
    }
  }
  return out;
}

}  // namespace

bool is_connection_error(int code) noexcept {
  switch (code) {
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__RESOLVE:
    case RD_KAFKA_RESP_ERR__SSL:
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
    case RD_KAFKA_RESP_ERR_ILLEGAL_SASL_STATE:
    case RD_KAFKA_RESP_ERR_UNSUPPORTED_SASL_MECHANISM: return true;
    default: return false;
  }
}

bool is_lasting_connection_error(int code) noexcept {
  return code == RD_KAFKA_RESP_ERR__SSL || code == RD_KAFKA_RESP_ERR__AUTHENTICATION ||
         code == RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED ||
         code == RD_KAFKA_RESP_ERR_ILLEGAL_SASL_STATE ||
         code == RD_KAFKA_RESP_ERR_UNSUPPORTED_SASL_MECHANISM;
}

Error describe_error_event(rd_kafka_t* rk, int code, std::string_view reason) {
  if (code == RD_KAFKA_RESP_ERR__FATAL) {
    std::array<char, 512> detail{};
    const auto original = rd_kafka_fatal_error(rk, detail.data(), detail.size());
    return Error{to_errc(original), std::string{"fatal: "} + detail.data(), false, true};
  }
  if (!is_connection_error(code))
    return to_error(static_cast<rd_kafka_resp_err_t>(code), std::string{reason});
  auto [broker, detail] = split_broker(reason);
  std::string message = broker.empty() ? std::string{} : "broker " + std::string{broker} + ": ";
  if (const auto alert = lasting_tls_cause(detail); !alert.empty()) {
    code = RD_KAFKA_RESP_ERR__SSL;  // lasting: the broker will answer the same each time
    message += "TLS handshake failed: ";
    message += alert;
  } else if (const auto why = certificate_cause(rk, broker, detail); !why.empty()) {
    message += "TLS handshake failed: " + why;
  } else if (const auto cause = cause_of(code, detail); cause == "SASL handshake failed") {
    message += sasl_cause(rk);
  } else {
    message += cause;
  }
  message += " (";
  message += detail;
  message += ')';
  return Error{static_cast<errc>(code), std::move(message), !is_lasting_connection_error(code)};
}

void ConnectionWatch::observe(const Error& event) {
  if (!is_connection_error(static_cast<int>(event.code()))) return;
  const std::lock_guard lock{mutex_};
  if (event.code() == errc::all_brokers_down) {
    unreachable_.store(true, std::memory_order_release);
    if (last_) return;  // "1/1 brokers are down" says less than the error before it
  }
  // A refused handshake says more than the disconnects librdkafka logs between its
  // attempts ("Disconnected (after 1ms in state SSL_HANDSHAKE)"): it stays the cause.
  if (last_ && is_lasting_connection_error(static_cast<int>(last_->code())) &&
      !is_lasting_connection_error(static_cast<int>(event.code()))) {
    return;
  }
  last_ = event;
}

std::optional<Error> ConnectionWatch::last_error() const {
  const std::lock_guard lock{mutex_};
  return last_;
}

std::string ConnectionWatch::explain(std::string message) const {
  if (const auto cause = last_error(); cause && !ever_reached()) message += "; " + cause->message();
  return message;
}

Error wait_for_cluster(rd_kafka_t* rk, ConnectionWatch& watch, std::string_view bootstrap,
                       std::chrono::milliseconds timeout, const std::function<bool()>& cancelled) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    // Short asks: a refused connection answers at once, and a lasting error seen in
    // between ends the wait without spending the rest of the budget.
    const rd_kafka_metadata_t* metadata = nullptr;
    const auto err = rd_kafka_metadata(
        rk, 0, nullptr, &metadata,
        timeout_ms(std::clamp(left, std::chrono::milliseconds{1}, std::chrono::milliseconds{500})));
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_metadata_destroy(metadata);
      watch.reached();
      return {};
    }
    const auto last = watch.last_error();
    if (last && is_lasting_connection_error(static_cast<int>(last->code()))) return *last;
    if (cancelled && cancelled())
      return Error{errc::timed_out, "waiting for the cluster: cancelled"};
    if (std::chrono::steady_clock::now() >= deadline) {
      const std::string within = " within " + format_duration(timeout);
      if (last)
        return Error{
            last->code(),
            "no broker of " + std::string{bootstrap} + " reached" + within + ": " + last->message(),
            true};
      return to_error(err, "no broker of " + std::string{bootstrap} + " answered" + within + ": " +
                               rd_kafka_err2str(err));
    }
    // A refused connection fails the request at once; do not spin on it.
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
}

}  // namespace mib::kafka
