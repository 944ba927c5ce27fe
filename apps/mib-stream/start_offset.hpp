// Where `mib-stream consume -o` starts each partition: kcat's offset words, or a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mib/consumer/consumer.hpp"
#include "mib/message.hpp"

namespace mib::cli {

struct StartOffset {
  enum class Kind { beginning, end, offset, from_end, time };
  Kind kind = Kind::beginning;
  std::int64_t offset = 0;  // Kind::offset: that offset; Kind::from_end: records before the end
  Timestamp time{};         // Kind::time: the first record at or after it
};

// "beginning", "end", "OFFSET", "-N" (the last N records), "@RFC3339" or "@EPOCH_MS".
std::optional<StartOffset> parse_start_offset(std::string_view text);

// For CLI11: what is wrong with `text` as a start offset, or "" if nothing is.
std::string check_start_offset(const std::string& text);

// `partitions` with each offset set where `start` says (-N asks the partition's
// watermarks, @time the offsets by time), ready for assign().
std::vector<TopicPartition> starting_offsets(const Consumer& consumer,
                                             std::vector<TopicPartition> partitions,
                                             const StartOffset& start,
                                             std::chrono::milliseconds timeout);

// Moves each of `partitions` where `start` says: inside on_assigned this sets where they
// begin; after assign() it seeks.
Error seek_to_start(Consumer& consumer, const std::vector<TopicPartition>& partitions,
                    const StartOffset& start, std::chrono::milliseconds timeout);

}  // namespace mib::cli
