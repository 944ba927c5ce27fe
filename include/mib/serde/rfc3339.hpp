// RFC 3339 timestamps in UTC ("2026-11-27T09:30:00.125Z"), as Kafka tools print them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mib/message.hpp"

namespace mib::rfc3339 {

// Appends `t` with millisecond precision and a 'Z' suffix.
void format(Timestamp t, std::string& out);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)"; 't' and ' ' also separate
// date and time. Fractions beyond milliseconds are truncated. Nothing on bad input.
std::optional<Timestamp> parse(std::string_view text);

}  // namespace mib::rfc3339
