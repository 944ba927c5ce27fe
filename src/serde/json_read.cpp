#include "serde/json_read.hpp"

#include <limits>

#include "mib/serde/rfc3339.hpp"
#include "serde/json_kernels.hpp"

namespace mib::json {
namespace {

thread_local simdjson::ondemand::parser parser;
thread_local std::string buffer;

}  // namespace

Kernels kernels() noexcept {
  return {simdjson::get_active_implementation()->name(),
          SIMDJSON_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION)};
}

Problem not_valid(simdjson::error_code error) {
  // simdjson's own text for this one is advice to its API's users, not to ours.
  if (error == simdjson::SCALAR_DOCUMENT_AS_VALUE) {
    return Issue{"", "must be a JSON object, not a single value"};
  }
  return Issue{"", std::string{"is not valid JSON: "} + simdjson::error_message(error)};
}

Problem wrong(value& v, std::string_view expected) {
  std::string out{expected};
  std::string_view token = v.raw_json_token();
  if (!token.empty()) {
    while (!token.empty() && (token.back() == ' ' || token.back() == '\n')) token.remove_suffix(1);
    out += ", got ";
    out += token.substr(0, 40);
    if (token.size() > 40) out += "...";
  }
  return Issue{"", std::move(out)};
}

Problem read(value& v, std::string& out) {
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) return wrong(v, "must be a string");
  out.assign(s);
  return std::nullopt;
}

Problem read(value& v, double& out) {
  if (v.get_double().get(out) != simdjson::SUCCESS || !std::isfinite(out)) {
    return wrong(v, "must be a finite number");
  }
  return std::nullopt;
}

Problem read(value& v, std::uint64_t& out) {
  if (v.get_uint64().get(out) != simdjson::SUCCESS) {
    return wrong(v, "must be a whole number from 0 to 18446744073709551615");
  }
  return std::nullopt;
}

Problem read(value& v, UtcTime& out) {
  simdjson::ondemand::json_type type{};
  if (v.type().get(type) != simdjson::SUCCESS) return wrong(v, "must be a time");
  if (type == simdjson::ondemand::json_type::number) {
    std::int64_t ms = 0;
    // Milliseconds within UtcTime's range (years 1678 to 2262).
    constexpr std::int64_t limit = std::numeric_limits<std::int64_t>::max() / 1'000'000;
    if (v.get_int64().get(ms) != simdjson::SUCCESS || ms > limit || ms < -limit) {
      return wrong(v, "must be milliseconds since the epoch within years 1678 to 2262");
    }
    out = UtcTime{std::chrono::milliseconds{ms}};
    return std::nullopt;
  }
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) {
    return wrong(v, "must be an RFC 3339 time or milliseconds since the epoch");
  }
  const auto t = rfc3339::parse_utc(s);
  if (!t)
    return Issue{"", "must be an RFC 3339 time, got \"" + std::string{s.substr(0, 40)} + "\""};
  out = *t;
  return std::nullopt;
}

Problem read(value& v, JsonValue& out) {
  using simdjson::ondemand::json_type;
  json_type type{};
  if (auto e = v.type().get(type)) return not_valid(e);
  switch (type) {
    case json_type::null: {
      bool null = false;
      if (v.is_null().get(null) != simdjson::SUCCESS || !null) return wrong(v, "is not valid JSON");
      out = nullptr;
      return std::nullopt;
    }
    case json_type::boolean: {
      bool b = false;
      if (v.get_bool().get(b) != simdjson::SUCCESS) return wrong(v, "is not valid JSON");
      out = b;
      return std::nullopt;
    }
    case json_type::number: {
      // The kind first, then the typed getter: simdjson 3.0.1's get_number() reads a
      // double of many digits ("1000000000.000000001") as 0 (simdjson#2099; found by
      // fuzzing), where get_double() reads it right.
      simdjson::ondemand::number_type kind{};
      std::int64_t i = 0;
      std::uint64_t u = 0;
      double d = 0;
      if (v.get_number_type().get(kind) != simdjson::SUCCESS) {
        return wrong(v, "is not a valid number");
      }
      if (kind == simdjson::ondemand::number_type::signed_integer) {
        if (v.get_int64().get(i) != simdjson::SUCCESS) return wrong(v, "is not a valid number");
        out = i;
      } else if (kind == simdjson::ondemand::number_type::unsigned_integer) {
        if (v.get_uint64().get(u) != simdjson::SUCCESS) return wrong(v, "is not a valid number");
        out = u;
      } else {
        if (v.get_double().get(d) != simdjson::SUCCESS) return wrong(v, "is not a valid number");
        out = d;
      }
      return std::nullopt;
    }
    case json_type::string: {
      std::string s;
      if (auto p = read(v, s)) return p;
      out = std::move(s);
      return std::nullopt;
    }
    case json_type::array: {
      simdjson::ondemand::array array;
      if (auto e = v.get_array().get(array)) return not_valid(e);
      JsonValue::Array items;
      for (auto element : array) {
        value item;
        if (auto e = element.get(item)) return not_valid(e);
        if (auto p = read(item, items.emplace_back())) {
          return under(std::to_string(items.size() - 1), std::move(p));
        }
      }
      out = std::move(items);
      return std::nullopt;
    }
    case json_type::object: {
      simdjson::ondemand::object object;
      if (auto e = v.get_object().get(object)) return not_valid(e);
      JsonValue::Object members;
      for (auto field : object) {
        std::string_view key;
        if (auto e = field.unescaped_key().get(key)) return not_valid(e);
        JsonMember& m = members.emplace_back();
        m.key.assign(key);
        value item = field.value();
        if (auto p = read(item, m.value)) return under(key, std::move(p));
      }
      out = std::move(members);
      return std::nullopt;
    }
  }
  return wrong(v, "is not valid JSON");
}

Problem read(value& v, JsonMap& out) {
  simdjson::ondemand::object object;
  if (v.get_object().get(object) != simdjson::SUCCESS) return wrong(v, "must be an object");
  out.clear();
  for (auto field : object) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return not_valid(e);
    value item = field.value();
    JsonValue parsed;
    if (auto p = read(item, parsed)) return under(key, std::move(p));
    out.insert_or_assign(std::string{key}, std::move(parsed));
  }
  return std::nullopt;
}

Problem read(value& v, Metadata& out) {
  simdjson::ondemand::object object;
  if (v.get_object().get(object) != simdjson::SUCCESS) {
    return wrong(v, "must be an object of strings");
  }
  out.clear();
  for (auto field : object) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return not_valid(e);
    value item = field.value();
    std::string text;
    if (auto p = read(item, text)) return under(key, std::move(p));
    out.insert_or_assign(std::string{key}, std::move(text));
  }
  return std::nullopt;
}

Problem start(std::string_view text, simdjson::ondemand::document& doc) {
  buffer.assign(text);
  buffer.resize(text.size() + simdjson::SIMDJSON_PADDING);
  if (auto e = parser.iterate(buffer.data(), text.size(), buffer.size()).get(doc)) {
    return not_valid(e);
  }
  return std::nullopt;
}

}  // namespace mib::json
