#include "message_codec.hpp"

#include <array>

#include "mib/serde/serde.hpp"

namespace mib::cli {

// What a codec does, for one type in one encoding: the serde's functions behind plain
// pointers, so that the commands see no templates.
struct MessageCodec::Ops {
  Error (*to_json)(std::string_view bytes, std::string& out);
  Error (*from_json)(std::string_view text, std::string& bytes, std::string& key);
  std::string_view (*content_type)();
};

namespace {

template <typename T, template <typename> class S>
struct Codec {
  static Error to_json(std::string_view bytes, std::string& out) {
    T value;
    if (Error e = S<T>{}.decode(bytes, value)) return e;
    return json::encode(value, out);
  }

  static Error from_json(std::string_view text, std::string& bytes, std::string& key) {
    T value;
    if (Error e = JsonSerde<T>{}.decode(text, value)) return e;
    bytes.clear();
    if (Error e = S<T>{}.encode(value, bytes)) return e;
    key = key_of(value);
    return {};
  }

  static std::string_view content_type() { return S<T>{}.content_type(); }
};

template <typename T, template <typename> class S>
constexpr MessageCodec::Ops ops_of{&Codec<T, S>::to_json, &Codec<T, S>::from_json,
                                   &Codec<T, S>::content_type};

struct Named {
  std::string_view name;
  const MessageCodec::Ops* json;
  const MessageCodec::Ops* protobuf;
};

template <typename T>
constexpr Named named_type(std::string_view name) {
  return {name, &ops_of<T, JsonSerde>, &ops_of<T, ProtobufSerde>};
}

// The names of mib::MessageType, and the envelope that carries any of them.
constexpr std::array types{named_type<MarketData>("market_data"),
                           named_type<Order>("order"),
                           named_type<Trade>("trade"),
                           named_type<Event>("event"),
                           named_type<Control>("control"),
                           named_type<Envelope>("envelope")};

}  // namespace

std::optional<ValueEncoding> parse_value_encoding(std::string_view name) {
  if (name == "json") return ValueEncoding::json;
  if (name == "protobuf") return ValueEncoding::protobuf;
  return std::nullopt;
}

std::optional<MessageCodec> MessageCodec::named(std::string_view type, ValueEncoding encoding) {
  for (const Named& named : types) {
    if (named.name == type) {
      return MessageCodec{encoding == ValueEncoding::json ? *named.json : *named.protobuf,
                          encoding};
    }
  }
  return std::nullopt;
}

std::string MessageCodec::type_names() {
  std::string names;
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (i > 0) names += i + 1 == types.size() ? " or " : ", ";
    names += types[i].name;
  }
  return names;
}

Error MessageCodec::to_json(std::string_view bytes, std::string& out) const {
  return ops_->to_json(bytes, out);
}

Error MessageCodec::from_json(std::string_view text, std::string& bytes, std::string& key) const {
  return ops_->from_json(text, bytes, key);
}

std::string_view MessageCodec::content_type() const {
  return ops_->content_type();
}

SchemaType MessageCodec::schema_type() const {
  return encoding_ == ValueEncoding::json ? SchemaType::json : SchemaType::protobuf;
}

}  // namespace mib::cli
