// mib::Control: a command to a component of the system, or its response.
#pragma once

#include <optional>
#include <string>

#include "mib/serde/json_value.hpp"
#include "mib/serde/rfc3339.hpp"

namespace mib {

struct Control {
  std::string control_type{};
  std::string target{};
  std::string command{};
  JsonMap parameters{};
  UtcTime timestamp{};
  std::string request_id{};
  std::optional<std::string> response_type{};
  JsonMap fields{};  // unknown fields of newer writers

  friend bool operator==(const Control&, const Control&) = default;
};

}  // namespace mib
