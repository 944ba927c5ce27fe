// mib::Event: something that happened that a person or a system should hear about.
#pragma once

#include <optional>
#include <string>

#include "mib/serde/json_value.hpp"
#include "mib/serde/market_enums.hpp"
#include "mib/serde/rfc3339.hpp"

namespace mib {

struct Event {
  std::string event_id{};
  std::string event_type{};
  std::string source{};
  Severity severity = Severity::info;
  std::string title{};
  std::string message{};
  UtcTime timestamp{};
  JsonMap data{};
  std::optional<std::string> correlation_id{};
  std::optional<std::string> causation_id{};
  JsonMap fields{};  // unknown fields of newer writers

  friend bool operator==(const Event&, const Event&) = default;
};

}  // namespace mib
