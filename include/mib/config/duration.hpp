// Durations written as people write them in configuration: "250ms", "30s", "5m", "1h".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mib {

// A number (integer or decimal) and a unit: us, ms, s, m, h or d. Several parts may be
// joined, as in "1m30s". Nothing if the text is not such a duration or is negative.
std::optional<std::chrono::microseconds> parse_duration(std::string_view text);

// The shortest exact form, for example "1m30s" or "250ms".
std::string format_duration(std::chrono::microseconds d);

}  // namespace mib
