// `--decode TYPE` / `--encode TYPE` with `--format json|protobuf`: one market message type
// in one encoding, between a record's bytes and a line of JSON, through the library's
// serdes (mib/serde/serde.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mib/error.hpp"
#include "mib/registry/schema_registry.hpp"

namespace mib::cli {

enum class ValueEncoding { json, protobuf };

// "json" or "protobuf".
std::optional<ValueEncoding> parse_value_encoding(std::string_view name);

class MessageCodec {
 public:
  // `type` is market_data, order, trade, event, control or envelope; nullopt otherwise.
  static std::optional<MessageCodec> named(std::string_view type, ValueEncoding encoding);
  // The type names it takes, for help and errors: "market_data, order, ... or envelope".
  static std::string type_names();

  // Decodes a record's value (its payload, without any wire header) and appends the
  // message as one JSON object, without a newline; the Error is the decoder's, naming
  // the field.
  Error to_json(std::string_view bytes, std::string& out) const;
  // Decodes one JSON object as the type (the validation), encodes it in the codec's
  // encoding into `bytes` (replacing them) and its record key, mib::key_of, into `key`.
  Error from_json(std::string_view text, std::string& bytes, std::string& key) const;

  // The content-type header value of the encoding, as Producer::send(topic, value) sets it.
  std::string_view content_type() const;
  // The registry's schema type records of this encoding must have been written with.
  SchemaType schema_type() const;
  ValueEncoding encoding() const { return encoding_; }

  struct Ops;  // one type's functions in one encoding (message_codec.cpp)

 private:
  MessageCodec(const Ops& ops, ValueEncoding encoding) : ops_(&ops), encoding_(encoding) {}

  const Ops* ops_;
  ValueEncoding encoding_;
};

}  // namespace mib::cli
