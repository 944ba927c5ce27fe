#include "mib/config/duration.hpp"

#include <array>
#include <utility>

namespace mib {
namespace {

struct Unit {
  std::string_view name;
  long long micros;
};
// Longest names first so that "ms" is not read as "m" followed by junk.
constexpr std::array<Unit, 6> units{{{"us", 1},
                                     {"ms", 1'000},
                                     {"s", 1'000'000},
                                     {"m", 60'000'000},
                                     {"h", 3'600'000'000},
                                     {"d", 86'400'000'000}}};

}  // namespace

std::optional<std::chrono::microseconds> parse_duration(std::string_view text) {
  long long total = 0;
  std::size_t pos = 0;
  if (text.empty()) return std::nullopt;
  while (pos < text.size()) {
    // Number: digits with an optional fraction.
    long long whole = 0;
    long long frac = 0, frac_scale = 1;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      whole = whole * 10 + (text[pos++] - '0');
      if (whole > 1'000'000'000'000LL) return std::nullopt;
    }
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (frac_scale < 1'000'000) {
          frac = frac * 10 + (text[pos] - '0');
          frac_scale *= 10;
        }
        ++pos;
      }
    }
    if (pos == start || (pos == start + 1 && text[start] == '.')) return std::nullopt;
    // Unit.
    const Unit* unit = nullptr;
    for (const Unit& u : units) {
      if (text.substr(pos, u.name.size()) == u.name) {
        unit = &u;
        break;
      }
    }
    if (unit == nullptr) return std::nullopt;
    pos += unit->name.size();
    if (whole > (1LL << 62) / unit->micros) return std::nullopt;
    total += whole * unit->micros + frac * unit->micros / frac_scale;
  }
  return std::chrono::microseconds{total};
}

std::string format_duration(std::chrono::microseconds d) {
  long long us = d.count();
  if (us == 0) return "0s";
  std::string out;
  if (us < 0) {
    out += '-';
    us = -us;
  }
  if (us % 1'000 != 0 || us < 1'000) return out + std::to_string(us) + "us";
  if (us % 1'000'000 != 0) return out + std::to_string(us / 1'000) + "ms";
  long long s = us / 1'000'000;
  for (auto [name, size] : {std::pair{"d", 86'400LL}, {"h", 3'600LL}, {"m", 60LL}}) {
    if (s >= size) {
      out += std::to_string(s / size) + name;
      s %= size;
    }
  }
  if (s > 0) out += std::to_string(s) + "s";
  return out;
}

}  // namespace mib
