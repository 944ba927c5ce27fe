#include "mib/serde/envelope.hpp"

#include <random>

namespace mib {

std::string topic_for(MessageType type, std::string_view prefix) {
  static constexpr std::string_view suffixes[] = {".market_data", ".orders", ".trades", ".events",
                                                  ".control"};
  std::string topic{prefix};
  topic.append(suffixes[static_cast<std::size_t>(type)]);
  return topic;
}

std::string random_uuid() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  const std::uint64_t high = random(), low = random();
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  const auto put = [&](std::uint64_t bits, int from, int count) {
    for (int i = from; i < from + count; ++i) out += hex[(bits >> (60 - 4 * i)) & 0xF];
  };
  // Version 4 in the 13th digit, variant 10xx in the 17th.
  const std::uint64_t versioned = (high & ~0xF000ULL) | 0x4000ULL;
  const std::uint64_t varianted = (low & ~(0xCULL << 60)) | (0x8ULL << 60);
  put(versioned, 0, 8);
  out += '-';
  put(versioned, 8, 4);
  out += '-';
  put(versioned, 12, 4);
  out += '-';
  put(varianted, 0, 4);
  out += '-';
  put(varianted, 4, 12);
  return out;
}

Envelope Envelope::wrap(Payload payload, std::string source) {
  Envelope e;
  e.message_id = random_uuid();
  e.source = std::move(source);
  e.timestamp =
      std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  e.payload = std::move(payload);
  return e;
}

Envelope Envelope::caused_by(const Envelope& cause) && {
  causation_id = cause.message_id;
  correlation_id = cause.correlation_id.value_or(cause.message_id);
  return std::move(*this);
}

Envelope Envelope::correlated_with(std::string correlation) && {
  correlation_id = std::move(correlation);
  return std::move(*this);
}

Envelope Envelope::to(std::string destination_name) && {
  destination = std::move(destination_name);
  return std::move(*this);
}

Envelope Envelope::with(std::string key, std::string value) && {
  metadata.insert_or_assign(std::move(key), std::move(value));
  return std::move(*this);
}

MessageBatch MessageBatch::of(std::vector<Envelope> envelopes) {
  MessageBatch b;
  b.batch_id = random_uuid();
  b.envelopes = std::move(envelopes);
  b.timestamp =
      std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  return b;
}

}  // namespace mib
