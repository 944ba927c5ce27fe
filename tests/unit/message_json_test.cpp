// The JSON of the market messages, envelopes and batches: every field both ways, the
// seed's names and order, and errors that name the field for every kind of bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <regex>

#include "market_samples.hpp"
#include "mib/mib.hpp"

using namespace std::chrono_literals;

namespace {

using samples::alert;
using samples::at;
using samples::fill;
using samples::halt;
using samples::limit_order;
using samples::quote;

template <typename T>
T round_trip(const T& value) {
  std::string text;
  const mib::Error encoded = mib::json::encode(value, text);
  EXPECT_TRUE(encoded.ok()) << encoded.message();
  T back{};
  const mib::Error decoded = mib::json::decode(text, back);
  EXPECT_TRUE(decoded.ok()) << decoded.message() << "\n" << text;
  return back;
}

template <typename T>
std::string error_of(std::string_view text) {
  T value{};
  const mib::Error e = mib::json::decode(text, value);
  EXPECT_FALSE(e.ok()) << "accepted: " << text;
  if (!e.ok()) {
    EXPECT_EQ(e.code(), mib::errc::bad_message) << e.message();
  }
  return e.message();
}

}  // namespace

TEST(MessageJson, EveryTypeRoundTripsEveryField) {
  EXPECT_EQ(round_trip(quote()), quote());
  EXPECT_EQ(round_trip(limit_order()), limit_order());
  EXPECT_EQ(round_trip(fill()), fill());
  EXPECT_EQ(round_trip(alert()), alert());
  EXPECT_EQ(round_trip(halt()), halt());
}

TEST(MessageJson, ReadsLikeTheSeedsMessages) {
  std::string text;
  ASSERT_TRUE(mib::json::encode(quote(), text).ok());
  EXPECT_EQ(text,
            R"({"symbol":"AAPL","last_price":150.25,"bid_price":150.24,"ask_price":150.26,)"
            R"("bid_size":300,"ask_size":500,"volume":1000,"timestamp":"2026-11-27T09:40:00.125Z",)"
            R"("source":"feed \"A\"\n"})");
  text.clear();
  ASSERT_TRUE(mib::json::encode(fill(), text).ok());
  EXPECT_EQ(text,
            R"({"trade_id":"t-9","order_id":"o-1","symbol":"MSFT","side":"SELL","quantity":40,)"
            R"("price":411.52,"timestamp":"2026-11-27T09:40:01.500Z","venue":"XNAS","fee":0.12,)"
            R"("fee_currency":"USD"})");
  // Nanoseconds are kept; an absent optional is left out.
  text.clear();
  mib::Order market = limit_order();
  market.order_type = mib::OrderType::market;
  market.price.reset();
  market.avg_fill_price.reset();
  ASSERT_TRUE(mib::json::encode(market, text).ok());
  EXPECT_NE(text.find(R"("timestamp":"2026-11-27T09:40:00.123456789Z")"), std::string::npos);
  EXPECT_NE(text.find(R"("order_type":"MARKET")"), std::string::npos);
  EXPECT_NE(text.find(R"("status":"PARTIALLY_FILLED")"), std::string::npos);
  EXPECT_EQ(text.find("price\""), std::string::npos) << text;
  EXPECT_EQ(text.find("avg_fill_price"), std::string::npos) << text;
}

TEST(MessageJson, AcceptsNullOptionalsEpochMillisecondsAndAnyLetterCase) {
  mib::Trade t;
  const auto e = mib::json::decode(
      R"({"trade_id":"t","order_id":"o","symbol":"X","side":"buy","quantity":1,"price":2,)"
      R"("timestamp":1795772400125,"venue":"V","fee":null})",
      t);
  ASSERT_TRUE(e.ok()) << e.message();
  EXPECT_EQ(t.side, mib::Side::buy);
  EXPECT_EQ(t.price, 2.0);
  EXPECT_EQ(t.timestamp, at("2026-11-27T09:40:00.125Z"));
  EXPECT_FALSE(t.fee);
  EXPECT_FALSE(t.fee_currency);
}

