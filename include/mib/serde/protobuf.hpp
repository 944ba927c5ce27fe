// Protobuf bytes for the market messages, their envelopes and batches, as
// proto/market_intel/v1/*.proto (package market_intel.v1) defines them. The same
// information as their JSON (mib/serde/json.hpp): what one codec accepts, the other does.
//
//   std::string bytes;
//   if (mib::Error e = mib::protobuf::encode(trade, bytes)) ...;   // appends to `bytes`
//   mib::Trade back;
//   if (mib::Error e = mib::protobuf::decode(bytes, back)) std::cerr << e.message();
//
// Decoding never crashes: bytes that are not a message of the type, an enum that is
// UNSPECIFIED or unknown to this version, a missing timestamp or one outside UtcTime's
// range, or a NaN are an errc::bad_message naming the type and field
// ("Order Protobuf: field 'side' has an unknown value 7"). Fields absent on the wire read
// as zero or empty, as proto3 has it; fields of a newer writer that this version does not
// know are skipped. Encoding is deterministic (map entries in key order).
#pragma once

#include <string>
#include <string_view>

#include "mib/error.hpp"
#include "mib/serde/envelope.hpp"

namespace mib::protobuf {

// Appends `value`'s serialized bytes to `out`. A NaN or infinite number is an error
// naming the field (as in JSON), and `out` is left as it was.
Error encode(const MarketData& value, std::string& out);
Error encode(const Order& value, std::string& out);
Error encode(const Trade& value, std::string& out);
Error encode(const Event& value, std::string& out);
Error encode(const Control& value, std::string& out);
Error encode(const Envelope& value, std::string& out);
Error encode(const MessageBatch& value, std::string& out);

// Parses `bytes` (one whole message) into `value`, replacing what it held. On bad input
// the Error says which field was wrong and why, and `value` is left partly filled.
Error decode(std::string_view bytes, MarketData& value);
Error decode(std::string_view bytes, Order& value);
Error decode(std::string_view bytes, Trade& value);
Error decode(std::string_view bytes, Event& value);
Error decode(std::string_view bytes, Control& value);
Error decode(std::string_view bytes, Envelope& value);
Error decode(std::string_view bytes, MessageBatch& value);

}  // namespace mib::protobuf
