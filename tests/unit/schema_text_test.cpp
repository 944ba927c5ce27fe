// The schemas the registry is given: written from the codec's tables and descriptors, so
// they say what the codec requires, allows and writes.
#include <gtest/gtest.h>

#include "mib/mib.hpp"

namespace {

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST(JsonSchema, RequiresTheRequiredFieldsAndLetsOptionalOnesBeNull) {
  const std::string trade = mib::json::schema_of<mib::Trade>();
  EXPECT_TRUE(has(trade, R"("$schema":"http://json-schema.org/draft-07/schema#")")) << trade;
  EXPECT_TRUE(has(trade, R"("title":"Trade")")) << trade;
  EXPECT_TRUE(has(trade, R"("required":["trade_id","order_id","symbol","side","quantity",)"
                         R"("price","timestamp","venue"])"))
      << trade;
  EXPECT_TRUE(has(trade, R"("fee":{"type":["number","null"]})")) << trade;
  EXPECT_TRUE(has(trade, R"("quantity":{"type":["integer"],"minimum":0})")) << trade;
  EXPECT_TRUE(has(trade, R"("side":{"type":"string","enum":["BUY","SELL"]})")) << trade;
  EXPECT_TRUE(has(trade, R"("timestamp":{"type":["string","integer"],"format":"date-time"})"))
      << trade;
  EXPECT_TRUE(has(trade, R"("additionalProperties":true)")) << "unknown members are kept";

  const std::string order = mib::json::schema_of<mib::Order>();
  EXPECT_TRUE(has(order, R"("status":{"type":"string","enum":["NEW","PARTIALLY_FILLED",)"
                         R"("FILLED","CANCELED","REJECTED","EXPIRED"]})"))
      << order;
  const std::string event = mib::json::schema_of<mib::Event>();
  EXPECT_TRUE(has(event, R"("data":{"type":"object"})")) << event;
  const auto required = event.substr(event.find(R"("required":[)"));
  EXPECT_FALSE(has(required.substr(0, required.find(']')), R"("data")")) << "a map may be absent";
}

TEST(ProtobufSchema, IsTheTypesFileWithItsOwnImports) {
  const auto trade = mib::protobuf::schema_file_of<mib::Trade>();
  EXPECT_EQ(trade.name, "market_intel/v1/trade.proto");
  EXPECT_TRUE(has(trade.text, "message Trade {")) << trade.text;
  EXPECT_TRUE(has(trade.text, "package market_intel.v1;")) << trade.text;
  EXPECT_EQ(trade.imports, (std::vector<std::string>{"market_intel/v1/enums.proto",
                                                     "market_intel/v1/json_value.proto"}));
  EXPECT_EQ(mib::protobuf::message_indexes_of<mib::Trade>(), (std::vector<std::int32_t>{0}));
  EXPECT_EQ(mib::protobuf::message_indexes_of<mib::MessageBatch>(), (std::vector<std::int32_t>{1}))
      << "the second message of envelope.proto";

  const auto values = mib::protobuf::schema_file("market_intel/v1/json_value.proto");
  ASSERT_TRUE(values.has_value());
  EXPECT_TRUE(has(values->text, "message JsonValue")) << values->text;
  EXPECT_TRUE(values->imports.empty()) << "struct.proto is Protobuf's own";
  EXPECT_FALSE(mib::protobuf::schema_file("google/protobuf/timestamp.proto").has_value());
  EXPECT_FALSE(mib::protobuf::schema_file("market_intel/v1/nothing.proto").has_value());
}
