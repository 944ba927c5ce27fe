// The market messages' samples shared by the JSON and the Protobuf tests: one of each
// type with its usual fields set.
#pragma once

#include <string_view>

#include "mib/mib.hpp"

namespace samples {

inline mib::UtcTime at(std::string_view text) {
  return mib::rfc3339::parse_utc(text).value();
}

inline mib::MarketData quote() {
  return {.symbol = "AAPL",
          .last_price = 150.25,
          .bid_price = 150.24,
          .ask_price = 150.26,
          .bid_size = 300,
          .ask_size = 500,
          .volume = 1000,
          .timestamp = at("2026-11-27T09:40:00.125Z"),
          .source = "feed \"A\"\n"};
}

inline mib::Order limit_order() {
  return {.order_id = "o-1",
          .client_order_id = "c-1",
          .symbol = "MSFT",
          .side = mib::Side::sell,
          .order_type = mib::OrderType::limit,
          .quantity = 100,
          .price = 411.5,
          .status = mib::OrderStatus::partially_filled,
          .filled_quantity = 40,
          .avg_fill_price = 411.52,
          .timestamp = at("2026-11-27T09:40:00.123456789Z"),
          .client_id = "desk-7",
          .fields = {{"tif", "DAY"}, {"tags", mib::JsonValue::Array{1, "two", nullptr}}}};
}

inline mib::Trade fill() {
  return {.trade_id = "t-9",
          .order_id = "o-1",
          .symbol = "MSFT",
          .side = mib::Side::sell,
          .quantity = 40,
          .price = 411.52,
          .timestamp = at("2026-11-27T09:40:01.5Z"),
          .venue = "XNAS",
          .fee = 0.12,
          .fee_currency = "USD"};
}

inline mib::Event alert() {
  return {.event_id = "e-1",
          .event_type = "risk_limit",
          .source = "risk",
          .severity = mib::Severity::critical,
          .title = "Limit breached",
          .message = "desk-7 over its MSFT limit",
          .timestamp = at("2026-11-27T09:40:02Z"),
          .data = {{"limit", 1000000}, {"used", 1000400.5}, {"desk", "desk-7"}},
          .correlation_id = "corr-1"};
}

inline mib::Control halt() {
  return {.control_type = "command",
          .target = "feed-handler",
          .command = "pause",
          .parameters = {{"symbols", mib::JsonValue::Array{"MSFT"}}, {"seconds", 30}},
          .timestamp = at("2026-11-27T09:40:03Z"),
          .request_id = "r-1"};
}

}  // namespace samples
