#include "mib/serde/market_enums.hpp"

#include <array>
#include <cctype>
#include <utility>

#include "mib/serde/envelope.hpp"

namespace mib {
namespace {

template <typename Enum, std::size_t N>
using Names = std::array<std::pair<Enum, std::string_view>, N>;

constexpr Names<Side, 2> side_names{{{Side::buy, "BUY"}, {Side::sell, "SELL"}}};
constexpr Names<OrderType, 4> order_type_names{{{OrderType::market, "MARKET"},
                                                {OrderType::limit, "LIMIT"},
                                                {OrderType::stop, "STOP"},
                                                {OrderType::stop_limit, "STOP_LIMIT"}}};
constexpr Names<OrderStatus, 6> status_names{{{OrderStatus::new_order, "NEW"},
                                              {OrderStatus::partially_filled, "PARTIALLY_FILLED"},
                                              {OrderStatus::filled, "FILLED"},
                                              {OrderStatus::canceled, "CANCELED"},
                                              {OrderStatus::rejected, "REJECTED"},
                                              {OrderStatus::expired, "EXPIRED"}}};
constexpr Names<Severity, 4> severity_names{{{Severity::info, "INFO"},
                                             {Severity::warning, "WARNING"},
                                             {Severity::error, "ERROR"},
                                             {Severity::critical, "CRITICAL"}}};
constexpr Names<MessageType, 5> message_type_names{{{MessageType::market_data, "market_data"},
                                                    {MessageType::order, "order"},
                                                    {MessageType::trade, "trade"},
                                                    {MessageType::event, "event"},
                                                    {MessageType::control, "control"}}};

bool same_letters(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

template <typename Enum, std::size_t N>
std::string_view name_in(const Names<Enum, N>& names, Enum value) noexcept {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return "?";
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_in(const Names<Enum, N>& names, std::string_view name) noexcept {
  for (const auto& [v, n] : names) {
    if (same_letters(n, name)) return v;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Side value) noexcept {
  return name_in(side_names, value);
}
std::string_view to_string(OrderType value) noexcept {
  return name_in(order_type_names, value);
}
std::string_view to_string(OrderStatus value) noexcept {
  return name_in(status_names, value);
}
std::string_view to_string(Severity value) noexcept {
  return name_in(severity_names, value);
}
std::string_view to_string(MessageType value) noexcept {
  return name_in(message_type_names, value);
}

template <>
std::optional<Side> from_string<Side>(std::string_view name) noexcept {
  return value_in(side_names, name);
}
template <>
std::optional<OrderType> from_string<OrderType>(std::string_view name) noexcept {
  return value_in(order_type_names, name);
}
template <>
std::optional<OrderStatus> from_string<OrderStatus>(std::string_view name) noexcept {
  // The British spelling is common enough in order systems to accept on input.
  if (same_letters(name, "CANCELLED")) return OrderStatus::canceled;
  return value_in(status_names, name);
}
template <>
std::optional<Severity> from_string<Severity>(std::string_view name) noexcept {
  return value_in(severity_names, name);
}
template <>
std::optional<MessageType> from_string<MessageType>(std::string_view name) noexcept {
  return value_in(message_type_names, name);
}

}  // namespace mib
