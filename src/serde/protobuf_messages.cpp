// The Protobuf form of the five market message types, field by field in the .proto's
// order (proto/market_intel/v1/). Scalars absent on the wire read as zero or empty, as
// proto3 has it; enums must not be UNSPECIFIED and timestamps must be present.
#include "serde/protobuf_convert.hpp"

namespace mib::protobuf {

namespace {

template <typename T>
void set_optional(const std::optional<T>& value, auto&& set) {
  if (value) set(*value);
}

template <typename T>
std::optional<T> get_optional(bool present, const T& value) {
  return present ? std::optional<T>{value} : std::nullopt;
}

}  // namespace

Problem read_double(std::string_view field, double value, double& out) {
  if (Problem p = check_finite(field, value)) {
    return Issue{p->path, "must be a finite number, got " + std::to_string(value)};
  }
  out = value;
  return std::nullopt;
}

Problem read_double(std::string_view field, bool present, double value,
                    std::optional<double>& out) {
  if (!present) {
    out.reset();
    return std::nullopt;
  }
  return read_double(field, value, out.emplace());
}

Problem to_proto(const MarketData& v, pb::MarketData& out) {
  if (Problem p = check_finite("last_price", v.last_price)) return p;
  if (Problem p = check_finite("bid_price", v.bid_price)) return p;
  if (Problem p = check_finite("ask_price", v.ask_price)) return p;
  out.set_symbol(v.symbol);
  out.set_last_price(v.last_price);
  out.set_bid_price(v.bid_price);
  out.set_ask_price(v.ask_price);
  out.set_bid_size(v.bid_size);
  out.set_ask_size(v.ask_size);
  out.set_volume(v.volume);
  to_proto(v.timestamp, *out.mutable_timestamp());
  out.set_source(v.source);
  return to_proto("fields", v.fields, *out.mutable_fields());
}

Problem from_proto(const pb::MarketData& v, MarketData& out) {
  out.symbol = v.symbol();
  if (Problem p = read_double("last_price", v.last_price(), out.last_price)) return p;
  if (Problem p = read_double("bid_price", v.bid_price(), out.bid_price)) return p;
  if (Problem p = read_double("ask_price", v.ask_price(), out.ask_price)) return p;
  out.bid_size = v.bid_size();
  out.ask_size = v.ask_size();
  out.volume = v.volume();
  if (Problem p = from_proto("timestamp", v.has_timestamp(), v.timestamp(), out.timestamp)) {
    return p;
  }
  out.source = v.source();
  return from_proto("fields", v.fields(), out.fields);
}

Problem to_proto(const Order& v, pb::Order& out) {
  if (Problem p = check_finite("price", v.price)) return p;
  if (Problem p = check_finite("stop_price", v.stop_price)) return p;
  if (Problem p = check_finite("avg_fill_price", v.avg_fill_price)) return p;
  out.set_order_id(v.order_id);
  out.set_client_order_id(v.client_order_id);
  out.set_symbol(v.symbol);
  out.set_side(to_proto(v.side));
  out.set_order_type(to_proto(v.order_type));
  out.set_quantity(v.quantity);
  set_optional(v.price, [&](double x) { out.set_price(x); });
  set_optional(v.stop_price, [&](double x) { out.set_stop_price(x); });
  out.set_status(to_proto(v.status));
  out.set_filled_quantity(v.filled_quantity);
  set_optional(v.avg_fill_price, [&](double x) { out.set_avg_fill_price(x); });
  to_proto(v.timestamp, *out.mutable_timestamp());
  out.set_client_id(v.client_id);
  return to_proto("fields", v.fields, *out.mutable_fields());
}

Problem from_proto(const pb::Order& v, Order& out) {
  out.order_id = v.order_id();
  out.client_order_id = v.client_order_id();
  out.symbol = v.symbol();
  if (Problem p = from_proto("side", v.side(), out.side)) return p;
  if (Problem p = from_proto("order_type", v.order_type(), out.order_type)) return p;
  out.quantity = v.quantity();
  if (Problem p = read_double("price", v.has_price(), v.price(), out.price)) return p;
  if (Problem p = read_double("stop_price", v.has_stop_price(), v.stop_price(), out.stop_price)) {
    return p;
  }
  if (Problem p = from_proto("status", v.status(), out.status)) return p;
  out.filled_quantity = v.filled_quantity();
  if (Problem p = read_double("avg_fill_price", v.has_avg_fill_price(), v.avg_fill_price(),
                              out.avg_fill_price)) {
    return p;
  }
  if (Problem p = from_proto("timestamp", v.has_timestamp(), v.timestamp(), out.timestamp)) {
    return p;
  }
  out.client_id = v.client_id();
  return from_proto("fields", v.fields(), out.fields);
}

Problem to_proto(const Trade& v, pb::Trade& out) {
  if (Problem p = check_finite("price", v.price)) return p;
  if (Problem p = check_finite("fee", v.fee)) return p;
  out.set_trade_id(v.trade_id);
  out.set_order_id(v.order_id);
  out.set_symbol(v.symbol);
  out.set_side(to_proto(v.side));
  out.set_quantity(v.quantity);
  out.set_price(v.price);
  to_proto(v.timestamp, *out.mutable_timestamp());
  out.set_venue(v.venue);
  set_optional(v.fee, [&](double x) { out.set_fee(x); });
  set_optional(v.fee_currency, [&](const std::string& x) { out.set_fee_currency(x); });
  return to_proto("fields", v.fields, *out.mutable_fields());
}

Problem from_proto(const pb::Trade& v, Trade& out) {
  out.trade_id = v.trade_id();
  out.order_id = v.order_id();
  out.symbol = v.symbol();
  if (Problem p = from_proto("side", v.side(), out.side)) return p;
  out.quantity = v.quantity();
  if (Problem p = read_double("price", v.price(), out.price)) return p;
  if (Problem p = from_proto("timestamp", v.has_timestamp(), v.timestamp(), out.timestamp)) {
    return p;
  }
  out.venue = v.venue();
  if (Problem p = read_double("fee", v.has_fee(), v.fee(), out.fee)) return p;
  out.fee_currency = get_optional(v.has_fee_currency(), v.fee_currency());
  return from_proto("fields", v.fields(), out.fields);
}

Problem to_proto(const Event& v, pb::Event& out) {
  out.set_event_id(v.event_id);
  out.set_event_type(v.event_type);
  out.set_source(v.source);
  out.set_severity(to_proto(v.severity));
  out.set_title(v.title);
  out.set_message(v.message);
  to_proto(v.timestamp, *out.mutable_timestamp());
  if (Problem p = to_proto("data", v.data, *out.mutable_data())) return p;
  set_optional(v.correlation_id, [&](const std::string& x) { out.set_correlation_id(x); });
  set_optional(v.causation_id, [&](const std::string& x) { out.set_causation_id(x); });
  return to_proto("fields", v.fields, *out.mutable_fields());
}

Problem from_proto(const pb::Event& v, Event& out) {
  out.event_id = v.event_id();
  out.event_type = v.event_type();
  out.source = v.source();
  if (Problem p = from_proto("severity", v.severity(), out.severity)) return p;
  out.title = v.title();
  out.message = v.message();
  if (Problem p = from_proto("timestamp", v.has_timestamp(), v.timestamp(), out.timestamp)) {
    return p;
  }
  if (Problem p = from_proto("data", v.data(), out.data)) return p;
  out.correlation_id = get_optional(v.has_correlation_id(), v.correlation_id());
  out.causation_id = get_optional(v.has_causation_id(), v.causation_id());
  return from_proto("fields", v.fields(), out.fields);
}

Problem to_proto(const Control& v, pb::Control& out) {
  out.set_control_type(v.control_type);
  out.set_target(v.target);
  out.set_command(v.command);
  if (Problem p = to_proto("parameters", v.parameters, *out.mutable_parameters())) return p;
  to_proto(v.timestamp, *out.mutable_timestamp());
  out.set_request_id(v.request_id);
  set_optional(v.response_type, [&](const std::string& x) { out.set_response_type(x); });
  return to_proto("fields", v.fields, *out.mutable_fields());
}

Problem from_proto(const pb::Control& v, Control& out) {
  out.control_type = v.control_type();
  out.target = v.target();
  out.command = v.command();
  if (Problem p = from_proto("parameters", v.parameters(), out.parameters)) return p;
  if (Problem p = from_proto("timestamp", v.has_timestamp(), v.timestamp(), out.timestamp)) {
    return p;
  }
  out.request_id = v.request_id();
  out.response_type = get_optional(v.has_response_type(), v.response_type());
  return from_proto("fields", v.fields(), out.fields);
}

}  // namespace mib::protobuf
