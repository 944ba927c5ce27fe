// mib::Error and mib::Exception: what went wrong, and whether trying again can help.
#pragma once

#include <stdexcept>
#include <string>
#include <system_error>

namespace mib {

// Error codes follow librdkafka's rd_kafka_resp_err_t numbering: negative values are
// local (client-side) errors, positive values are the broker's protocol error codes.
// The named constants are the ones this library produces itself or tests for.
namespace errc {
inline constexpr int no_error = 0;
inline constexpr int bad_message = -199;          // RD_KAFKA_RESP_ERR__BAD_MSG
inline constexpr int destroyed = -197;            // RD_KAFKA_RESP_ERR__DESTROY
inline constexpr int all_brokers_down = -187;     // RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN
inline constexpr int invalid_argument = -186;     // RD_KAFKA_RESP_ERR__INVALID_ARG
inline constexpr int timed_out = -185;            // RD_KAFKA_RESP_ERR__TIMED_OUT
inline constexpr int queue_full = -184;           // RD_KAFKA_RESP_ERR__QUEUE_FULL
inline constexpr int unknown_topic = -188;        // RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC
inline constexpr int unknown_partition = -190;    // RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION
inline constexpr int message_timed_out = -192;    // RD_KAFKA_RESP_ERR__MSG_TIMED_OUT
inline constexpr int not_implemented = -170;      // RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED
inline constexpr int purged_in_queue = -152;      // RD_KAFKA_RESP_ERR__PURGE_QUEUE
inline constexpr int purged_in_flight = -151;     // RD_KAFKA_RESP_ERR__PURGE_INFLIGHT
inline constexpr int unsupported_feature = -196;  // RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE
inline constexpr int partition_eof = -191;        // RD_KAFKA_RESP_ERR__PARTITION_EOF
inline constexpr int state = -172;                // RD_KAFKA_RESP_ERR__STATE
inline constexpr int max_poll_exceeded = -147;    // RD_KAFKA_RESP_ERR__MAX_POLL_EXCEEDED
inline constexpr int application = -143;  // RD_KAFKA_RESP_ERR__APPLICATION: a handler failed
}  // namespace errc

// The category of mib error codes; message() gives librdkafka's description.
const std::error_category& kafka_category() noexcept;

// An error as a value: a code, a message saying what and where, and how to react.
// A default-constructed Error means success.
class Error {
 public:
  Error() = default;
  Error(int code, std::string message, bool retriable = false, bool fatal = false,
        bool abortable = false)
      : code_(code),
        message_(std::move(message)),
        retriable_(retriable),
        fatal_(fatal),
        abortable_(abortable) {}

  // An Error for a librdkafka code, with librdkafka's description as the message
  // unless one is given.
  static Error from_kafka(int code, std::string message = {});

  explicit operator bool() const noexcept { return code_ != errc::no_error; }
  bool ok() const noexcept { return code_ == errc::no_error; }
  int code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  // Trying the same operation again may succeed (a leader moved, a timeout).
  bool retriable() const noexcept { return retriable_; }
  // The handle can no longer be used (for example, an idempotent producer was fenced).
  bool fatal() const noexcept { return fatal_; }
  // The current transaction must be aborted; the producer itself remains usable.
  bool abortable() const noexcept { return abortable_; }
  // librdkafka's symbolic name of the code, for example "_TIMED_OUT".
  std::string name() const;

  std::error_code error_code() const noexcept { return {code_, kafka_category()}; }
  operator std::error_code() const noexcept { return error_code(); }  // NOLINT: by design

 private:
  int code_ = errc::no_error;
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
