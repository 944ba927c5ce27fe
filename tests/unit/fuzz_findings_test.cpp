// Bugs the fuzzers (tests/fuzz) found, one test each, so that each stays fixed also where
// no fuzzer runs. The inputs that found them are in tests/fuzz/corpus/*/found_*.
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "market_samples.hpp"
#include "mib/mib.hpp"

namespace {

// `value` through JSON, inside an array (a document of one scalar is refused).
mib::JsonValue json_round_trip(const mib::JsonValue& value) {
  std::string text;
  EXPECT_TRUE(mib::json::encode(mib::JsonValue::Array{value}, text).ok());
  mib::JsonValue back;
  const mib::Error error = mib::json::decode(text, back);
  EXPECT_TRUE(error.ok()) << error.message() << "\n" << text;
  const auto* array = std::get_if<mib::JsonValue::Array>(&back.get());
  return array != nullptr && array->size() == 1 ? array->front() : mib::JsonValue{};
}

}  // namespace

// A whole double in a free map was written as digits alone ("48616480") and read back as
// an integer: the value kept its number but changed its kind (Protobuf to JSON and back).
TEST(FuzzFindings, AWholeDoubleInAFreeMapStaysADouble) {
  mib::Event event = samples::alert();
  event.data["used"] = 48616480.0;
  std::string text;
  ASSERT_TRUE(mib::json::encode(event, text).ok());
  EXPECT_NE(text.find(R"("used":48616480.0)"), std::string::npos) << text;
  mib::Event back;
  ASSERT_TRUE(mib::json::decode(text, back).ok()) << text;
  EXPECT_TRUE(back.data.at("used").is<double>()) << text;
  EXPECT_EQ(back, event);
  EXPECT_TRUE(json_round_trip(mib::JsonValue{1e2}).is<double>());
}

// A double with many digits in a free map read as 0: simdjson 3.0.1's get_number() drops
// the value on its slow path (simdjson#2099).
TEST(FuzzFindings, ADoubleOfManyDigitsInAFreeMapKeepsItsValue) {
  mib::JsonValue value;
  ASSERT_TRUE(mib::json::decode("[208806191646638080.0,1000000000.000000001]", value).ok());
  EXPECT_EQ(value, (mib::JsonValue{mib::JsonValue::Array{2.0880619164663808e17, 1e9}}));
  EXPECT_EQ(json_round_trip(mib::JsonValue{2.0880619164663808e17}),
            mib::JsonValue{2.0880619164663808e17});
}

// A small integer in Protobuf's uint_value (meant for integers above INT64_MAX, but another
// writer may use it) read as an unsigned integer, which its JSON then read back as signed.
TEST(FuzzFindings, ASmallUintValueInProtobufReadsAsTheIntegerJsonReads) {
  mib::MarketData quote = samples::quote();
  quote.fields["n"] = std::uint64_t{48};  // our writer puts this kind in uint_value
  std::string bytes;
  ASSERT_TRUE(mib::protobuf::encode(quote, bytes).ok());
  mib::MarketData back;
  ASSERT_TRUE(mib::protobuf::decode(bytes, back).ok());
  EXPECT_EQ(back.fields.at("n"), mib::JsonValue{std::int64_t{48}});
  std::string text;
  ASSERT_TRUE(mib::json::encode(back, text).ok());
  mib::MarketData from_json;
  ASSERT_TRUE(mib::json::decode(text, from_json).ok()) << text;
  EXPECT_EQ(from_json, back);
}
