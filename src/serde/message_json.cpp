// The JSON of the five market message types: one table each, in the seed's field order.
#include "mib/serde/json.hpp"
#include "serde/message_tables.hpp"

namespace mib::json {

namespace {

template <typename T>
Error decode_message(std::string_view text, T& out) {
  return decode_document(text, Table<T>::name, [&](value& v) { return decode_object(v, out); });
}

}  // namespace

Error encode(const MarketData& v, std::string& out) {
  return encode_object(v, out);
}
Error encode(const Order& v, std::string& out) {
  return encode_object(v, out);
}
Error encode(const Trade& v, std::string& out) {
  return encode_object(v, out);
}
Error encode(const Event& v, std::string& out) {
  return encode_object(v, out);
}
Error encode(const Control& v, std::string& out) {
  return encode_object(v, out);
}

Error decode(std::string_view text, MarketData& v) {
  return decode_message(text, v);
}
Error decode(std::string_view text, Order& v) {
  return decode_message(text, v);
}
Error decode(std::string_view text, Trade& v) {
  return decode_message(text, v);
}
Error decode(std::string_view text, Event& v) {
  return decode_message(text, v);
}
Error decode(std::string_view text, Control& v) {
  return decode_message(text, v);
}

bool write(std::string& out, const JsonValue& value) {
  return std::visit(
      [&](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::nullptr_t>) {
          out += "null";
        } else if constexpr (std::is_same_v<V, bool>) {
          out += v ? "true" : "false";
        } else if constexpr (std::is_same_v<V, double>) {
          // A whole double gets ".0": the reader takes digits alone for an integer, and a
          // free map's value would come back as another kind (found by fuzzing).
          const std::size_t start = out.size();
          if (!write(out, v)) return false;
          if (out.find_first_of(".e", start) == std::string::npos) out += ".0";
        } else if constexpr (std::is_same_v<V, std::string>) {
          append_escaped(out, v);
        } else if constexpr (std::is_same_v<V, JsonValue::Array>) {
          out += '[';
          for (std::size_t i = 0; i < v.size(); ++i) {
            if (i > 0) out += ',';
            if (!write(out, v[i])) return false;
          }
          out += ']';
        } else if constexpr (std::is_same_v<V, JsonValue::Object>) {
          out += '{';
          for (const JsonMember& m : v) {
            append_key_escaped(out, m.key);
            if (!write(out, m.value)) return false;
          }
          out += '}';
        } else {
          append_number(out, v);  // the integers
        }
        return true;
      },
      value.get());
}

bool write(std::string& out, const JsonMap& map) {
  out += '{';
  for (const auto& [key, item] : map) {
    append_key_escaped(out, key);
    if (!write(out, item)) return false;
  }
  out += '}';
  return true;
}

bool write(std::string& out, const Metadata& map) {
  out += '{';
  for (const auto& [key, item] : map) {
    append_key_escaped(out, key);
    append_escaped(out, item);
  }
  out += '}';
  return true;
}

Error encode(const JsonValue& value, std::string& out) {
  const std::size_t before = out.size();
  if (!write(out, value)) {
    out.resize(before);
    return Error{errc::bad_message, std::string{"JSON value "} + std::string{not_json}};
  }
  return {};
}

Error decode(std::string_view text, JsonValue& out) {
  return decode_document(text, "JsonValue", [&](value& v) { return read(v, out); });
}

}  // namespace mib::json
