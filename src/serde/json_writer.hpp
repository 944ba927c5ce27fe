// Internal: appends JSON tokens to a reused string without intermediate allocations.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace mib::json {

inline void append_escaped(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += hex[(c >> 4) & 0xF];
          out += hex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// Shortest text that reads back as the same value.
template <typename Number>
void append_number(std::string& out, Number value) {
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, result.ptr);
}

// A key that needs no escaping (our own field names).
inline void append_key(std::string& out, std::string_view key) {
  if (out.back() != '{') out += ',';
  out += '"';
  out += key;
  out += "\":";
}

// A key from data (a free map's), escaped.
inline void append_key_escaped(std::string& out, std::string_view key) {
  if (out.back() != '{') out += ',';
  append_escaped(out, key);
  out += ':';
}

}  // namespace mib::json