TEST(MessageJson, ErrorsNameTheFieldAndTheProblem) {
  const std::string good =
      R"({"trade_id":"t","order_id":"o","symbol":"X","side":"BUY","quantity":1,"price":2,)"
      R"("timestamp":"2026-11-27T09:40:00Z","venue":"V"})";
  const auto with = [&](std::string_view from, std::string_view to) {
    std::string text = good;
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  EXPECT_EQ(error_of<mib::Trade>(with(R"("quantity":1)", R"("quantity":-5)")),
            "Trade JSON: field 'quantity' must be a whole number from 0 to 18446744073709551615, "
            "got -5");
  EXPECT_EQ(error_of<mib::Trade>(with(R"("quantity":1)", R"("quantity":1.5)")),
            "Trade JSON: field 'quantity' must be a whole number from 0 to 18446744073709551615, "
            "got 1.5");
  EXPECT_EQ(error_of<mib::Trade>(with(R"("price":2)", R"("price":"2")")),
            "Trade JSON: field 'price' must be a finite number, got \"2\"");
  EXPECT_NE(error_of<mib::Trade>(with(R"("price":2)", R"("price":1e999)")).find("'price'"),
            std::string::npos);
  EXPECT_EQ(error_of<mib::Trade>(with(R"("side":"BUY")", R"("side":"HOLD")")),
            "Trade JSON: field 'side' has an unknown value \"HOLD\"");
  EXPECT_EQ(error_of<mib::Trade>(with(R"("venue":"V")", R"("place":"V")")),
            "Trade JSON: field 'venue' is missing");
  EXPECT_EQ(error_of<mib::Trade>(with(R"("2026-11-27T09:40:00Z")", R"("yesterday")")),
            "Trade JSON: field 'timestamp' must be an RFC 3339 time, got \"yesterday\"");
  EXPECT_NE(error_of<mib::Trade>(with(R"("price":2)", R"("price":NaN)")).find("Trade JSON: "),
            std::string::npos);
  EXPECT_EQ(error_of<mib::Trade>("[1,2]"), "Trade JSON: the record must be an object, got [");
  EXPECT_EQ(error_of<mib::Trade>("42"),
            "Trade JSON: the record must be a JSON object, not a single value");
  EXPECT_EQ(error_of<mib::Trade>(good + " {}"), "Trade JSON: the record is followed by more text");
  // Inside a free map, the path goes down to the bad value.
  mib::Event e;
  const auto err = mib::json::decode(
      R"({"event_id":"e","event_type":"t","source":"s","severity":"INFO","title":"x",)"
      R"("message":"m","timestamp":"2026-11-27T09:40:00Z","data":{"levels":[1,2,tru]}})",
      e);
  EXPECT_NE(err.message().find("field 'data.levels.2'"), std::string::npos) << err.message();
}

TEST(MessageJson, EveryTruncationIsAnErrorNeverACrash) {
  std::string text;
  ASSERT_TRUE(mib::json::encode(limit_order(), text).ok());
  for (std::size_t cut = 0; cut < text.size(); ++cut) {
    mib::Order o;
    EXPECT_FALSE(mib::json::decode(std::string_view{text}.substr(0, cut), o).ok()) << cut;
  }
  mib::Order o;
  EXPECT_FALSE(mib::json::decode(std::string_view{"\x00\xff\x10", 3}, o).ok());
}

TEST(MessageJson, UnknownFieldsAreKeptAndWrittenBackInsideFields) {
  mib::MarketData q;
  std::string text;
  ASSERT_TRUE(mib::json::encode(quote(), text).ok());
  text.insert(1, R"("exchange":{"mic":"XNAS","lanes":[1,2]},"halted":false,)");
  const auto e = mib::json::decode(text, q);
  ASSERT_TRUE(e.ok()) << e.message();
  const mib::JsonValue expected_exchange{
      mib::JsonValue::Object{{"mic", "XNAS"}, {"lanes", mib::JsonValue::Array{1, 2}}}};
  EXPECT_EQ(q.fields.at("exchange"), expected_exchange);
  EXPECT_EQ(q.fields.at("halted"), mib::JsonValue{false});
  std::string again;
  ASSERT_TRUE(mib::json::encode(q, again).ok());
  EXPECT_NE(again.find(R"("fields":{"exchange":{"mic":"XNAS","lanes":[1,2]},"halted":false})"),
            std::string::npos)
      << again;
  EXPECT_EQ(round_trip(q), q);
}

TEST(MessageJson, MembersReadInAnyOrderAndWithEscapedNames) {
  // Members are matched as written, the next field of the table first: the reverse order,
  // names spelt with escapes and a name that is a prefix of another still read the same.
  const std::string text =
      R"({"source":"feed \"A\"\n","timestamp":"2026-11-27T09:40:00.125Z","volume":1000,)"
      R"("ask_size":500,"bid_size":300,"ask_price":150.26,"bid_pri\u0063e":150.24,)"
      R"("last_price":150.25,"\u0073ymbol":"AAPL","symbo":1,"symbols":2})";
  mib::MarketData q;
  const mib::Error e = mib::json::decode(text, q);
  ASSERT_TRUE(e.ok()) << e.message();
  mib::MarketData expected = quote();
  expected.fields = {{"symbo", 1}, {"symbols", 2}};
  EXPECT_EQ(q, expected);
  // A reused value keeps nothing of the record before (fee and fee_currency here).
  mib::Trade t;
  std::string with_fee;
  ASSERT_TRUE(mib::json::encode(fill(), with_fee).ok());
  ASSERT_TRUE(mib::json::decode(with_fee, t).ok());
  ASSERT_TRUE(mib::json::decode(R"({"trade_id":"t","order_id":"o","symbol":"X","side":"BUY",)"
                                R"("quantity":1,"price":2,"timestamp":0,"venue":"V"})",
                                t)
                  .ok());
  EXPECT_EQ(t, (mib::Trade{.trade_id = "t",
                           .order_id = "o",
                           .symbol = "X",
                           .side = mib::Side::buy,
                           .quantity = 1,
                           .price = 2,
                           .venue = "V"}));
}

