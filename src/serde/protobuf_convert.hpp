// Internal: between the market messages' structs and the classes protoc generates from
// proto/market_intel/v1/*.proto. to_proto() fails only on a value Protobuf could carry
// but JSON cannot (NaN or infinite), so that the two codecs accept the same values;
// from_proto() fails on what the structs cannot hold (an unknown or UNSPECIFIED enum value,
// a time outside UtcTime's range, a missing timestamp or payload, a non-finite number).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "market_intel/v1/envelope.pb.h"
#include "mib/serde/envelope.hpp"
#include "serde/issue.hpp"

namespace mib::protobuf {

namespace pb = ::market_intel::v1;
using PbMap = google::protobuf::Map<std::string, pb::JsonValue>;
using PbMetadata = google::protobuf::Map<std::string, std::string>;

using serde::Issue;
using serde::Problem;
using serde::under;

inline constexpr std::string_view not_finite = "cannot be written (NaN or infinite)";

// Doubles: only finite ones, both ways (as JSON).
Problem check_finite(std::string_view field, double value);
Problem check_finite(std::string_view field, const std::optional<double>& value);
// A double read from the wire into `out`, or the problem ("must be a finite number, got nan").
Problem read_double(std::string_view field, double value, double& out);
Problem read_double(std::string_view field, bool present, double value, std::optional<double>& out);

// Times: Timestamp's seconds and nanos (0 to 999999999). Reading requires the timestamp
// to be present and within UtcTime's range (years 1678 to 2262).
void to_proto(UtcTime time, google::protobuf::Timestamp& out);
Problem from_proto(std::string_view field, bool present, const google::protobuf::Timestamp& in,
                   UtcTime& out);
Problem from_proto(std::string_view field, bool present, std::int64_t seconds, std::int32_t nanos,
                   UtcTime& out);

// JSON values and the free maps.
Problem to_proto(const JsonValue& value, pb::JsonValue& out);
Problem from_proto(const pb::JsonValue& value, JsonValue& out);
Problem to_proto(std::string_view field, const JsonMap& map, PbMap& out);
Problem from_proto(std::string_view field, const PbMap& map, JsonMap& out);
void to_proto(const Metadata& map, PbMetadata& out);
void from_proto(const PbMetadata& map, Metadata& out);

// Enums: ours never map to UNSPECIFIED; reading UNSPECIFIED or a value this version does
// not know is an error naming the field.
pb::Side to_proto(Side value);
pb::OrderType to_proto(OrderType value);
pb::OrderStatus to_proto(OrderStatus value);
pb::Severity to_proto(Severity value);
pb::MessageType to_proto(MessageType value);
Problem from_proto(std::string_view field, pb::Side value, Side& out);
Problem from_proto(std::string_view field, pb::OrderType value, OrderType& out);
Problem from_proto(std::string_view field, pb::OrderStatus value, OrderStatus& out);
Problem from_proto(std::string_view field, pb::Severity value, Severity& out);

// The messages. from_proto() replaces all of `out`.
Problem to_proto(const MarketData& value, pb::MarketData& out);
Problem to_proto(const Order& value, pb::Order& out);
Problem to_proto(const Trade& value, pb::Trade& out);
Problem to_proto(const Event& value, pb::Event& out);
Problem to_proto(const Control& value, pb::Control& out);
Problem to_proto(const Envelope& value, pb::Envelope& out);
Problem to_proto(const MessageBatch& value, pb::MessageBatch& out);
Problem from_proto(const pb::MarketData& value, MarketData& out);
Problem from_proto(const pb::Order& value, Order& out);
Problem from_proto(const pb::Trade& value, Trade& out);
Problem from_proto(const pb::Event& value, Event& out);
Problem from_proto(const pb::Control& value, Control& out);
Problem from_proto(const pb::Envelope& value, Envelope& out);
Problem from_proto(const pb::MessageBatch& value, MessageBatch& out);

}  // namespace mib::protobuf
