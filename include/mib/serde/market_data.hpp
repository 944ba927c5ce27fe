// mib::MarketData: a quote or last-sale update for one symbol.
#pragma once

#include <cstdint>
#include <string>

#include "mib/serde/json_value.hpp"
#include "mib/serde/rfc3339.hpp"

namespace mib {

// Field names and meanings as in the original market_intel_streaming summary.
struct MarketData {
  std::string symbol{};
  double last_price = 0;
  double bid_price = 0;
  double ask_price = 0;
  std::uint64_t bid_size = 0;
  std::uint64_t ask_size = 0;
  std::uint64_t volume = 0;
  UtcTime timestamp{};
  std::string source{};
  JsonMap fields{};  // extra values, and unknown fields of newer writers

  friend bool operator==(const MarketData&, const MarketData&) = default;
};

}  // namespace mib
