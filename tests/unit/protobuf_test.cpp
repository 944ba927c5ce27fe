// The Protobuf form of the market messages, envelopes and batches: every field both ways,
// bad bytes rejected with the field named, and the same information as their JSON.
#include <google/protobuf/stubs/logging.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "market_samples.hpp"
#include "mib/mib.hpp"

namespace {

using samples::at;

// Every JSON kind, numbers of each kind at their limits, an object whose members are not
// in key order.
mib::JsonMap every_kind() {
  return {{"null", nullptr},
          {"yes", true},
          {"no", false},
          {"negative", std::int64_t{-42}},
          {"int_min", std::numeric_limits<std::int64_t>::min()},
          {"int_max", std::numeric_limits<std::int64_t>::max()},
          {"uint_max", std::numeric_limits<std::uint64_t>::max()},
          {"ratio", 0.1},
          {"tiny", 5e-324},
          {"text", "caf\xc3\xa9 \"quoted\"\n"},
          {"list", mib::JsonValue::Array{1, "two", nullptr, mib::JsonValue::Array{}}},
          {"object", mib::JsonValue::Object{{"z", 1}, {"a", mib::JsonValue::Object{}}}}};
}

// The shared samples with every field set (optionals and maps too).
mib::MarketData quote() {
  mib::MarketData q = samples::quote();
  q.volume = std::numeric_limits<std::uint64_t>::max();
  q.fields = every_kind();
  return q;
}

mib::Order limit_order() {
  mib::Order o = samples::limit_order();
  o.order_type = mib::OrderType::stop_limit;
  o.stop_price = 410.0;
  return o;
}

mib::Trade fill() {
  mib::Trade t = samples::fill();
  t.fields = {{"liquidity", "maker"}};
  return t;
}

mib::Event alert() {
  mib::Event e = samples::alert();
  e.causation_id = "cause-1";
  e.fields = {{"region", "EU"}};
  return e;
}

mib::Control halt() {
  mib::Control c = samples::halt();
  c.response_type = "ack";
  c.fields = {{"retry", false}};
  return c;
}

mib::Envelope envelope_of(mib::Payload payload) {
  mib::Envelope e{.message_id = "2f1c0d3e-8a4b-4c6d-9e0f-112233445566",
                  .correlation_id = "corr-1",
                  .causation_id = "cause-1",
                  .source = "oms",
                  .destination = "risk",
                  .timestamp = at("2026-11-27T09:40:04.000001Z"),
                  .metadata = {{"desk", "7"}, {"region", "EU"}}};
  e.payload = std::move(payload);
  return e;
}

mib::MessageBatch batch() {
  return {.batch_id = "b-1",
          .envelopes = {envelope_of(quote()), envelope_of(limit_order()), envelope_of(fill()),
                        envelope_of(alert()), envelope_of(halt())},
          .timestamp = at("2026-11-27T09:40:05Z"),
          .compression = "lz4",
          .metadata = {{"producer", "gw-1"}}};
}

// The same types with every optional and map empty, and the other enum values.
mib::MarketData bare_quote() {
  return {.symbol = "X", .timestamp = at("1970-01-01T00:00:00Z")};
}
mib::Order bare_order() {
  return {.order_id = "o", .timestamp = at("1969-12-31T23:59:59.999999999Z")};
}
mib::Trade bare_trade() {
  return {.trade_id = "t", .side = mib::Side::buy, .timestamp = at("2200-12-31T23:59:59Z")};
}
mib::Event bare_event() {
  return {.event_id = "e",
          .severity = mib::Severity::warning,
          .timestamp = at("1900-01-01T00:00:00.5Z")};
}
mib::Control bare_control() {
  return {.command = "resume", .timestamp = at("2026-11-27T09:40:03Z")};
}
mib::Envelope bare_envelope() {
  mib::Envelope e{.schema_version = "", .timestamp = at("2026-11-27T09:40:03Z")};
  e.payload = bare_trade();
  return e;
}

template <typename T>
std::string bytes_of(const T& value) {
  std::string bytes;
  const mib::Error e = mib::protobuf::encode(value, bytes);
  EXPECT_TRUE(e.ok()) << e.message();
  return bytes;
}

template <typename T>
T round_trip(const T& value) {
  const std::string bytes = bytes_of(value);
  T back{};
  const mib::Error e = mib::protobuf::decode(bytes, back);
  EXPECT_TRUE(e.ok()) << e.message();
  return back;
}

template <typename T>
std::string error_of(std::string_view bytes) {
  T value{};
  const mib::Error e = mib::protobuf::decode(bytes, value);
  EXPECT_FALSE(e.ok()) << "accepted " << bytes.size() << " bytes";
  if (!e.ok()) {
    EXPECT_EQ(e.code(), mib::errc::bad_message) << e.message();
  }
  return e.message();
}

std::string varint(std::uint64_t value) {
  std::string out;
  while (value >= 0x80) {
    out += static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  out += static_cast<char>(value);
  return out;
}

// A field of the wire format: a varint, or length-delimited bytes.
std::string varint_field(int number, std::uint64_t value) {
  return varint(static_cast<std::uint64_t>(number) << 3) + varint(value);
}
std::string bytes_field(int number, std::string_view bytes) {
  return varint(static_cast<std::uint64_t>(number) << 3 | 2) + varint(bytes.size()) +
         std::string{bytes};
}

}  // namespace

TEST(Protobuf, EveryTypeRoundTripsEveryField) {
  EXPECT_EQ(round_trip(quote()), quote());
  EXPECT_EQ(round_trip(limit_order()), limit_order());
  EXPECT_EQ(round_trip(fill()), fill());
  EXPECT_EQ(round_trip(alert()), alert());
  EXPECT_EQ(round_trip(halt()), halt());
  for (const mib::Envelope& e : batch().envelopes) EXPECT_EQ(round_trip(e), e);
  EXPECT_EQ(round_trip(batch()), batch());
}

TEST(Protobuf, EmptyOptionalsAndMapsStayEmpty) {
  EXPECT_EQ(round_trip(bare_quote()), bare_quote());
  EXPECT_EQ(round_trip(bare_order()), bare_order());
  EXPECT_EQ(round_trip(bare_trade()), bare_trade());
  EXPECT_EQ(round_trip(bare_event()), bare_event());
  EXPECT_EQ(round_trip(bare_control()), bare_control());
  EXPECT_EQ(round_trip(bare_envelope()), bare_envelope());
  EXPECT_EQ(round_trip(mib::MessageBatch{.timestamp = at("2026-11-27T09:40:03Z")}),
            mib::MessageBatch{.timestamp = at("2026-11-27T09:40:03Z")});
  // Zero is still a value: an optional 0.0 or "" is not read back as empty.
  mib::Trade zero_fee = bare_trade();
  zero_fee.fee = 0.0;
  zero_fee.fee_currency = "";
  EXPECT_EQ(round_trip(zero_fee), zero_fee);
  // A reused value does not keep an earlier record's optionals or maps.
  mib::Order reused = limit_order();
  ASSERT_TRUE(mib::protobuf::decode(bytes_of(bare_order()), reused).ok());
  EXPECT_EQ(reused, bare_order());
}

TEST(Protobuf, EveryTimeOfUtcTimeRoundTrips) {
  for (const mib::UtcTime t :
       {mib::UtcTime::min(), mib::UtcTime::max(), mib::UtcTime{std::chrono::nanoseconds{-1}},
        mib::UtcTime{std::chrono::nanoseconds{-1'000'000'001}}}) {
    mib::Control c = bare_control();
    c.timestamp = t;
    EXPECT_EQ(round_trip(c), c) << t.time_since_epoch().count();
  }
}

TEST(Protobuf, EncodingAppendsAndIsDeterministic) {
  std::string out = "prefix";
  ASSERT_TRUE(mib::protobuf::encode(quote(), out).ok());
  EXPECT_EQ(out.substr(0, 6), "prefix");
  EXPECT_EQ(out.substr(6), bytes_of(quote()));
  EXPECT_EQ(bytes_of(batch()), bytes_of(batch()));
}

TEST(Protobuf, EveryTruncationIsRejectedOrDifferentNeverACrash) {
  const std::string bytes = bytes_of(limit_order());
  int rejected = 0;
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    mib::Order o;
    const mib::Error e = mib::protobuf::decode(std::string_view{bytes}.substr(0, cut), o);
    if (!e.ok()) {
      ++rejected;
      EXPECT_EQ(e.code(), mib::errc::bad_message);
      EXPECT_EQ(e.message().rfind("Order Protobuf: ", 0), 0u) << e.message();
    } else {
      // A cut between two fields is a valid, shorter message: never the whole order.
      EXPECT_NE(o, limit_order()) << cut;
    }
  }
  EXPECT_GT(rejected, static_cast<int>(bytes.size()) * 3 / 4);
  EXPECT_EQ(error_of<mib::Order>(bytes.substr(0, bytes.size() - 1)),
            "Order Protobuf: not a valid message");
  EXPECT_EQ(error_of<mib::Order>(""),
            "Order Protobuf: field 'side' is unspecified (0), and it is required");
}

TEST(Protobuf, GarbageIsRejectedNeverACrash) {
  // libprotobuf logs a line for each string that is not UTF-8 (and the decoding fails).
  const google::protobuf::LogSilencer quiet;
  EXPECT_EQ(error_of<mib::Order>(std::string_view{"\x00\xff\x10", 3}),
            "Order Protobuf: not a valid message");
  EXPECT_EQ(error_of<mib::Envelope>("\xff\xff\xff\xff"), "Envelope Protobuf: not a valid message");
  std::mt19937 random{12};
  std::uniform_int_distribution<int> byte{0, 255};
  for (int i = 0; i < 2000; ++i) {
    std::string bytes(static_cast<std::size_t>(i % 64), '\0');
    for (char& c : bytes) c = static_cast<char>(byte(random));
    mib::MessageBatch b;
    mib::Envelope e;
    (void)mib::protobuf::decode(bytes, b);
    (void)mib::protobuf::decode(bytes, e);
  }
  // Flipping each byte of a real batch.
  const std::string good = bytes_of(batch());
  for (std::size_t i = 0; i < good.size(); i += 7) {
    std::string bytes = good;
    bytes[i] = static_cast<char>(~bytes[i]);
    mib::MessageBatch b;
    (void)mib::protobuf::decode(bytes, b);
  }
}

TEST(Protobuf, EnumsMustBeKnownAndSpecified) {
  // The last value of a scalar field on the wire wins: a good order with a field appended.
  const std::string good = bytes_of(limit_order());
  EXPECT_EQ(error_of<mib::Order>(good + varint_field(4, 7)),
            "Order Protobuf: field 'side' has an unknown value 7");
  EXPECT_EQ(error_of<mib::Order>(good + varint_field(4, 0)),
            "Order Protobuf: field 'side' is unspecified (0), and it is required");
  EXPECT_EQ(error_of<mib::Order>(good + varint_field(5, 5)),
            "Order Protobuf: field 'order_type' has an unknown value 5");
  EXPECT_EQ(error_of<mib::Order>(good + varint_field(9, 0)),
            "Order Protobuf: field 'status' is unspecified (0), and it is required");
  EXPECT_EQ(error_of<mib::Event>(bytes_of(alert()) + varint_field(4, 9)),
            "Event Protobuf: field 'severity' has an unknown value 9");
  // A negative enum value (int32 -1, ten bytes on the wire).
  EXPECT_EQ(error_of<mib::Trade>(bytes_of(fill()) + varint_field(4, ~std::uint64_t{0})),
            "Trade Protobuf: field 'side' has an unknown value -1");
  // Every value of each enum reads back as itself.
  for (int i = 0; i <= static_cast<int>(mib::OrderStatus::expired); ++i) {
    mib::Order o = limit_order();
    o.status = static_cast<mib::OrderStatus>(i);
    o.order_type = static_cast<mib::OrderType>(i % 4);
    o.side = static_cast<mib::Side>(i % 2);
    EXPECT_EQ(round_trip(o), o);
  }
}

TEST(Protobuf, TimestampsMustBePresentAndInRange) {
  const std::string minimal = varint_field(4, 1) + varint_field(5, 1) + varint_field(9, 1);
  EXPECT_EQ(error_of<mib::Order>(minimal), "Order Protobuf: field 'timestamp' is missing");
  mib::Order o;
  EXPECT_TRUE(mib::protobuf::decode(minimal + bytes_field(12, ""), o).ok());  // the epoch
  EXPECT_EQ(o.timestamp, mib::UtcTime{});
  EXPECT_EQ(error_of<mib::Order>(minimal + bytes_field(12, varint_field(1, 10'000'000'000))),
            "Order Protobuf: field 'timestamp' is out of range: 10000000000 s since the epoch is "
            "outside years 1678 to 2262");
  EXPECT_EQ(error_of<mib::Order>(minimal + bytes_field(12, varint_field(2, 1'000'000'000))),
            "Order Protobuf: field 'timestamp' has nanos 1000000000, which must be from 0 to "
            "999999999");
  EXPECT_EQ(error_of<mib::MessageBatch>(""), "MessageBatch Protobuf: field 'timestamp' is missing");
}

TEST(Protobuf, NonFiniteNumbersAreErrorsBothWays) {
  mib::Trade t = fill();
  t.price = std::numeric_limits<double>::quiet_NaN();
  std::string out = "kept";
  mib::Error e = mib::protobuf::encode(t, out);
  EXPECT_EQ(e.message(), "Trade Protobuf: field 'price' cannot be written (NaN or infinite)");
  EXPECT_EQ(out, "kept");
  std::string json;
  EXPECT_FALSE(mib::json::encode(t, json).ok());  // as JSON
  mib::Order o = limit_order();
  o.fields["ratio"] = mib::JsonValue::Array{1.0, std::numeric_limits<double>::infinity()};
  EXPECT_EQ(mib::protobuf::encode(o, out).message(),
            "Order Protobuf: field 'fields.ratio.1' cannot be written (NaN or infinite)");
  EXPECT_FALSE(mib::json::encode(o, json).ok());
  mib::Envelope env = envelope_of(t);
  EXPECT_EQ(mib::protobuf::encode(env, out).message(),
            "Envelope Protobuf: field 'payload.price' cannot be written (NaN or infinite)");
  // On reading: a price of NaN (field 6, fixed64) appended to a good trade.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::string nan_price = "\x31" + std::string(8, '\0');
  std::memcpy(nan_price.data() + 1, &nan, 8);
  EXPECT_EQ(error_of<mib::Trade>(bytes_of(fill()) + nan_price),
            "Trade Protobuf: field 'price' must be a finite number, got nan");
}

TEST(Protobuf, EnvelopeErrorsNameThePathIntoThePayload) {
  const std::string order = bytes_of(envelope_of(limit_order()));
  // Field 10 (the order) again: merged into the first, with side 7.
  EXPECT_EQ(error_of<mib::Envelope>(order + bytes_field(10, varint_field(4, 7))),
            "Envelope Protobuf: field 'payload.side' has an unknown value 7");
  // message_type must agree with the payload's case; UNSPECIFIED defers to it.
  EXPECT_EQ(error_of<mib::Envelope>(order + varint_field(1, 3)),
            "Envelope Protobuf: field 'message_type' is trade but the payload is order");
  EXPECT_EQ(error_of<mib::Envelope>(order + varint_field(1, 6)),
            "Envelope Protobuf: field 'message_type' has an unknown value 6");
  mib::Envelope e;
  ASSERT_TRUE(mib::protobuf::decode(order + varint_field(1, 0), e).ok());
  EXPECT_EQ(e, envelope_of(limit_order()));
  EXPECT_EQ(error_of<mib::Envelope>(bytes_field(8, "")),
            "Envelope Protobuf: field 'payload' is missing");
  // A batch names the envelope: an empty one appended has no timestamp.
  EXPECT_EQ(error_of<mib::MessageBatch>(bytes_of(batch()) + bytes_field(2, "")),
            "MessageBatch Protobuf: field 'envelopes.5.timestamp' is missing");
  // A JsonValue with no kind set (as a newer kind would read).
  const std::string unknown_kind = bytes_field(14, bytes_field(1, "k") + bytes_field(2, ""));
  EXPECT_EQ(error_of<mib::Order>(bytes_of(limit_order()) + unknown_kind),
            "Order Protobuf: field 'fields.k' has no value (none of the kinds this version "
            "knows is set)");
}

TEST(Protobuf, TheSameInformationAsJson) {
  // Each sample as JSON text, to a struct, to Protobuf bytes, to a struct, to JSON text:
  // the same struct and the same text at both ends.
  const auto both_ways = [](const auto& sample) {
    using T = std::decay_t<decltype(sample)>;
    std::string json;
    ASSERT_TRUE(mib::json::encode(sample, json).ok());
    T from_json{};
    ASSERT_TRUE(mib::json::decode(json, from_json).ok()) << json;
    std::string bytes;
    ASSERT_TRUE(mib::protobuf::encode(from_json, bytes).ok());
    T from_bytes{};
    const mib::Error e = mib::protobuf::decode(bytes, from_bytes);
    ASSERT_TRUE(e.ok()) << e.message();
    EXPECT_EQ(from_bytes, from_json) << json;
    EXPECT_EQ(from_bytes, sample) << json;
    std::string again;
    ASSERT_TRUE(mib::json::encode(from_bytes, again).ok());
    EXPECT_EQ(again, json);
  };
  both_ways(quote());
  both_ways(limit_order());
  both_ways(fill());
  both_ways(alert());
  both_ways(halt());
  both_ways(bare_quote());
  both_ways(bare_order());
  both_ways(bare_trade());
  both_ways(bare_event());
  both_ways(bare_control());
  both_ways(bare_envelope());
  for (const mib::Envelope& e : batch().envelopes) both_ways(e);
  both_ways(batch());

  // JSON as a foreign writer has it: unknown members (kept in `fields`), epoch
  // milliseconds, integers beyond int64, nested objects out of key order.
  const std::string foreign =
      R"({"message_type":"order","schema_version":"1.1","message_id":"m","source":"s",)"
      R"("timestamp":1795772400125,"payload":{"order_id":"o","client_order_id":"c",)"
      R"("symbol":"X","side":"sell","order_type":"LIMIT","quantity":5,"price":1.5,)"
      R"("status":"CANCELLED","filled_quantity":0,"timestamp":"2026-11-27T10:40:00+01:00",)"
      R"("client_id":"k","big":18446744073709551615,"neg":-9223372036854775808,)"
      R"("nested":{"z":[true,null,{"b":1,"a":2.5}],"a":"x"}}})";
  mib::Envelope from_json;
  ASSERT_TRUE(mib::json::decode(foreign, from_json).ok());
  std::string bytes;
  ASSERT_TRUE(mib::protobuf::encode(from_json, bytes).ok());
  mib::Envelope from_bytes;
  ASSERT_TRUE(mib::protobuf::decode(bytes, from_bytes).ok());
  EXPECT_EQ(from_bytes, from_json);
  const auto& fields = std::get<mib::Order>(from_bytes.payload).fields;
  EXPECT_TRUE(fields.at("big").is<std::uint64_t>());
  EXPECT_TRUE(fields.at("neg").is<std::int64_t>());
  std::string a, b;
  ASSERT_TRUE(mib::json::encode(from_json, a).ok());
  ASSERT_TRUE(mib::json::encode(from_bytes, b).ok());
  EXPECT_EQ(a, b);
}

namespace {

// What decoding `bytes` as T gives: "ok" and the value, or the error's message.
template <typename T>
std::pair<std::string, T> outcome_of(std::string_view bytes) {
  T value{};
  const mib::Error e = mib::protobuf::decode(bytes, value);
  return {e.ok() ? "ok" : e.message(), e.ok() ? value : T{}};
}

// MarketData and Trade of the plain shape are read straight from the wire, anything else
// by the generated parser. An unknown field in front (field 15) sends the very same record
// to the generated parser, which skips that field: both must give the same outcome.
template <typename T>
void expect_as_generated(std::string_view bytes, const std::string& what) {
  const std::string unknown_first = varint_field(15, 1) + std::string{bytes};
  const auto direct = outcome_of<T>(bytes);
  const auto generated = outcome_of<T>(unknown_first);
  EXPECT_EQ(direct.first, generated.first) << what;
  EXPECT_EQ(direct.second, generated.second) << what;
}

// The record, each truncation and byte flip of it, and fields appended to it.
template <typename T>
void expect_as_generated_around(const T& sample, const std::vector<std::string>& appended) {
  const std::string good = bytes_of(sample);
  expect_as_generated<T>(good, "the record");
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    expect_as_generated<T>(std::string_view{good}.substr(0, cut), "cut at " + std::to_string(cut));
  }
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (const int flip : {0xff, 0x01, 0x80}) {
      std::string bytes = good;
      bytes[i] = static_cast<char>(bytes[i] ^ flip);
      expect_as_generated<T>(bytes, "byte " + std::to_string(i) + " ^ " + std::to_string(flip));
    }
  }
  for (const std::string& extra : appended) {
    expect_as_generated<T>(good + extra, "appended " + std::to_string(extra.size()) + " bytes");
  }
}

}  // namespace

TEST(Protobuf, PlainMarketDataAndTradesReadAsTheGeneratedParserReadsThem) {
  const google::protobuf::LogSilencer quiet;  // the invalid UTF-8 cases log a line each
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::string nan_at_2 = "\x11" + std::string(8, '\0');  // field 2, fixed64
  std::memcpy(nan_at_2.data() + 1, &nan, 8);
  const std::string eleven_byte_varint =
      varint_field(5, 1).substr(0, 1) + std::string(10, '\x80') + '\x01';
  const std::vector<std::string> appended = {
      bytes_field(1, "MSFT"),                           // a string again: the last wins
      bytes_field(1, "\xc3\x28"),                       // not UTF-8
      nan_at_2,                                         // a NaN price
      varint_field(4, 7),                               // Trade: an unknown side
      varint_field(4, ~std::uint64_t{0}),               // Trade: side -1, ten bytes
      varint_field(5, ~std::uint64_t{0}),               // the largest size
      eleven_byte_varint,                               // a varint too long
      bytes_field(7, varint_field(2, 5)),               // Trade: the timestamp again, merged
      bytes_field(8, varint_field(1, 10'000'000'000)),  // MarketData: out of range, merged
      bytes_field(8, varint_field(2, 1'000'000'000)),   // MarketData: nanos out of range
      bytes_field(8, varint_field(3, 1)),               // a Timestamp with an unknown field
      bytes_field(8, ""),                               // an empty Timestamp
      bytes_field(10, bytes_field(1, "k")),             // a `fields` entry (MarketData)
      std::string{"\x08\x01", 2},                       // field 1 with the wrong wire type
      std::string{"\x00", 1},                           // tag 0
      std::string{"\x0c", 1},                           // an end-group tag
      std::string{"\x80\x01\x00", 3},                   // a two-byte tag (field 16)
  };
  mib::MarketData quote = samples::quote();
  expect_as_generated_around(quote, appended);
  expect_as_generated_around(bare_quote(), appended);
  expect_as_generated_around(samples::fill(), appended);  // fee and fee_currency present
  expect_as_generated_around(bare_trade(), appended);
  // No timestamp at all, and the epoch (an empty Timestamp).
  expect_as_generated<mib::MarketData>(bytes_field(1, "X"), "no timestamp");
  expect_as_generated<mib::Trade>(varint_field(4, 1) + bytes_field(7, ""), "the epoch");
}

TEST(Protobuf, AReusedValueKeepsNothingOfTheRecordBefore) {
  mib::Trade t;
  ASSERT_TRUE(mib::protobuf::decode(bytes_of(samples::fill()), t).ok());
  ASSERT_TRUE(mib::protobuf::decode(bytes_of(bare_trade()), t).ok());
  EXPECT_EQ(t, bare_trade());
  ASSERT_TRUE(mib::protobuf::decode(bytes_of(fill()), t).ok());  // with `fields`
  ASSERT_TRUE(mib::protobuf::decode(bytes_of(samples::fill()), t).ok());
  EXPECT_EQ(t, samples::fill());
  mib::MarketData q;
  ASSERT_TRUE(mib::protobuf::decode(bytes_of(quote()), q).ok());
  ASSERT_TRUE(mib::protobuf::decode(bytes_of(bare_quote()), q).ok());
  EXPECT_EQ(q, bare_quote());
}
