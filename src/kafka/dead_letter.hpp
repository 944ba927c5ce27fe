// Internal: what makes a record a dead letter - its topic and the headers saying why
// (mib.dlq.*) - for the producer's failed deliveries and a Processor's failed handlers
// alike. The producer re-sends from inside its delivery report, the Processor through
// Producer::send(); both build the letter here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mib/error.hpp"
#include "mib/message.hpp"

namespace mib::dead_letter {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Why and whence a record became a dead letter.
struct Reason {
  std::string_view topic{};
  std::int32_t partition = -1;
  std::int64_t offset = -1;  // the record's offset when it was consumed; -1 if never written
  std::string_view group{};  // the consumer group that gave up on it, if any
  const Error& error;
  int attempts = 1;
};

// Where the dead letters of `topic` go.
inline std::string topic_for(std::string_view topic, std::string_view suffix) {
  std::string out{topic};
  out.append(suffix);
  return out;
}

// Views of owned headers, for sending them.
inline std::vector<Header> views_of(const Headers& headers) {
  std::vector<Header> out;
  out.reserve(headers.size());
  for (const auto& [k, v] : headers) out.push_back({k, v});
  return out;
}

// Appends mib.dlq.original.topic / .partition (/ .offset), mib.dlq.group, mib.dlq.error.code
// / .message, mib.dlq.attempts and mib.dlq.time (RFC 3339, now).
void append_headers(Headers& headers, const Reason& reason);

}  // namespace mib::dead_letter
