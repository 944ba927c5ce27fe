#include "mib/serde/rfc3339.hpp"

#include <array>
#include <charconv>

namespace mib::rfc3339 {
namespace {

// `width` digits of `value`, zero-padded, at `at`.
void put_digits(char* at, long long value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    at[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

void append_digits(std::string& out, long long value, int width) {
  std::array<char, 20> buf{};
  put_digits(buf.data(), value, width);
  out.append(buf.data(), static_cast<std::size_t>(width));
}

// Reads exactly `width` digits at `pos`; false if any is not a digit.
bool read_digits(std::string_view s, std::size_t pos, std::size_t width, int& value) {
  if (pos + width > s.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

// "YYYY-MM-DDTHH:MM:SS" of `t`, in one append; the sub-second part of `t - day` is the
// caller's.
template <typename Duration>
auto append_seconds(std::string& out, std::chrono::sys_time<Duration> t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  std::array<char, 19> text{'0', '0', '0', '0', '-', '0', '0', '-', '0', '0',
                            'T', '0', '0', ':', '0', '0', ':', '0', '0'};
  put_digits(&text[0], static_cast<int>(ymd.year()), 4);
  put_digits(&text[5], static_cast<unsigned>(ymd.month()), 2);
  put_digits(&text[8], static_cast<unsigned>(ymd.day()), 2);
  put_digits(&text[11], hms.hours().count(), 2);
  put_digits(&text[14], hms.minutes().count(), 2);
  put_digits(&text[17], hms.seconds().count(), 2);
  out.append(text.data(), text.size());
  return hms.subseconds().count();
}

void format(Timestamp t, std::string& out) {
  const auto millis = append_seconds(out, t);
  out += '.';
  append_digits(out, millis, 3);
  out += 'Z';
}

void format(UtcTime t, std::string& out) {
  const long long nanos = append_seconds(out, t);
  if (nanos != 0) {
    out += '.';
    if (nanos % 1'000'000 == 0) {
      append_digits(out, nanos / 1'000'000, 3);
    } else if (nanos % 1'000 == 0) {
      append_digits(out, nanos / 1'000, 6);
    } else {
      append_digits(out, nanos, 9);
    }
  }
  out += 'Z';
}

namespace {

// The whole seconds (UTC) and the nanoseconds of an RFC 3339 text.
struct Parts {
  std::chrono::sys_seconds seconds;
  long long nanos;
};

std::optional<Parts> parse_parts(std::string_view s) {
  using namespace std::chrono;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!read_digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !read_digits(s, 5, 2, mo) ||
      s[7] != '-' || !read_digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !read_digits(s, 11, 2, h) || s[13] != ':' || !read_digits(s, 14, 2, mi) || s[16] != ':' ||
      !read_digits(s, 17, 2, sec)) {
    return std::nullopt;
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;  // 60: leap second
  std::size_t pos = 19;
  long long nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 9) nanos = nanos * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 9; ++i) nanos *= 10;
  }
  minutes offset{0};
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh = 0, om = 0;
    if (!read_digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !read_digits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = hours{oh} + minutes{om};
    if (s[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return std::nullopt;  // RFC 3339 requires a zone
  }
  if (pos != s.size()) return std::nullopt;
  return Parts{sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} - offset, nanos};
}

}  // namespace

std::optional<UtcTime> parse_utc(std::string_view s) {
  const auto parts = parse_parts(s);
  // Outside sys_time<nanoseconds>'s range (about 1678 to 2262) the sum would overflow.
  constexpr std::chrono::sys_seconds earliest{std::chrono::seconds{-9'223'372'036LL}};
  constexpr std::chrono::sys_seconds latest{std::chrono::seconds{9'223'372'035LL}};
  if (!parts || parts->seconds < earliest || parts->seconds > latest) return std::nullopt;
  return UtcTime{parts->seconds} + std::chrono::nanoseconds{parts->nanos};
}

std::optional<Timestamp> parse(std::string_view s) {
  const auto parts = parse_parts(s);
  if (!parts) return std::nullopt;
  return Timestamp{parts->seconds} + std::chrono::milliseconds{parts->nanos / 1'000'000};
}

}  // namespace mib::rfc3339
