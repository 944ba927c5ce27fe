// How `mib-stream consume` prints a record: one line each, as value, key and value, or JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mib/message.hpp"

namespace mib::cli {

enum class RecordFormat { value, kv, json };

// "value", "kv" or "json".
std::optional<RecordFormat> parse_record_format(std::string_view name);

// Appends `record` as one line, '\n' included, to `out`:
//   value  the value's bytes as they are
//   kv     the key, `key_separator`, the value
//   json   {"topic":..,"partition":..,"offset":..,"timestamp":"RFC 3339"|null,
//           "timestamp_type":..,"key":..|null,"value":..,"headers":[{"key":..,"value":..}]}
//          where a key or value that is not UTF-8 is "key_base64" / "value_base64" instead.
void append_record(const Message& record, RecordFormat format, std::string_view key_separator,
                   std::string& out);

}  // namespace mib::cli
