#include <librdkafka/rdkafka.h>

#include "kafka/handle.hpp"
#include "mib/message.hpp"

namespace mib {

struct MessageAccess {
  static void wrap(rd_kafka_message_t* m, const std::shared_ptr<rd_kafka_t>& owner, Message& out,
                   std::string_view topic) {
    out.owner_ = owner;
    out.handle_ = Message::Handle{
        m, [](void* p) { rd_kafka_message_destroy(static_cast<rd_kafka_message_t*>(p)); }};
    out.partition_ = m->partition;
    out.offset_ = m->offset;
    if (!topic.empty()) {
      out.topic_ = topic;
    } else if (m->rkt != nullptr) {
      out.topic_ = rd_kafka_topic_name(m->rkt);
    }
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::string text = rd_kafka_message_errstr(m);
      if (!out.topic_.empty()) {
        text += " (topic '" + std::string{out.topic_} + "', partition " +
                std::to_string(m->partition) + ")";
      }
      out.error_ = kafka::to_error(m->err, std::move(text));
      return;
    }
    out.has_key_ = m->key != nullptr;
    if (m->key != nullptr) out.key_ = {static_cast<const char*>(m->key), m->key_len};
    if (m->payload != nullptr) out.value_ = {static_cast<const char*>(m->payload), m->len};
    rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    const std::int64_t ms = rd_kafka_message_timestamp(m, &type);
    out.timestamp_type_ = kafka::to_timestamp_type(type);
    if (ms >= 0) out.timestamp_ = Timestamp{std::chrono::milliseconds{ms}};
  }

  static const rd_kafka_message_t* raw(const Message& m) {
    return static_cast<const rd_kafka_message_t*>(m.handle_.get());
  }

  // Parsed by librdkafka on the first call and kept in the message; not on every read,
  // because parsing costs as much as the rest of a poll.
  static const rd_kafka_headers_t* headers(const Message& m) {
    if (!m.handle_ || m.error_) return nullptr;
    rd_kafka_headers_t* h = nullptr;
    return rd_kafka_message_headers(static_cast<rd_kafka_message_t*>(m.handle_.get()), &h) ==
                   RD_KAFKA_RESP_ERR_NO_ERROR
               ? h
               : nullptr;
  }
};

std::size_t Message::header_count() const noexcept {
  const auto* h = MessageAccess::headers(*this);
  return h == nullptr ? 0 : rd_kafka_header_cnt(h);
}

Header Message::header(std::size_t i) const {
  const char* name = nullptr;
  const void* value = nullptr;
  std::size_t size = 0;
  const auto* h = MessageAccess::headers(*this);
  if (h == nullptr ||
      rd_kafka_header_get_all(h, i, &name, &value, &size) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw Exception{Error{errc::invalid_argument,
                          "header index " + std::to_string(i) + " out of range (message has " +
                              std::to_string(header_count()) + " headers)"}};
  }
  return {name, value == nullptr ? std::string_view{}
                                 : std::string_view{static_cast<const char*>(value), size}};
}

std::optional<std::string_view> Message::header(std::string_view key) const {
  const auto* h = MessageAccess::headers(*this);
  if (h == nullptr) return std::nullopt;
  std::optional<std::string_view> found;
  const char* name = nullptr;
  const void* value = nullptr;
  std::size_t size = 0;
  for (std::size_t i = 0;
       rd_kafka_header_get_all(h, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
    if (key == name) {
      found = value == nullptr ? std::string_view{}
                               : std::string_view{static_cast<const char*>(value), size};
    }
  }
  return found;
}

namespace kafka {
TimestampType to_timestamp_type(int type) noexcept {
  switch (type) {
    case RD_KAFKA_TIMESTAMP_CREATE_TIME: return TimestampType::create_time;
    case RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME: return TimestampType::log_append_time;
    default: return TimestampType::not_available;
  }
}

void wrap_message(rd_kafka_message_t* message, const std::shared_ptr<rd_kafka_t>& owner,
                  Message& out, std::string_view topic) {
  MessageAccess::wrap(message, owner, out, topic);
}

const rd_kafka_message_t* raw_message(const Message& message) {
  return MessageAccess::raw(message);
}
}  // namespace kafka

}  // namespace mib
