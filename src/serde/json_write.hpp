// Internal: writing the market messages' field types as JSON. Each writer appends to
// `out`; false when the value has no JSON form (a NaN or infinite number).
#pragma once

#include <cmath>
#include <string>
#include <type_traits>

#include "mib/serde/envelope.hpp"
#include "mib/serde/json_value.hpp"
#include "mib/serde/rfc3339.hpp"
#include "serde/json_writer.hpp"

namespace mib::json {

inline constexpr std::string_view not_json = "cannot be written as JSON (NaN or infinite)";

inline bool write(std::string& out, const std::string& s) {
  append_escaped(out, s);
  return true;
}

inline bool write(std::string& out, double d) {
  if (!std::isfinite(d)) return false;
  append_number(out, d);
  return true;
}

inline bool write(std::string& out, std::uint64_t u) {
  append_number(out, u);
  return true;
}

inline bool write(std::string& out, UtcTime t) {
  out += '"';
  rfc3339::format(t, out);
  out += '"';
  return true;
}

template <typename Enum>
requires std::is_enum_v<Enum>
bool write(std::string& out, Enum e) {
  append_escaped(out, to_string(e));
  return true;
}

bool write(std::string& out, const JsonValue& value);
bool write(std::string& out, const JsonMap& map);
bool write(std::string& out, const Metadata& map);

}  // namespace mib::json
