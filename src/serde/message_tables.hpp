// Internal: the field tables of the five market message types, in the seed's field order
// (see json_fields.hpp for how a table drives encoding and decoding).
#pragma once

#include "serde/json_fields.hpp"

namespace mib::json {

template <>
struct Table<MarketData> {
  using T = MarketData;
  static constexpr std::string_view name = "MarketData";
  static constexpr std::tuple fields{
      Field<T, std::string>{"symbol", &T::symbol},
      Field<T, double>{"last_price", &T::last_price},
      Field<T, double>{"bid_price", &T::bid_price},
      Field<T, double>{"ask_price", &T::ask_price},
      Field<T, std::uint64_t>{"bid_size", &T::bid_size},
      Field<T, std::uint64_t>{"ask_size", &T::ask_size},
      Field<T, std::uint64_t>{"volume", &T::volume},
      Field<T, UtcTime>{"timestamp", &T::timestamp},
      Field<T, std::string>{"source", &T::source},
  };
  static constexpr auto extra = &T::fields;
};

template <>
struct Table<Order> {
  using T = Order;
  static constexpr std::string_view name = "Order";
  static constexpr std::tuple fields{
      Field<T, std::string>{"order_id", &T::order_id},
      Field<T, std::string>{"client_order_id", &T::client_order_id},
      Field<T, std::string>{"symbol", &T::symbol},
      Field<T, Side>{"side", &T::side},
      Field<T, OrderType>{"order_type", &T::order_type},
      Field<T, std::uint64_t>{"quantity", &T::quantity},
      Field<T, std::optional<double>>{"price", &T::price},
      Field<T, std::optional<double>>{"stop_price", &T::stop_price},
      Field<T, OrderStatus>{"status", &T::status},
      Field<T, std::uint64_t>{"filled_quantity", &T::filled_quantity},
      Field<T, std::optional<double>>{"avg_fill_price", &T::avg_fill_price},
      Field<T, UtcTime>{"timestamp", &T::timestamp},
      Field<T, std::string>{"client_id", &T::client_id},
  };
  static constexpr auto extra = &T::fields;
};

template <>
struct Table<Trade> {
  using T = Trade;
  static constexpr std::string_view name = "Trade";
  static constexpr std::tuple fields{
      Field<T, std::string>{"trade_id", &T::trade_id},
      Field<T, std::string>{"order_id", &T::order_id},
      Field<T, std::string>{"symbol", &T::symbol},
      Field<T, Side>{"side", &T::side},
      Field<T, std::uint64_t>{"quantity", &T::quantity},
      Field<T, double>{"price", &T::price},
      Field<T, UtcTime>{"timestamp", &T::timestamp},
      Field<T, std::string>{"venue", &T::venue},
      Field<T, std::optional<double>>{"fee", &T::fee},
      Field<T, std::optional<std::string>>{"fee_currency", &T::fee_currency},
  };
  static constexpr auto extra = &T::fields;
};

template <>
struct Table<Event> {
  using T = Event;
  static constexpr std::string_view name = "Event";
  static constexpr std::tuple fields{
      Field<T, std::string>{"event_id", &T::event_id},
      Field<T, std::string>{"event_type", &T::event_type},
      Field<T, std::string>{"source", &T::source},
      Field<T, Severity>{"severity", &T::severity},
      Field<T, std::string>{"title", &T::title},
      Field<T, std::string>{"message", &T::message},
      Field<T, UtcTime>{"timestamp", &T::timestamp},
      Field<T, JsonMap>{"data", &T::data},
      Field<T, std::optional<std::string>>{"correlation_id", &T::correlation_id},
      Field<T, std::optional<std::string>>{"causation_id", &T::causation_id},
  };
  static constexpr auto extra = &T::fields;
};

template <>
struct Table<Control> {
  using T = Control;
  static constexpr std::string_view name = "Control";
  static constexpr std::tuple fields{
      Field<T, std::string>{"control_type", &T::control_type},
      Field<T, std::string>{"target", &T::target},
      Field<T, std::string>{"command", &T::command},
      Field<T, JsonMap>{"parameters", &T::parameters},
      Field<T, UtcTime>{"timestamp", &T::timestamp},
      Field<T, std::string>{"request_id", &T::request_id},
      Field<T, std::optional<std::string>>{"response_type", &T::response_type},
  };
  static constexpr auto extra = &T::fields;
};

}  // namespace mib::json
