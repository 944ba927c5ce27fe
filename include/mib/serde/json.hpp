// JSON text for the market messages, their envelopes and batches: one object per record,
// RFC 3339 UTC timestamps, field names as the seed's messages have them.
//
//   std::string text;
//   if (mib::Error e = mib::json::encode(trade, text)) ...;   // appends to `text`
//   mib::Trade back;
//   if (mib::Error e = mib::json::decode(text, back)) std::cerr << e.message();
//
// Decoding never crashes and never fills in a silent default: malformed JSON, a missing
// field, a wrong type or a number out of range is an errc::bad_message naming the field
// ("Trade JSON: field 'quantity' must be a whole number from 0 to 2^64-1, got -5").
// Optional fields may be absent or null. Unknown fields are kept in `fields` (forward
// compatibility) and written back inside "fields". Timestamps are RFC 3339 strings, or
// integers of milliseconds since the epoch.
#pragma once

#include <string>
#include <string_view>

#include "mib/error.hpp"
#include "mib/serde/envelope.hpp"
#include "mib/serde/json_value.hpp"

namespace mib::json {

// Appends `value` as one JSON object to `out` (which callers reuse between records). A
// value JSON cannot hold (a NaN or infinite price) is an error naming the field, and
// `out` is left as it was.
Error encode(const MarketData& value, std::string& out);
Error encode(const Order& value, std::string& out);
Error encode(const Trade& value, std::string& out);
Error encode(const Event& value, std::string& out);
Error encode(const Control& value, std::string& out);
Error encode(const Envelope& value, std::string& out);
Error encode(const MessageBatch& value, std::string& out);
Error encode(const JsonValue& value, std::string& out);

// Parses one JSON object into `value`, replacing what it held. On bad input the Error
// says which field was wrong and why, and `value` is left partly filled.
Error decode(std::string_view text, MarketData& value);
Error decode(std::string_view text, Order& value);
Error decode(std::string_view text, Trade& value);
Error decode(std::string_view text, Event& value);
Error decode(std::string_view text, Control& value);
Error decode(std::string_view text, Envelope& value);
Error decode(std::string_view text, MessageBatch& value);
Error decode(std::string_view text, JsonValue& value);

}  // namespace mib::json
