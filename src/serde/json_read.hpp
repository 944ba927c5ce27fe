// Internal: reading simdjson on-demand values into the market messages' field types. Each
// reader returns what is wrong with the value and where inside it ("must be a string,
// got 12"), or nothing.
#pragma once

#include <simdjson.h>

#include <cmath>
#include <optional>
#include <string>
#include <string_view>

#include "mib/serde/envelope.hpp"
#include "mib/serde/json_value.hpp"
#include "serde/issue.hpp"

namespace mib::json {

using serde::Issue;
using serde::Problem;
using serde::under;
using simdjson::ondemand::value;

// simdjson's own error, as the problem of the value being read.
Problem not_valid(simdjson::error_code error);

// "must be ..., got <the value's JSON text>".
Problem wrong(value& v, std::string_view expected);

Problem read(value& v, std::string& out);
Problem read(value& v, double& out);
Problem read(value& v, std::uint64_t& out);
Problem read(value& v, UtcTime& out);
Problem read(value& v, JsonValue& out);
Problem read(value& v, JsonMap& out);
Problem read(value& v, Metadata& out);

template <typename Enum>
requires std::is_enum_v<Enum> Problem read(value& v, Enum& out) {
  std::string_view name;
  if (v.get_string().get(name) != simdjson::SUCCESS) return wrong(v, "must be a string");
  const auto parsed = from_string<Enum>(name);
  if (!parsed) return Issue{"", "has an unknown value \"" + std::string{name} + "\""};
  out = *parsed;
  return std::nullopt;
}

template <typename T>
Problem read(value& v, std::optional<T>& out) {
  bool null = false;
  if (v.is_null().get(null) == simdjson::SUCCESS && null) {
    out.reset();
    return std::nullopt;
  }
  return read(v, out.emplace());
}

// A document of `text` from a parser and buffer kept per thread (simdjson reads past the
// end of its input, so the text is copied into a padded buffer). Returns the problem, or
// nothing with `doc` ready.
Problem start(std::string_view text, simdjson::ondemand::document& doc);
}  // namespace mib::json