TEST(MessageJson, AValueJsonCannotHoldIsAnEncodeErrorAndNothingIsWritten) {
  mib::MarketData q = quote();
  q.bid_price = std::numeric_limits<double>::quiet_NaN();
  std::string text = "kept";
  const mib::Error e = mib::json::encode(q, text);
  EXPECT_EQ(e.message(),
            "MarketData JSON: field 'bid_price' cannot be written as JSON (NaN or infinite)");
  EXPECT_EQ(text, "kept");
}

TEST(Envelope, WrapsAPayloadWithAnIdTimeAndLinks) {
  const auto before = std::chrono::system_clock::now();
  const mib::Envelope order =
      mib::Envelope::wrap(limit_order(), "gateway").to("oms").with("desk", "7");
  EXPECT_EQ(order.message_type(), mib::MessageType::order);
  EXPECT_EQ(order.schema_version, "1.0");
  EXPECT_TRUE(std::regex_match(
      order.message_id,
      std::regex{"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"}))
      << order.message_id;
  EXPECT_GE(order.timestamp, before);
  EXPECT_EQ(order.destination, "oms");
  EXPECT_EQ(order.metadata.at("desk"), "7");

  const mib::Envelope trade = mib::Envelope::wrap(fill(), "oms").caused_by(order);
  EXPECT_EQ(trade.causation_id, order.message_id);
  EXPECT_EQ(trade.correlation_id, order.message_id);  // the chain starts at the order
  const mib::Envelope alert_of = mib::Envelope::wrap(alert(), "risk").caused_by(trade);
  EXPECT_EQ(alert_of.correlation_id, order.message_id);
  EXPECT_NE(mib::Envelope::wrap(fill(), "oms").message_id, trade.message_id);
}

TEST(Envelope, TopicsFollowTheMessageTypeAndThePrefix) {
  EXPECT_EQ(mib::topic_for(mib::MessageType::market_data), "market_intel.market_data");
  EXPECT_EQ(mib::topic_for(mib::MessageType::order), "market_intel.orders");
  EXPECT_EQ(mib::topic_for(mib::MessageType::trade), "market_intel.trades");
  EXPECT_EQ(mib::topic_for(mib::MessageType::event), "market_intel.events");
  EXPECT_EQ(mib::topic_for(mib::MessageType::control, mib::Config{}.topics.prefix),
            "market_intel.control");
  EXPECT_EQ(mib::topic_for(mib::MessageType::trade, "lab"), "lab.trades");
}

