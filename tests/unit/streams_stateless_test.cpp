// Stateless stream steps through the TestDriver: filter, map, key_by, flat_map, peek,
// branch, merge, sinks, event time from a field, and undecodable input.
#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "mib/serde/json.hpp"
#include "mib/serde/trade.hpp"
#include "mib/streams.hpp"
#include "support/streams_testing.hpp"

namespace st = mib::streams;
using namespace std::chrono_literals;

namespace {

using mib::test::quote;
using mib::test::trade;

TEST(StreamsStateless, FilterMapAndKeyByKeepOrderKeysAndTimes) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades")
      .filter([](const mib::Trade& t) { return t.quantity >= 100; })
      .key_by([](const mib::Trade& t) { return t.venue; })
      .map([](const mib::Trade& t) { return t.price * static_cast<double>(t.quantity); })
      .to("notional");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  auto out = driver.output<double>("notional");

  auto big = trade("AAPL", 100, 10.0);
  big.venue = "XNAS";
  auto small = trade("AAPL", 99, 10.0);
  auto other = trade("MSFT", 200, 2.5);
  other.venue = "XNYS";
  in.pipe(big, st::at(5ms));
  in.pipe(small, st::at(6ms));
  in.pipe(other, st::at(7ms));

  const auto records = out.read_records();
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[0], (st::Record<std::string, double>{"XNAS", 1000.0, st::at(5ms)}));
  EXPECT_EQ(records[1], (st::Record<std::string, double>{"XNYS", 500.0, st::at(7ms)}));
}

TEST(StreamsStateless, InputKeysAreTheSymbolForMarketTypes) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades")
      .map([](const std::string& key, const mib::Trade& t) {
        return key + ":" + std::to_string(t.quantity);
      })
      .to("keyed");
  st::TestDriver driver{topology};
  driver.input<mib::Trade>("trades").pipe(trade("AAPL", 3, 1.0), st::at(1ms));
  driver.input<mib::Trade>("trades").pipe("other", trade("AAPL", 4, 1.0), st::at(2ms));
  auto out = driver.output<std::string>("keyed");
  EXPECT_EQ(out.read_values(), (std::vector<std::string>{"AAPL:3", "other:4"}));
}

TEST(StreamsStateless, FlatMapFromARangeAndFromEmit) {
  st::Topology topology;
  auto trades = topology.stream<mib::Trade>("trades");
  trades
      .flat_map([](const mib::Trade& t) {
        return std::vector<std::uint64_t>(t.quantity, t.quantity);  // n copies of n
      })
      .to("copies");
  trades
      .flat_map<std::string>([](const mib::Trade& t, auto& emit) {
        for (char c : t.symbol) emit(std::string(1, c));
      })
      .to("letters");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  in.pipe(trade("AB", 2, 1.0), st::at(1ms));
  in.pipe(trade("C", 0, 1.0), st::at(2ms));
  EXPECT_EQ(driver.output<std::uint64_t>("copies").read_values(),
            (std::vector<std::uint64_t>{2, 2}));
  auto letters = driver.output<std::string>("letters").read_records();
  ASSERT_EQ(letters.size(), 3U);
  EXPECT_EQ(letters[0].value, "A");
  EXPECT_EQ(letters[1].value, "B");
  EXPECT_EQ(letters[2].value, "C");
  EXPECT_EQ(letters[0].key, "AB");
  EXPECT_EQ(letters[2].time, st::at(2ms));
}

TEST(StreamsStateless, BranchSendsEachRecordToItsFirstMatchAndMergeJoinsThemAgain) {
  st::Topology topology;
  auto [big, medium, rest] = topology.stream<mib::Trade>("trades").branch(
      [](const mib::Trade& t) { return t.quantity >= 1000; },
      [](const mib::Trade& t) { return t.quantity >= 100; },
      [](const mib::Trade&) { return true; });
  big.map([](const mib::Trade& t) { return "big " + t.symbol; }).to("labels");
  medium.map([](const mib::Trade& t) { return "medium " + t.symbol; }).to("labels");
  rest.map([](const mib::Trade& t) { return t.symbol; })
      .merge(big.map([](const mib::Trade& t) { return t.symbol; }))
      .to("rest_and_big");
  std::vector<std::string> seen;
  rest.peek([&](const mib::Trade& t) { seen.push_back(t.symbol); }).to("small");

  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  in.pipe(trade("A", 5000, 1), st::at(1ms));
  in.pipe(trade("B", 500, 1), st::at(2ms));
  in.pipe(trade("C", 5, 1), st::at(3ms));
  EXPECT_EQ(driver.output<std::string>("labels").read_values(),
            (std::vector<std::string>{"big A", "medium B"}));
  EXPECT_EQ(driver.output<std::string>("rest_and_big").read_values(),
            (std::vector<std::string>{"A", "C"}));
  EXPECT_EQ(seen, (std::vector<std::string>{"C"}));
  EXPECT_EQ(driver.output<mib::Trade>("small").size(), 1U);
}

TEST(StreamsStateless, EventTimeFromAFieldReplacesTheRecordTime) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades", {.event_time = st::event_time(&mib::Trade::timestamp)})
      .to("out");
  st::TestDriver driver{topology};
  auto t = trade("A", 1, 1);
  t.timestamp = mib::UtcTime{std::chrono::nanoseconds{1'500'900'000}};
  driver.input<mib::Trade>("trades").pipe(t, st::at(99ms));
  EXPECT_EQ(driver.output<mib::Trade>("out").read_record().time, st::at(1500ms));
}

TEST(StreamsStateless, UndecodableBytesAreAnErrorNamingTheField) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades").to("out");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  const mib::Error e = in.pipe_bytes("AAPL", R"({"symbol":"AAPL","quantity":"many"})", st::at(1ms));
  ASSERT_TRUE(e);
  EXPECT_NE(e.message().find("quantity"), std::string::npos) << e.message();
  std::string good;
  ASSERT_FALSE(mib::json::encode(trade("AAPL", 7, 2.0), good));
  EXPECT_FALSE(in.pipe_bytes("AAPL", good, st::at(2ms)));
  const auto r = driver.output<mib::Trade>("out").read_record();
  EXPECT_EQ(r.key, "AAPL");
  EXPECT_EQ(r.value.quantity, 7U);
}

TEST(StreamsStateless, BuildErrorsNameWhatIsWrong) {
  st::Topology topology;
  auto trades = topology.stream<mib::Trade>("trades");
  EXPECT_THROW(topology.stream<mib::Trade>("trades"), mib::Exception);
  trades.to("out");
  try {
    trades.map([](const mib::Trade& t) { return t.price; }).to("out");
    FAIL() << "a second record type for one sink";
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find("'out'"), std::string::npos) << e.what();
  }
  st::TestDriver driver{topology};
  EXPECT_THROW(driver.output<mib::Trade>("nothing"), mib::Exception);
  EXPECT_THROW(driver.input<double>("trades"), mib::Exception);
  EXPECT_THROW(st::Tumbling{0ms}, mib::Exception);
  EXPECT_THROW((st::Hopping{1s, 2s}), mib::Exception);
}

}  // namespace
