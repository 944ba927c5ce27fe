// JSON text for market messages: one object per record, RFC 3339 UTC timestamps.
#pragma once

#include <string>
#include <string_view>

#include "mib/error.hpp"
#include "mib/serde/market_data.hpp"

namespace mib::json {

// Appends `value` as one JSON object to `out` (which callers reuse between records).
void encode(const MarketData& value, std::string& out);

// Parses one JSON object into `value`. On bad input the Error says which field was wrong
// and why, and `value` is left partly filled.
Error decode(std::string_view text, MarketData& value);

}  // namespace mib::json
