// Internal: RAII over librdkafka's C handles. Only src/ includes this file.
#pragma once

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mib/config/oauthbearer_token.hpp"
#include "mib/error.hpp"
#include "mib/kafka/properties.hpp"
#include "mib/message.hpp"

namespace mib::kafka {

// A librdkafka object, destroyed by its own function:
//   Owned<rd_kafka_queue_t, rd_kafka_queue_destroy>
template <auto Destroy>
struct DestroyWith {
  template <typename T>
  void operator()(T* p) const noexcept {
    Destroy(p);
  }
};
template <typename T, auto Destroy>
using Owned = std::unique_ptr<T, DestroyWith<Destroy>>;

using ConfHandle = Owned<rd_kafka_conf_t, rd_kafka_conf_destroy>;
// A handle, destroyed with what was kept for it (its token provider, TLS refusals).
void destroy_handle(rd_kafka_t* rk);
using KafkaHandle = Owned<rd_kafka_t, destroy_handle>;
using PartitionList = Owned<rd_kafka_topic_partition_list_t, rd_kafka_topic_partition_list_destroy>;
using QueueHandle = Owned<rd_kafka_queue_t, rd_kafka_queue_destroy>;

// A property librdkafka refused, with its reason.
struct PropertyProblem {
  std::string name{};
  std::string value{};
  std::string reason{};
};

// Sets every property on `conf`, and lists those librdkafka refused (name and value).
std::vector<PropertyProblem> set_properties(rd_kafka_conf_t* conf,
                                            const KafkaProperties& properties);

// A property's value as librdkafka applies it (its default if never set); nothing for a
// name librdkafka does not know.
std::optional<std::string> property_value(const rd_kafka_conf_t* conf, const char* name);

// What librdkafka would refuse of `properties`, checked on a scratch configuration.
std::vector<PropertyProblem> property_problems(const KafkaProperties& properties);

// A librdkafka configuration holding every property; throws mib::Exception listing each
// property librdkafka rejected (name, value and librdkafka's reason), not just the first.
ConfHandle make_conf(const KafkaProperties& properties);

// Makes a producer or consumer handle; throws mib::Exception with librdkafka's reason.
// An OAUTHBEARER handle gets its tokens from `tokens` when given, else from librdkafka's
// own handler (unsecured JWT or OIDC), on the background thread (token_refresh.hpp).
KafkaHandle make_handle(rd_kafka_type_t type, ConfHandle conf,
                        OAuthBearerTokenProvider tokens = {});

// librdkafka takes int milliseconds: a longer wait (milliseconds::max() for "forever") is
// capped rather than wrapped into a negative, which would mean "do not wait" or "forever".
inline int timeout_ms(std::chrono::milliseconds timeout) noexcept {
  return static_cast<int>(std::clamp<std::int64_t>(timeout.count(), 0, INT_MAX));
}

// Our name for a librdkafka code, and back: the numbering is librdkafka's.
inline errc to_errc(rd_kafka_resp_err_t code) noexcept {
  return static_cast<errc>(code);
}
inline rd_kafka_resp_err_t to_kafka(errc code) noexcept {
  return static_cast<rd_kafka_resp_err_t>(code);
}

// An Error for a response code, classified as retriable / fatal where librdkafka says so.
Error to_error(rd_kafka_resp_err_t code, std::string message = {});

// An Error for a rich librdkafka error object; takes ownership and destroys it.
Error take_error(rd_kafka_error_t* error);

// librdkafka's list of partitions (with offsets) for ours, and back.
PartitionList to_partition_list(const std::vector<TopicPartition>& partitions);
std::vector<TopicPartition> to_partitions(const rd_kafka_topic_partition_list_t* list);

// Kafka's timestamp kind for librdkafka's rd_kafka_timestamp_type_t value.
TimestampType to_timestamp_type(int type) noexcept;

// Wraps a librdkafka message into `out` (a default Message), which then owns it and keeps
// `owner` (the handle it came from) alive for as long as the message lives. `topic`: the
// name of message->rkt, when the caller has it at hand (it is looked up when empty).
void wrap_message(rd_kafka_message_t* message, const std::shared_ptr<rd_kafka_t>& owner,
                  Message& out, std::string_view topic = {});
// The librdkafka message a Message wraps.
const rd_kafka_message_t* raw_message(const Message& message);

}  // namespace mib::kafka
