// The schemas are written from the same field tables that drive encoding and decoding
// (message_tables.hpp), so they cannot drift from what the codec does.
#include "mib/serde/json_schema.hpp"

#include "serde/message_tables.hpp"

namespace mib::json {
namespace {

// Appends a JSON string array of every name of `Enum` (values 0, 1, ... until "?").
template <typename Enum>
void append_enum_names(std::string& out) {
  out += '[';
  for (int i = 0;; ++i) {
    const std::string_view name = to_string(static_cast<Enum>(i));
    if (name == "?") break;
    if (i > 0) out += ',';
    append_escaped(out, name);
  }
  out += ']';
}

// The schema of one member type; `nullable` lets it be null too (an optional field).
template <typename M>
void append_type(std::string& out, bool nullable) {
  const std::string_view null = nullable ? ",\"null\"" : "";
  if constexpr (is_optional_v<M>) {
    append_type<typename M::value_type>(out, true);
  } else if constexpr (std::is_same_v<M, std::string>) {
    out += "{\"type\":[\"string\"" + std::string{null} + "]}";
  } else if constexpr (std::is_same_v<M, double>) {
    out += "{\"type\":[\"number\"" + std::string{null} + "]}";
  } else if constexpr (std::is_same_v<M, std::uint64_t>) {
    out += "{\"type\":[\"integer\"" + std::string{null} + "],\"minimum\":0}";
  } else if constexpr (std::is_same_v<M, UtcTime>) {
    // The format applies to strings only: epoch milliseconds pass as integers.
    out += "{\"type\":[\"string\",\"integer\"" + std::string{null} + "],\"format\":\"date-time\"}";
  } else if constexpr (std::is_enum_v<M>) {
    out += "{\"type\":\"string\",\"enum\":";
    append_enum_names<M>(out);
    out += '}';
  } else if constexpr (std::is_same_v<M, JsonMap>) {
    out += "{\"type\":\"object\"}";
  } else {
    static_assert(sizeof(M) == 0, "a field type without a JSON Schema");
  }
}

template <typename T>
std::string write_schema() {
  std::string out = "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"title\":";
  append_escaped(out, Table<T>::name);
  out += ",\"type\":\"object\",\"properties\":{";
  std::string required;
  std::apply(
      [&](const auto&... field) {
        (
            [&] {
              using M = std::remove_cvref_t<decltype(std::declval<T&>().*(field.member))>;
              append_key(out, field.name);
              append_type<M>(out, false);
              if constexpr (!may_be_absent<M>()) {
                if (!required.empty()) required += ',';
                append_escaped(required, field.name);
              }
            }(),
            ...);
      },
      Table<T>::fields);
  if constexpr (keeps_unknown<T>) {
    append_key(out, "fields");
    out += "{\"type\":\"object\"}";
  }
  out += "},\"required\":[" + required + "],\"additionalProperties\":true}";
  return out;
}

}  // namespace

template <typename T>
std::string schema_of() {
  static const std::string schema = write_schema<T>();
  return schema;
}

template std::string schema_of<MarketData>();
template std::string schema_of<Order>();
template std::string schema_of<Trade>();
template std::string schema_of<Event>();
template std::string schema_of<Control>();

}  // namespace mib::json
