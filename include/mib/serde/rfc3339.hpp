// RFC 3339 timestamps in UTC ("2026-11-27T09:30:00.125Z"), as Kafka tools print them, and
// the market messages' own time with nanoseconds.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "mib/message.hpp"

namespace mib {

// A market message's time: UTC, with nanoseconds (years 1678 to 2262).
using UtcTime = std::chrono::sys_time<std::chrono::nanoseconds>;

}  // namespace mib

namespace mib::rfc3339 {

// Appends `t` with millisecond precision and a 'Z' suffix.
void format(Timestamp t, std::string& out);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)"; 't' and ' ' also separate
// date and time. Fractions beyond milliseconds are truncated. Nothing on bad input.
std::optional<Timestamp> parse(std::string_view text);

// Appends `t` as chrono and the seed's Rust types write it: no fraction when it is zero,
// else 3, 6 or 9 digits, whichever keeps every non-zero digit ("...:00.123456Z").
void format(UtcTime t, std::string& out);

// As parse(), keeping up to nanoseconds (further digits are truncated).
std::optional<UtcTime> parse_utc(std::string_view text);

}  // namespace mib::rfc3339