TEST(Envelope, RoundTripsWhereverMessageTypeStands) {
  const mib::Envelope e = mib::Envelope::wrap(fill(), "oms").correlated_with("c-1").with("k", "v");
  EXPECT_EQ(round_trip(e), e);
  std::string text;
  ASSERT_TRUE(mib::json::encode(e, text).ok());
  EXPECT_EQ(text.rfind(R"({"message_type":"trade","schema_version":"1.0","message_id":")", 0), 0u)
      << text;
  // The same with message_type last: the payload is still read as a trade.
  const std::string type_member = R"("message_type":"trade",)";
  std::string moved = text;
  moved.erase(moved.find(type_member), type_member.size());
  moved.insert(moved.size() - 1, R"(,"message_type":"trade")");
  mib::Envelope back;
  ASSERT_TRUE(mib::json::decode(moved, back).ok()) << moved;
  EXPECT_EQ(back, e);
}

TEST(Envelope, ErrorsNameThePathIntoThePayload) {
  const mib::Envelope e = mib::Envelope::wrap(fill(), "oms");
  std::string text;
  ASSERT_TRUE(mib::json::encode(e, text).ok());
  std::string bad = text;
  bad.replace(bad.find(R"("price":411.52)"), 14, R"("price":"cheap")");
  EXPECT_EQ(error_of<mib::Envelope>(bad),
            "Envelope JSON: field 'payload.price' must be a finite number, got \"cheap\"");
  std::string wrong_type = text;
  wrong_type.replace(wrong_type.find(R"("trade")"), 7, R"("order")");
  EXPECT_EQ(error_of<mib::Envelope>(wrong_type),
            "Envelope JSON: field 'payload.client_order_id' is missing");
  std::string unknown_type = text;
  unknown_type.replace(unknown_type.find(R"("trade")"), 7, R"("quote")");
  EXPECT_EQ(error_of<mib::Envelope>(unknown_type),
            "Envelope JSON: field 'message_type' has an unknown value \"quote\"");
}

TEST(MessageBatch, RoundTripsAndChecksItsSize) {
  mib::MessageBatch batch = mib::MessageBatch::of(
      {mib::Envelope::wrap(quote(), "feed"), mib::Envelope::wrap(limit_order(), "gateway"),
       mib::Envelope::wrap(alert(), "risk"), mib::Envelope::wrap(halt(), "ops")});
  batch.compression = "zstd";
  batch.metadata = {{"shard", "3"}};
  EXPECT_EQ(batch.size(), 4u);
  EXPECT_EQ(round_trip(batch), batch);

  std::string text;
  ASSERT_TRUE(mib::json::encode(batch, text).ok());
  EXPECT_NE(text.find(R"("size":4,"compression":"zstd")"), std::string::npos) << text;
  std::string wrong_size = text;
  wrong_size.replace(wrong_size.find(R"("size":4)"), 8, R"("size":5)");
  EXPECT_EQ(error_of<mib::MessageBatch>(wrong_size),
            "MessageBatch JSON: field 'size' is 5 but the batch holds 4 envelopes");
  std::string bad_envelope = text;
  bad_envelope.replace(bad_envelope.find(R"("severity":"CRITICAL")"), 21, R"("severity":"PANIC")");
  EXPECT_EQ(error_of<mib::MessageBatch>(bad_envelope),
            "MessageBatch JSON: field 'envelopes.2.payload.severity' has an unknown value "
            "\"PANIC\"");
}

TEST(JsonValueJson, NestedValuesRoundTripWithTheirNumberKinds) {
  const mib::JsonValue v{mib::JsonValue::Object{
      {"i", -3},
      {"u", std::uint64_t{18446744073709551615ULL}},
      {"d", 0.5},
      {"s", "x\ty"},
      {"n", nullptr},
      {"a", mib::JsonValue::Array{true, mib::JsonValue::Object{{"k", "v"}}}}}};
  EXPECT_EQ(round_trip(v), v);
}
