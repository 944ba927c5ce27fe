// Typed records: a Serde turns a value into a record's bytes and back, and names its
// format in the record's content-type header. Producer::send(topic, value) and a
// Processor handler taking mib::Typed<T> use one; JsonSerde is the default, ProtobufSerde
// the other built-in one, and RegistrySerde (mib/registry/registry_serde.hpp) frames either
// in the Confluent wire format with its schema in a registry.
//
//   producer.send("market_intel.market_data", quote);                 // key: the symbol
//   processor.run([](const mib::Typed<mib::MarketData>& q) { book.update(q.value()); });
#pragma once

#include <concepts>
#include <string>
#include <string_view>
#include <utility>

#include "mib/error.hpp"
#include "mib/message.hpp"
#include "mib/serde/json.hpp"
#include "mib/serde/protobuf.hpp"

namespace mib {

// S encodes T to bytes and decodes bytes to T, each returning an Error naming what is wrong.
template <typename S, typename T>
concept Serde = requires(const S& serde, const T& value, T& out, std::string& bytes,
                         std::string_view text) {
  { serde.encode(value, bytes) } -> std::same_as<Error>;
  { serde.decode(text, out) } -> std::same_as<Error>;
  { serde.content_type() } -> std::convertible_to<std::string_view>;
};

// The JSON of include/mib/serde/json.hpp.
template <typename T>
struct JsonSerde {
  Error encode(const T& value, std::string& out) const { return json::encode(value, out); }
  Error decode(std::string_view text, T& out) const { return json::decode(text, out); }
  std::string_view content_type() const { return "application/json"; }
};

// The Protobuf of include/mib/serde/protobuf.hpp (proto/market_intel/v1).
template <typename T>
struct ProtobufSerde {
  Error encode(const T& value, std::string& out) const { return protobuf::encode(value, out); }
  Error decode(std::string_view bytes, T& out) const { return protobuf::decode(bytes, out); }
  std::string_view content_type() const { return "application/x-protobuf"; }
};

// The header naming a record's format.
inline constexpr std::string_view content_type_header = "content-type";
// The header naming a record's registry schema id, in decimal (a copy of the one in the
// value's wire-format header, for tools that read headers only).
inline constexpr std::string_view schema_id_header = "schema-id";

// The record key of a market message: what its order must be kept by.
inline std::string_view key_of(const MarketData& v) {
  return v.symbol;
}
inline std::string_view key_of(const Order& v) {
  return v.symbol;
}
inline std::string_view key_of(const Trade& v) {
  return v.symbol;
}
inline std::string_view key_of(const Event& v) {
  return v.source;
}
inline std::string_view key_of(const Control& v) {
  return v.target;
}
inline std::string_view key_of(const Envelope& v) {
  return std::visit([](const auto& payload) { return key_of(payload); }, v.payload);
}

template <typename T>
concept Keyed = requires(const T& value) {
  { key_of(value) } -> std::convertible_to<std::string_view>;
};

// A record and its decoded value, as a typed handler receives it.
template <typename T>
class Typed {
 public:
  Typed(const Message& message, T value) : message_(&message), value_(std::move(value)) {}
  const T& value() const noexcept { return value_; }
  const Message& message() const noexcept { return *message_; }

 private:
  const Message* message_;
  T value_;
};

// Decodes a record's value into `out`; the Error names the record and the field.
template <typename T, typename S = JsonSerde<T>>
requires Serde<S, T> Error decode(const Message& message, T& out, const S& serde = {}) {
  if (Error e = serde.decode(message.value(), out)) {
    return e.with_message("topic '" + std::string{message.topic()} + "' partition " +
                          std::to_string(message.partition()) + " offset " +
                          std::to_string(message.offset()) + ": " + e.message());
  }
  return {};
}

}  // namespace mib
