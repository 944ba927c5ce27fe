#include <gtest/gtest.h>

#include "mib/serde/json.hpp"

namespace {
mib::MarketData sample() {
  return {.symbol = "AAPL",
          .last_price = 150.25,
          .bid_price = 150.24,
          .ask_price = 150.26,
          .bid_size = 300,
          .ask_size = 500,
          .volume = 1000,
          .timestamp = mib::Timestamp{std::chrono::milliseconds{1'795'772'400'125}},
          .source = "feed \"A\"\n"};
}
}  // namespace

TEST(MarketDataJson, RoundTripsEveryField) {
  std::string text;
  mib::json::encode(sample(), text);
  EXPECT_NE(text.find("\"timestamp\":\"2026-11-27T09:40:00.125Z\""), std::string::npos) << text;
  mib::MarketData back;
  const auto err = mib::json::decode(text, back);
  ASSERT_TRUE(err.ok()) << err.message();
  EXPECT_EQ(back, sample());
}

TEST(MarketDataJson, ErrorsNameTheField) {
  mib::MarketData v;
  auto err = mib::json::decode(R"({"symbol":"X","volume":"lots"})", v);
  EXPECT_NE(err.message().find("'volume'"), std::string::npos) << err.message();
  err = mib::json::decode(R"({"last_price":1.0})", v);
  EXPECT_NE(err.message().find("'symbol' is missing"), std::string::npos) << err.message();
  err = mib::json::decode(R"({"symbol":"X","timestamp":"yesterday"})", v);
  EXPECT_NE(err.message().find("'timestamp'"), std::string::npos) << err.message();
  EXPECT_EQ(err.code(), mib::errc::bad_message);
}

TEST(MarketDataJson, RejectsTruncatedAndNonObjectInput) {
  std::string text;
  mib::json::encode(sample(), text);
  mib::MarketData v;
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, text.size() / 2, text.size() - 1}) {
    EXPECT_FALSE(mib::json::decode(std::string_view{text}.substr(0, cut), v).ok()) << cut;
  }
  EXPECT_FALSE(mib::json::decode("[1,2,3]", v).ok());
  EXPECT_FALSE(mib::json::decode(std::string_view{"\x00\xff\x10", 3}, v).ok());
}

TEST(MarketDataJson, SkipsUnknownFields) {
  mib::MarketData v;
  const auto err = mib::json::decode(R"({"symbol":"X","venue":{"a":[1,2]},"volume":7})", v);
  ASSERT_TRUE(err.ok()) << err.message();
  EXPECT_EQ(v.volume, 7u);
}
