// Records on the wire: headers, the time a record carries, and the consumed Message view.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "mib/error.hpp"

namespace mib {

using Clock = std::chrono::system_clock;
using Timestamp = std::chrono::time_point<Clock, std::chrono::milliseconds>;

// A record header. On send, librdkafka copies it; on receive, the views point into the
// Message that carries it and live as long as that Message.
struct Header {
  std::string_view key{};
  std::string_view value{};
  friend bool operator==(const Header&, const Header&) = default;
};

// The headers given to a send: a view over a braced list, an array or a vector of Header.
// It refers to the caller's headers and is only valid for the call it is passed to.
class HeaderList {
 public:
  constexpr HeaderList() = default;
  constexpr HeaderList(std::initializer_list<Header> list)  // NOLINT: implicit by design
      : headers_(list.begin(), list.size()) {}
  constexpr HeaderList(std::span<const Header> headers)  // NOLINT: implicit by design
      : headers_(headers) {}

  constexpr auto begin() const noexcept { return headers_.begin(); }
  constexpr auto end() const noexcept { return headers_.end(); }
  constexpr std::size_t size() const noexcept { return headers_.size(); }
  constexpr bool empty() const noexcept { return headers_.empty(); }

 private:
  std::span<const Header> headers_;
};

// A partition of a topic, and an offset where one applies (-1001 when unknown, as in
// librdkafka's RD_KAFKA_OFFSET_INVALID).
struct TopicPartition {
  std::string topic{};
  std::int32_t partition = -1;
  std::int64_t offset = -1001;
  friend bool operator==(const TopicPartition&, const TopicPartition&) = default;
};

// Kafka's record timestamp kinds.
enum class TimestampType { not_available, create_time, log_append_time };

// A consumed record. It owns the underlying librdkafka message, and every view it hands
// out (topic, key, value, headers) stays valid until the Message is destroyed: reading a
// record costs no copy. A Message may outlive its Consumer (it keeps what it needs of it
// alive). Movable, not copyable.
class Message {
 public:
  Message() = default;
  Message(Message&&) noexcept = default;
  Message& operator=(Message&&) noexcept = default;
  ~Message() = default;

  // Set when this is not a record but an error for a topic or partition (for example,
  // unknown topic or authorization failed). Other fields may then be empty.
  const Error& error() const noexcept { return error_; }
  bool ok() const noexcept { return error_.ok(); }

  std::string_view topic() const noexcept { return topic_; }
  std::int32_t partition() const noexcept { return partition_; }
  std::int64_t offset() const noexcept { return offset_; }
  // A null key and an empty key both read as empty; has_key() tells them apart.
  std::string_view key() const noexcept { return key_; }
  bool has_key() const noexcept { return has_key_; }
  std::string_view value() const noexcept { return value_; }
  std::span<const std::byte> value_bytes() const noexcept {
    return std::as_bytes(std::span{value_.data(), value_.size()});
  }
  Timestamp timestamp() const noexcept { return timestamp_; }
  TimestampType timestamp_type() const noexcept { return timestamp_type_; }

  // Headers are parsed on the first of these calls, so that records whose headers are
  // never read do not pay for it; like the first read of any lazily filled cache, do not
  // make that first call on one Message from two threads at once.
  std::size_t header_count() const noexcept;
  // The i-th header in record order; i < header_count().
  Header header(std::size_t i) const;
  // The last header with this key, as Kafka clients conventionally read a header.
  std::optional<std::string_view> header(std::string_view key) const;

 private:
  friend struct MessageAccess;
  using Handle = std::unique_ptr<void, void (*)(void*)>;

  std::shared_ptr<void> owner_;      // the consumer's handle, released after the message
  Handle handle_{nullptr, nullptr};  // the librdkafka message, opaque here
  Error error_;
  std::string_view topic_;
  std::string_view key_;
  std::string_view value_;
  std::int32_t partition_ = -1;
  std::int64_t offset_ = -1;
  Timestamp timestamp_{};
  TimestampType timestamp_type_ = TimestampType::not_available;
  bool has_key_ = false;
};

}  // namespace mib
