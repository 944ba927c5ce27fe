// mib::Error and mib::Exception: what went wrong, and whether trying again can help.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace mib {

// Error codes follow librdkafka's numbering of response errors: negative values are
// local (client-side) errors, positive values are the broker's protocol error codes. The
// names are the ones this library produces itself or a caller tests for; any other
// librdkafka code is still a valid errc value (static_cast<errc>(code)).
enum class errc : int {
  no_error = 0,
  bad_message = -199,          // RD_KAFKA_RESP_ERR__BAD_MSG
  destroyed = -197,            // RD_KAFKA_RESP_ERR__DESTROY
  transport = -195,            // RD_KAFKA_RESP_ERR__TRANSPORT: a broker connection failed
  resolve = -193,              // RD_KAFKA_RESP_ERR__RESOLVE: unknown host
  message_timed_out = -192,    // RD_KAFKA_RESP_ERR__MSG_TIMED_OUT
  partition_eof = -191,        // RD_KAFKA_RESP_ERR__PARTITION_EOF
  unknown_partition = -190,    // RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION
  unknown_topic = -188,        // RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC
  all_brokers_down = -187,     // RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN
  invalid_argument = -186,     // RD_KAFKA_RESP_ERR__INVALID_ARG
  timed_out = -185,            // RD_KAFKA_RESP_ERR__TIMED_OUT
  queue_full = -184,           // RD_KAFKA_RESP_ERR__QUEUE_FULL
  ssl = -181,                  // RD_KAFKA_RESP_ERR__SSL: TLS handshake failed
  state = -172,                // RD_KAFKA_RESP_ERR__STATE
  not_implemented = -170,      // RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED
  unsupported_feature = -165,  // RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE
  authentication = -169,       // RD_KAFKA_RESP_ERR__AUTHENTICATION: SASL failed
  purged_in_queue = -152,      // RD_KAFKA_RESP_ERR__PURGE_QUEUE
  purged_in_flight = -151,     // RD_KAFKA_RESP_ERR__PURGE_INFLIGHT
  fatal = -150,                // RD_KAFKA_RESP_ERR__FATAL
  max_poll_exceeded = -147,    // RD_KAFKA_RESP_ERR__MAX_POLL_EXCEEDED
  application = -143,          // RD_KAFKA_RESP_ERR__APPLICATION: a handler failed
  unsupported = -165,          // a call the linked librdkafka lacks (= unsupported_feature)
  // The broker's codes the admin API reports (Kafka's protocol numbering).
  unknown_topic_or_partition = 3,
  topic_authorization_failed = 29,
  group_authorization_failed = 30,
  cluster_authorization_failed = 31,
  topic_already_exists = 36,
  invalid_partitions = 37,
  invalid_replication_factor = 38,
  invalid_config = 40,
  policy_violation = 44,
  security_disabled = 54,  // the cluster runs no authorizer
  non_empty_group = 68,
  group_id_not_found = 69,
};

// The category of mib error codes; message() gives librdkafka's description.
const std::error_category& kafka_category() noexcept;

// So that a std::error_code compares with an errc: `code == mib::errc::queue_full`.
inline std::error_code make_error_code(errc code) noexcept {
  return {static_cast<int>(code), kafka_category()};
}

// An error as a value: a code, a message saying what and where, and how to react.
// A default-constructed Error means success.
class Error {
 public:
  Error() = default;
  Error(errc code, std::string message, bool retriable = false, bool fatal = false,
        bool abortable = false)
      : code_(code),
        message_(std::move(message)),
        retriable_(retriable),
        fatal_(fatal),
        abortable_(abortable) {}

  // An Error for a librdkafka code, with librdkafka's description as the message
  // unless one is given.
  static Error from_kafka(errc code, std::string message = {});
  static Error from_kafka(int code, std::string message = {}) {
    return from_kafka(static_cast<errc>(code), std::move(message));
  }

  // The same error (code, retriable / fatal / abortable) with "context: " before its
  // message, for a caller that knows where it happened.
  Error with_context(std::string_view context) const {
    Error out = *this;
    out.message_ = std::string{context} + ": " + message_;
    return out;
  }
  // The same error with another message.
  Error with_message(std::string message) const {
    Error out = *this;
    out.message_ = std::move(message);
    return out;
  }

  explicit operator bool() const noexcept { return code_ != errc::no_error; }
  bool ok() const noexcept { return code_ == errc::no_error; }
  errc code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  // Trying the same operation again may succeed (a leader moved, a timeout).
  bool retriable() const noexcept { return retriable_; }
  // The handle can no longer be used (for example, an idempotent producer was fenced).
  bool fatal() const noexcept { return fatal_; }
  // The current transaction must be aborted; the producer itself remains usable.
  bool abortable() const noexcept { return abortable_; }
  // librdkafka's symbolic name of the code, for example "_TIMED_OUT".
  std::string name() const;

  std::error_code error_code() const noexcept {
    return {static_cast<int>(code_), kafka_category()};
  }
  operator std::error_code() const noexcept { return error_code(); }  // NOLINT: by design

 private:
  errc code_ = errc::no_error;
  std::string message_;
  bool retriable_ = false;
  bool fatal_ = false;
  bool abortable_ = false;
};

// Thrown by constructors and configuration; per-message outcomes are values instead.
class Exception : public std::runtime_error {
 public:
  explicit Exception(Error error) : std::runtime_error(error.message()), error_(std::move(error)) {}
  const Error& error() const noexcept { return error_; }

 private:
  Error error_;
};

}  // namespace mib

template <>
struct std::is_error_code_enum<mib::errc> : std::true_type {};
