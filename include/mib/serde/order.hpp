// mib::Order: an order and where it stands.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mib/serde/json_value.hpp"
#include "mib/serde/market_enums.hpp"
#include "mib/serde/rfc3339.hpp"

namespace mib {

struct Order {
  std::string order_id{};
  std::string client_order_id{};
  std::string symbol{};
  Side side = Side::buy;
  OrderType order_type = OrderType::market;
  std::uint64_t quantity = 0;
  std::optional<double> price{};       // limit orders
  std::optional<double> stop_price{};  // stop orders
  OrderStatus status = OrderStatus::new_order;
  std::uint64_t filled_quantity = 0;
  std::optional<double> avg_fill_price{};
  UtcTime timestamp{};
  std::string client_id{};
  JsonMap fields{};

  friend bool operator==(const Order&, const Order&) = default;
};

}  // namespace mib
