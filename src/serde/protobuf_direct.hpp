// Internal: MarketData and Trade read straight from their Protobuf bytes into the structs,
// without building the generated message first. The generated parser allocates a string
// per string field and a Timestamp per record (proto3's Clear() deletes sub-messages), and
// the copy from the message into the struct doubles the work; reading directly allocates
// nothing once the struct's strings have capacity.
//
// Only records of the plain shape are read here: every field one of the type's own, with
// its declared wire type, a Timestamp of seconds and nanos only, strings of valid UTF-8
// (libprotobuf's own check), no `fields` map entries. For anything else read_direct()
// returns false, and the caller decodes with the generated parser, so that what is
// accepted and every error stays the generated parser's. When it returns true, `problem`
// is what from_proto() would have said of the same record (or nothing).
#pragma once

#include <string_view>

#include "mib/serde/market_data.hpp"
#include "mib/serde/trade.hpp"
#include "serde/issue.hpp"

namespace mib::protobuf {

bool read_direct(std::string_view bytes, MarketData& out, serde::Problem& problem);
bool read_direct(std::string_view bytes, Trade& out, serde::Problem& problem);

}  // namespace mib::protobuf
