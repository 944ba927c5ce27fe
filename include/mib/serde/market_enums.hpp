// The enumerations of the market messages, with the names the seed's messages use on the
// wire ("BUY", "PARTIALLY_FILLED", "WARNING").
#pragma once

#include <optional>
#include <string_view>

namespace mib {

enum class Side { buy, sell };
enum class OrderType { market, limit, stop, stop_limit };
enum class OrderStatus { new_order, partially_filled, filled, canceled, rejected, expired };
enum class Severity { info, warning, error, critical };

// The wire name: "BUY", "STOP_LIMIT", "NEW", "CRITICAL".
std::string_view to_string(Side value) noexcept;
std::string_view to_string(OrderType value) noexcept;
std::string_view to_string(OrderStatus value) noexcept;
std::string_view to_string(Severity value) noexcept;

// From a wire name, in any letter case ("buy", "Buy"); nothing for an unknown name.
template <typename Enum>
std::optional<Enum> from_string(std::string_view name) noexcept;

}  // namespace mib
