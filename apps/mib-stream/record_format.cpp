#include "record_format.hpp"

#include "mib/serde/rfc3339.hpp"
#include "serde/json_writer.hpp"

namespace mib::cli {
namespace {

// Well-formed UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing
// past U+10FFFF. Only such text can go into a JSON string as it is.
bool is_utf8(std::string_view text) {
  const auto byte = [text](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char lead = byte(i);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t continuation = 0;
    unsigned char low = 0x80;  // the range of the first continuation byte
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      continuation = 1;
    } else if (lead == 0xE0) {
      continuation = 2;
      low = 0xA0;
    } else if (lead == 0xED) {
      continuation = 2;
      high = 0x9F;
    } else if (lead >= 0xE1 && lead <= 0xEF) {
      continuation = 2;
    } else if (lead == 0xF0) {
      continuation = 3;
      low = 0x90;
    } else if (lead == 0xF4) {
      continuation = 3;
      high = 0x8F;
    } else if (lead >= 0xF1 && lead <= 0xF3) {
      continuation = 3;
    } else {
      return false;
    }
    if (text.size() - i <= continuation) return false;
    if (byte(i + 1) < low || byte(i + 1) > high) return false;
    for (std::size_t k = 2; k <= continuation; ++k) {
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return false;
    }
    i += continuation + 1;
  }
  return true;
}

void append_base64(std::string& out, std::string_view bytes) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto byte = [bytes](std::size_t i) -> std::uint32_t {
    return i < bytes.size() ? static_cast<unsigned char>(bytes[i]) : 0U;
  };
  out += '"';
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::uint32_t group = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    const std::size_t left = bytes.size() - i;
    out += alphabet[(group >> 18) & 0x3F];
    out += alphabet[(group >> 12) & 0x3F];
    out += left > 1 ? alphabet[(group >> 6) & 0x3F] : '=';
    out += left > 2 ? alphabet[group & 0x3F] : '=';
  }
  out += '"';
}

// "name":"text", or "name_base64":"..." for bytes that are not UTF-8: JSON strings hold
// text only, and a lossy replacement would hide what was on the wire.
void append_bytes_field(std::string& out, std::string_view name, std::string_view bytes) {
  if (is_utf8(bytes)) {
    json::append_key(out, name);
    json::append_escaped(out, bytes);
  } else {
    json::append_key(out, std::string{name} + "_base64");
    append_base64(out, bytes);
  }
}

std::string_view timestamp_type_name(TimestampType type) {
  switch (type) {
    case TimestampType::create_time: return "create_time";
    case TimestampType::log_append_time: return "log_append_time";
    case TimestampType::not_available: break;
  }
  return "not_available";
}

void append_json(const Message& record, std::string& out) {
  out += '{';
  json::append_key(out, "topic");
  json::append_escaped(out, record.topic());
  json::append_key(out, "partition");
  json::append_number(out, record.partition());
  json::append_key(out, "offset");
  json::append_number(out, record.offset());
  json::append_key(out, "timestamp");
  if (record.timestamp_type() == TimestampType::not_available) {
    out += "null";
  } else {
    out += '"';
    rfc3339::format(record.timestamp(), out);
    out += '"';
  }
  json::append_key(out, "timestamp_type");
  json::append_escaped(out, timestamp_type_name(record.timestamp_type()));
  if (record.has_key()) {
    append_bytes_field(out, "key", record.key());
  } else {
    json::append_key(out, "key");
    out += "null";
  }
  append_bytes_field(out, "value", record.value());
  // An array, not an object: Kafka keeps header order and allows a name more than once.
  json::append_key(out, "headers");
  out += '[';
  for (std::size_t i = 0; i < record.header_count(); ++i) {
    if (i > 0) out += ',';
    const Header header = record.header(i);
    out += '{';
    append_bytes_field(out, "key", header.key);
    append_bytes_field(out, "value", header.value);
    out += '}';
  }
  out += "]}";
}

}  // namespace

std::optional<RecordFormat> parse_record_format(std::string_view name) {
  if (name == "value") return RecordFormat::value;
  if (name == "kv") return RecordFormat::kv;
  if (name == "json") return RecordFormat::json;
  return std::nullopt;
}

void append_record(const Message& record, RecordFormat format, std::string_view key_separator,
                   std::string& out) {
  switch (format) {
    case RecordFormat::value: out += record.value(); break;
    case RecordFormat::kv:
      out += record.key();
      out += key_separator;
      out += record.value();
      break;
    case RecordFormat::json: append_json(record, out); break;
  }
  out += '\n';
}

}  // namespace mib::cli
