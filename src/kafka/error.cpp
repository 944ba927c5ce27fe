#include <librdkafka/rdkafka.h>

#include "kafka/handle.hpp"
#include "mib/error.hpp"

namespace mib {
namespace {

class KafkaCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "kafka"; }
  std::string message(int code) const override {
    return rd_kafka_err2str(static_cast<rd_kafka_resp_err_t>(code));
  }
};

// Errors after which the same request may succeed: leadership moved, a broker was slow
// or away, replicas were short for a moment. From Kafka's protocol error table.
bool is_retriable(rd_kafka_resp_err_t code) {
  switch (code) {
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__QUEUE_FULL:
    case RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE:
    case RD_KAFKA_RESP_ERR__WAIT_COORD:
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION:
    case RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS:
    case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR:
    case RD_KAFKA_RESP_ERR_FETCH_SESSION_ID_NOT_FOUND:
    case RD_KAFKA_RESP_ERR_INVALID_FETCH_SESSION_EPOCH:
    case RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_PREFERRED_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH:
    case RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH:
    case RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS:
    case RD_KAFKA_RESP_ERR_THROTTLING_QUOTA_EXCEEDED: return true;
    default: return false;
  }
}

bool is_fatal(rd_kafka_resp_err_t code) {
  return code == RD_KAFKA_RESP_ERR__FATAL || code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED ||
         code == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH ||
         code == RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
}

}  // namespace

const std::error_category& kafka_category() noexcept {
  static const KafkaCategory category;
  return category;
}

Error Error::from_kafka(errc code, std::string message) {
  return kafka::to_error(static_cast<rd_kafka_resp_err_t>(code), std::move(message));
}

std::string Error::name() const {
  return rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(code_));
}

namespace kafka {

Error to_error(rd_kafka_resp_err_t code, std::string message) {
  if (code == RD_KAFKA_RESP_ERR_NO_ERROR) return {};
  if (message.empty()) message = rd_kafka_err2str(code);
  return Error{static_cast<errc>(code), std::move(message), is_retriable(code), is_fatal(code)};
}

Error take_error(rd_kafka_error_t* error) {
  if (error == nullptr) return {};
  Error result{to_errc(rd_kafka_error_code(error)), rd_kafka_error_string(error),
               rd_kafka_error_is_retriable(error) != 0, rd_kafka_error_is_fatal(error) != 0,
               rd_kafka_error_txn_requires_abort(error) != 0};
  rd_kafka_error_destroy(error);
  return result;
}

}  // namespace kafka
}  // namespace mib
