// `mib-stream produce --encode TYPE` and `consume --decode TYPE` against the real broker, in
// both encodings: the good lines arrive and print back, a bad line or a poison record is
// named with its line or its topic, partition and offset and the field, and the rest go on.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "cli_run.hpp"
#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {

using mib::test::concat;
using mib::test::run_cli;

mib::Trade trade(int i) {
  const std::string second = std::to_string(10 + i);
  return {.trade_id = concat("t-", std::to_string(i)),
          .order_id = "o-1",
          .symbol = i % 2 == 0 ? "AAPL" : "MSFT",
          .side = i % 2 == 0 ? mib::Side::buy : mib::Side::sell,
          .quantity = static_cast<std::uint64_t>(10 + i),
          .price = 150.25 + i,
          .timestamp = mib::rfc3339::parse_utc(concat("2026-11-27T09:40:", second, ".5Z")).value(),
          .venue = "XNAS"};
}

std::string json_of(const mib::Trade& value) {
  std::string text;
  EXPECT_FALSE(mib::json::encode(value, text));
  return text;
}

// The values' encoding under test: --format's name, and how to read a stored value back.
struct Encoding {
  std::string name;
  std::string content_type;
};

void PrintTo(const Encoding& encoding, std::ostream* out) {
  *out << encoding.name;
}

class SerdeCli : public testing::TestWithParam<Encoding> {
 protected:
  const std::string& format() const { return GetParam().name; }
  bool protobuf() const { return format() == "protobuf"; }

  mib::Trade stored_trade(const std::string& bytes) const {
    mib::Trade back;
    const mib::Error e =
        protobuf() ? mib::protobuf::decode(bytes, back) : mib::json::decode(bytes, back);
    EXPECT_FALSE(e) << e.message();
    return back;
  }

  std::string encoded(const mib::Trade& value) const {
    std::string bytes;
    EXPECT_FALSE(protobuf() ? mib::protobuf::encode(value, bytes)
                            : mib::json::encode(value, bytes));
    return bytes;
  }
};

TEST_P(SerdeCli, ProduceEncodeSendsTheGoodLinesAndNamesLineAndFieldOfTheBadOnes) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("produce-encode");
  mib::test::create_topic(brokers, topic, 1);
  // Line 1 as a person writes it: other field order, spaces, epoch milliseconds.
  const std::string handwritten =
      R"({ "symbol": "AAPL", "trade_id": "t-0", "order_id": "o-1", "side": "buy",)"
      R"( "quantity": 10, "price": 150.25, "timestamp": 1795772410500, "venue": "XNAS" })";
  std::string negative = json_of(trade(2));
  negative.replace(negative.find("\"quantity\":12"), 13, "\"quantity\":-5");
  std::string no_price = json_of(trade(3));
  no_price.replace(no_price.find("\"price\":"), 15, "");  // "price":153.25,
  const std::string input = handwritten + "\n" + json_of(trade(1)) + "\n" + negative + "\n" +
                            no_price + "\n" + json_of(trade(4)) + "\n";

  const auto run = run_cli(
      {"produce", "-b", brokers, "-t", topic, "--encode", "trade", "--format", format()}, input);
  EXPECT_EQ(run.exit_code, 1) << run.output();
  EXPECT_NE(run.errors.find("line 3: Trade JSON: field 'quantity'"), std::string::npos)
      << run.output();
  EXPECT_NE(run.errors.find("line 4: Trade JSON: field 'price'"), std::string::npos)
      << run.output();
  EXPECT_NE(run.errors.find("5 lines read: 3 delivered, 0 failed, 2 not sent (2 malformed)"),
            std::string::npos)
      << run.output();

  // Exactly the good lines, in order, keyed by symbol, encoded as asked and saying so.
  const auto stored = mib::test::stored_records(brokers, topic);
  ASSERT_EQ(stored.size(), 3u);
  const int good[] = {0, 1, 4};
  for (std::size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(stored[i].key, trade(good[i]).symbol);
    EXPECT_EQ(stored[i].content_type, GetParam().content_type);
    EXPECT_EQ(stored_trade(stored[i].value), trade(good[i])) << "record " << i;
    if (!protobuf()) {
      EXPECT_EQ(stored[i].value, json_of(trade(good[i])));  // written again canonically
    }
  }

  // And consume --decode prints them back as the messages' JSON, one line each.
  const auto back = run_cli(
      {"consume", "-b", brokers, "-t", topic, "-e", "--decode", "trade", "--format", format()});
  EXPECT_EQ(back.exit_code, 0) << back.output();
  EXPECT_EQ(back.lines,
            (std::vector<std::string>{json_of(trade(0)), json_of(trade(1)), json_of(trade(4))}))
      << back.output();
  EXPECT_NE(back.errors.find("3 records read: 3 decoded, 0 not decodable"), std::string::npos)
      << back.output();
}

TEST_P(SerdeCli, ConsumeDecodeNamesTheFieldOfAPoisonRecordAndGoesOn) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("consume-decode");
  mib::test::create_topic(brokers, topic, 1);
  // Offset 2: a bad field. Offset 5: a value framed for a schema registry. Offset 6,
  // the last: not a message at all, so -e must still see the end after it.
  std::string poison;
  if (protobuf()) {
    poison = encoded(trade(2)) + "\x20\x07";  // field 4, side = 7, read last
  } else {
    poison = json_of(trade(2));
    poison.replace(poison.find("\"quantity\":12"), 13, "\"quantity\":-5");
  }
  std::string framed;
  mib::wire::append_header(7, framed);
  framed += encoded(trade(5));
  mib::test::send_values(brokers, topic,
                         {encoded(trade(0)), encoded(trade(1)), poison, encoded(trade(3)),
                          encoded(trade(4)), framed, "\xff garbage"});

  const auto run = run_cli(
      {"consume", "-b", brokers, "-t", topic, "-e", "--decode", "trade", "--format", format()});
  EXPECT_EQ(run.exit_code, 1) << run.output();
  EXPECT_EQ(run.lines, (std::vector<std::string>{json_of(trade(0)), json_of(trade(1)),
                                                 json_of(trade(3)), json_of(trade(4))}))
      << run.output();
  const std::string at = concat("mib-stream: topic '", topic, "' partition 0 offset ");
  const std::string field = protobuf() ? "Trade Protobuf: field 'side' has an unknown value 7"
                                       : "Trade JSON: field 'quantity'";
  EXPECT_NE(run.errors.find(at + "2: " + field), std::string::npos) << run.output();
  EXPECT_NE(run.errors.find(at + "5: the value is in the Confluent wire format (magic byte 0, "
                                 "schema id 7): pass --registry URL"),
            std::string::npos)
      << run.output();
  EXPECT_NE(run.errors.find(at + "6: Trade "), std::string::npos) << run.output();
  EXPECT_NE(run.errors.find("7 records read: 4 decoded, 3 not decodable"), std::string::npos)
      << run.output();
}

INSTANTIATE_TEST_SUITE_P(Encodings, SerdeCli,
                         testing::Values(Encoding{"json", "application/json"},
                                         Encoding{"protobuf", "application/x-protobuf"}),
                         [](const testing::TestParamInfo<Encoding>& param) {
                           return param.param.name;
                         });

}  // namespace
