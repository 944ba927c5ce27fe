// mib::Envelope: a market message with who sent it, when, why and for whom, as every topic
// of the system carries it; mib::MessageBatch: envelopes that travel together.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "mib/serde/control.hpp"
#include "mib/serde/event.hpp"
#include "mib/serde/market_data.hpp"
#include "mib/serde/order.hpp"
#include "mib/serde/trade.hpp"

namespace mib {

enum class MessageType { market_data, order, trade, event, control };

// "market_data", "order", "trade", "event", "control".
std::string_view to_string(MessageType type) noexcept;
template <>
std::optional<MessageType> from_string<MessageType>(std::string_view name) noexcept;

// The topic of a message type: "{prefix}.market_data", ".orders", ".trades", ".events",
// ".control". The prefix is [topics] prefix of a Config, "market_intel" by default.
std::string topic_for(MessageType type, std::string_view prefix = "market_intel");

// In the order of MessageType.
using Payload = std::variant<MarketData, Order, Trade, Event, Control>;

using Metadata = std::map<std::string, std::string, std::less<>>;

struct Envelope {
  std::string schema_version = "1.0";
  std::string message_id{};  // a UUID (wrap() makes a random one)
  std::optional<std::string> correlation_id{};
  std::optional<std::string> causation_id{};
  std::string source{};
  std::optional<std::string> destination{};
  UtcTime timestamp{};
  Payload payload{};
  Metadata metadata{};

  MessageType message_type() const noexcept { return static_cast<MessageType>(payload.index()); }

  // A new envelope for `payload` from `source`: a random message id, the time now.
  //   auto e = mib::Envelope::wrap(trade, "gateway").to("risk").with("desk", "equities");
  static Envelope wrap(Payload payload, std::string source);
  // A message caused by `cause`: its causation id is the cause's message id, and it
  // shares the cause's correlation id (or starts one with the cause's message id).
  Envelope caused_by(const Envelope& cause) &&;
  Envelope correlated_with(std::string correlation) &&;
  Envelope to(std::string destination_name) &&;
  Envelope with(std::string key, std::string value) &&;

  friend bool operator==(const Envelope&, const Envelope&) = default;
};

// Envelopes that travel as one record. `size` in its JSON is the number of envelopes.
struct MessageBatch {
  std::string batch_id{};
  std::vector<Envelope> envelopes{};
  UtcTime timestamp{};
  std::string compression = "none";  // how the producer compresses it: none, gzip, lz4, ...
  Metadata metadata{};

  std::size_t size() const noexcept { return envelopes.size(); }
  // A new batch of `envelopes`: a random batch id, the time now.
  static MessageBatch of(std::vector<Envelope> envelopes);

  friend bool operator==(const MessageBatch&, const MessageBatch&) = default;
};

// A random (version 4) UUID, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
std::string random_uuid();

}  // namespace mib
