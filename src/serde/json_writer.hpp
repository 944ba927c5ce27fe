// Internal: appends JSON tokens to a reused string without intermediate allocations.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace mib::json {

// Appends `s` quoted, escaping what JSON requires. Runs that need no escaping (nearly all
// of any market text) are appended whole rather than a character at a time.
inline void append_escaped(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the pending run of plain characters
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += hex[(c >> 4) & 0xF];
        out += hex[c & 0xF];
    }
  }
  out.append(s.data() + run, s.size() - run);
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
