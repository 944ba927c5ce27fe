// The JSON Schema (draft-07) of each market message's JSON, as mib::json writes it: the
// schema a registry holds for JSON records and other clients validate against.
//
//   registry.register_schema("market_intel.trades-value", mib::SchemaType::json,
//                            mib::json::schema_of<mib::Trade>());
//
// Required fields are required; optional ones may be absent or null; enums list the names
// written ("BUY", "SELL"); timestamps are RFC 3339 strings (or epoch milliseconds, which
// the decoder also reads); unknown members are allowed, as the decoder keeps them.
#pragma once

#include <string>

namespace mib::json {

// MarketData, Order, Trade, Event or Control.
template <typename T>
std::string schema_of();

}  // namespace mib::json
