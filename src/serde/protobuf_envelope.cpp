// The Protobuf form of an envelope (its payload a oneof, message_type written beside it)
// and of a batch of envelopes.
#include "serde/protobuf_convert.hpp"

namespace mib::protobuf {

namespace {

Problem payload_to_proto(const Payload& payload, pb::Envelope& out) {
  return std::visit(
      [&](const auto& message) -> Problem {
        using M = std::decay_t<decltype(message)>;
        if constexpr (std::is_same_v<M, MarketData>) {
          return to_proto(message, *out.mutable_market_data());
        } else if constexpr (std::is_same_v<M, Order>) {
          return to_proto(message, *out.mutable_order());
        } else if constexpr (std::is_same_v<M, Trade>) {
          return to_proto(message, *out.mutable_trade());
        } else if constexpr (std::is_same_v<M, Event>) {
          return to_proto(message, *out.mutable_event());
        } else {
          return to_proto(message, *out.mutable_control());
        }
      },
      payload);
}

template <typename M, typename Pb>
Problem read_payload(const Pb& message, Payload& out) {
  M& payload = std::holds_alternative<M>(out) ? std::get<M>(out) : out.template emplace<M>();
  return from_proto(message, payload);
}

Problem payload_from_proto(const pb::Envelope& v, Payload& out) {
  switch (v.payload_case()) {
    case pb::Envelope::kMarketData: return read_payload<MarketData>(v.market_data(), out);
    case pb::Envelope::kOrder: return read_payload<Order>(v.order(), out);
    case pb::Envelope::kTrade: return read_payload<Trade>(v.trade(), out);
    case pb::Envelope::kEvent: return read_payload<Event>(v.event(), out);
    case pb::Envelope::kControl: return read_payload<Control>(v.control(), out);
    case pb::Envelope::PAYLOAD_NOT_SET: break;
  }
  return Issue{"", "is missing"};
}

// message_type is redundant with the payload's case: UNSPECIFIED (an older or foreign
// writer) or the same type, else an error.
Problem check_message_type(pb::MessageType given, MessageType payload) {
  const int number = static_cast<int>(given);
  if (number == 0 || given == to_proto(payload)) return std::nullopt;
  if (number < 0 || number > pb::MessageType_MAX) {
    return Issue{"message_type", "has an unknown value " + std::to_string(number)};
  }
  const auto named = static_cast<MessageType>(number - 1);
  return Issue{"message_type", "is " + std::string{to_string(named)} + " but the payload is " +
                                   std::string{to_string(payload)}};
}

}  // namespace

Problem to_proto(const Envelope& v, pb::Envelope& out) {
  out.set_message_type(to_proto(v.message_type()));
  out.set_schema_version(v.schema_version);
  out.set_message_id(v.message_id);
  if (v.correlation_id) out.set_correlation_id(*v.correlation_id);
  if (v.causation_id) out.set_causation_id(*v.causation_id);
  out.set_source(v.source);
  if (v.destination) out.set_destination(*v.destination);
  to_proto(v.timestamp, *out.mutable_timestamp());
  if (Problem p = payload_to_proto(v.payload, out)) return under("payload", std::move(p));
  to_proto(v.metadata, *out.mutable_metadata());
  return std::nullopt;
}

Problem from_proto(const pb::Envelope& v, Envelope& out) {
  out.schema_version = v.schema_version();
  out.message_id = v.message_id();
  out.correlation_id = v.has_correlation_id() ? std::optional{v.correlation_id()} : std::nullopt;
  out.causation_id = v.has_causation_id() ? std::optional{v.causation_id()} : std::nullopt;
  out.source = v.source();
  out.destination = v.has_destination() ? std::optional{v.destination()} : std::nullopt;
  if (Problem p = from_proto("timestamp", v.has_timestamp(), v.timestamp(), out.timestamp)) {
    return p;
  }
  if (Problem p = payload_from_proto(v, out.payload)) return under("payload", std::move(p));
  if (Problem p = check_message_type(v.message_type(), out.message_type())) return p;
  from_proto(v.metadata(), out.metadata);
  return std::nullopt;
}

Problem to_proto(const MessageBatch& v, pb::MessageBatch& out) {
  out.set_batch_id(v.batch_id);
  out.mutable_envelopes()->Reserve(static_cast<int>(v.envelopes.size()));
  for (std::size_t i = 0; i < v.envelopes.size(); ++i) {
    if (Problem p = to_proto(v.envelopes[i], *out.add_envelopes())) {
      return under("envelopes." + std::to_string(i), std::move(p));
    }
  }
  to_proto(v.timestamp, *out.mutable_timestamp());
  out.set_compression(v.compression);
  to_proto(v.metadata, *out.mutable_metadata());
  return std::nullopt;
}

Problem from_proto(const pb::MessageBatch& v, MessageBatch& out) {
  out.batch_id = v.batch_id();
  out.envelopes.resize(static_cast<std::size_t>(v.envelopes_size()));
  for (std::size_t i = 0; i < out.envelopes.size(); ++i) {
    if (Problem p = from_proto(v.envelopes(static_cast<int>(i)), out.envelopes[i])) {
      return under("envelopes." + std::to_string(i), std::move(p));
    }
  }
  if (Problem p = from_proto("timestamp", v.has_timestamp(), v.timestamp(), out.timestamp)) {
    return p;
  }
  out.compression = v.compression();
  from_proto(v.metadata(), out.metadata);
  return std::nullopt;
}

}  // namespace mib::protobuf
