#include "start_offset.hpp"

#include <algorithm>
#include <charconv>

#include "mib/serde/rfc3339.hpp"

namespace mib::cli {
namespace {

// All of `text` as a non-negative whole number; nothing for signs, blanks or overflow.
std::optional<std::int64_t> whole_number(std::string_view text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || text.front() == '-' || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

std::optional<StartOffset> parse_start_offset(std::string_view text) {
  using Kind = StartOffset::Kind;
  if (text == "beginning") return StartOffset{.kind = Kind::beginning};
  if (text == "end") return StartOffset{.kind = Kind::end};
  if (text.starts_with('@')) {
    const std::string_view time = text.substr(1);
    if (const auto ms = whole_number(time)) {
      return StartOffset{.kind = Kind::time, .time = Timestamp{std::chrono::milliseconds{*ms}}};
    }
    if (const auto t = rfc3339::parse(time)) return StartOffset{.kind = Kind::time, .time = *t};
    return std::nullopt;
  }
  if (text.starts_with('-')) {
    const auto n = whole_number(text.substr(1));
    if (!n || *n == 0) return std::nullopt;
    return StartOffset{.kind = Kind::from_end, .offset = *n};
  }
  if (const auto offset = whole_number(text)) {
    return StartOffset{.kind = Kind::offset, .offset = *offset};
  }
  return std::nullopt;
}

std::string check_start_offset(const std::string& text) {
  if (parse_start_offset(text)) return {};
  return "expected beginning, end, OFFSET, -N (the last N), @RFC3339-TIME or @EPOCH-MS, got '" +
         text + "'";
}

std::vector<TopicPartition> starting_offsets(const Consumer& consumer,
                                             std::vector<TopicPartition> partitions,
                                             const StartOffset& start,
                                             std::chrono::milliseconds timeout) {
  using Kind = StartOffset::Kind;
  if (start.kind == Kind::time) return consumer.offsets_for_time(start.time, partitions, timeout);
  for (TopicPartition& p : partitions) {
    switch (start.kind) {
      case Kind::beginning: p.offset = offset::beginning; break;
      case Kind::end: p.offset = offset::end; break;
      case Kind::time: break;  // above
      case Kind::offset: p.offset = start.offset; break;
      case Kind::from_end: {
        // Never before the first record still kept.
        const auto marks = consumer.watermarks(p, timeout);
        p.offset = std::max(marks.low, marks.high - start.offset);
        break;
      }
    }
  }
  return partitions;
}

Error seek_to_start(Consumer& consumer, const std::vector<TopicPartition>& partitions,
                    const StartOffset& start, std::chrono::milliseconds timeout) {
  if (partitions.empty()) return {};
  if (start.kind == StartOffset::Kind::time) {
    return consumer.seek_to_time(start.time, partitions, timeout);
  }
  for (const TopicPartition& p : starting_offsets(consumer, partitions, start, timeout)) {
    if (Error e = consumer.seek(p, timeout)) return e;
  }
  return {};
}

}  // namespace mib::cli
