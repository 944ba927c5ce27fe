// mib::Trade: an execution.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mib/serde/json_value.hpp"
#include "mib/serde/market_enums.hpp"
#include "mib/serde/rfc3339.hpp"

namespace mib {

struct Trade {
  std::string trade_id{};
  std::string order_id{};
  std::string symbol{};
  Side side = Side::buy;
  std::uint64_t quantity = 0;
  double price = 0;
  UtcTime timestamp{};
  std::string venue{};
  std::optional<double> fee{};
  std::optional<std::string> fee_currency{};
  JsonMap fields{};

  friend bool operator==(const Trade&, const Trade&) = default;
};

}  // namespace mib
