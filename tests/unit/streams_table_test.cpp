// Tables through the TestDriver: the latest value per key, a stream joined with a table
// (inner and left), and two tables joined (inner and left), each with exact outputs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mib/serde/market_data.hpp"
#include "mib/serde/trade.hpp"
#include "mib/streams.hpp"
#include "support/streams_testing.hpp"

namespace st = mib::streams;
using namespace std::chrono_literals;

namespace {

using mib::test::quote;
using mib::test::trade;

std::string label(const mib::Trade& t, const mib::MarketData* q) {
  return std::to_string(t.quantity) + "/" + (q ? std::to_string(q->last_price).substr(0, 4) : "-");
}

template <typename Build>
std::vector<std::string> stream_table(Build build) {
  st::Topology topology;
  auto quotes = topology.table<mib::MarketData>("quotes");
  build(topology.stream<mib::Trade>("trades"), quotes).to("joined");
  st::TestDriver driver{topology};
  auto t = driver.input<mib::Trade>("trades");
  auto q = driver.input<mib::MarketData>("quotes");
  q.pipe(quote("A", 10), st::at(0ms));
  t.pipe(trade("A", 1), st::at(1ms));
  q.pipe(quote("A", 11), st::at(2ms));
  t.pipe(trade("A", 2), st::at(3ms));
  t.pipe(trade("B", 3), st::at(4ms));
  return driver.output<std::string>("joined").read_values();
}

TEST(StreamsTables, AStreamJoinsTheTableAsItIsWhenEachRecordArrives) {
  EXPECT_EQ(stream_table([](auto trades, auto& quotes) {
              return trades.join(quotes, [](const mib::Trade& t, const mib::MarketData& q) {
                return label(t, &q);
              });
            }),
            (std::vector<std::string>{"1/10.0", "2/11.0"}));
}

TEST(StreamsTables, ALeftJoinKeepsRecordsTheTableHasNoValueFor) {
  EXPECT_EQ(stream_table([](auto trades, auto& quotes) {
              return trades.left_join(quotes, [](const mib::Trade& t, const mib::MarketData* q) {
                return label(t, q);
              });
            }),
            (std::vector<std::string>{"1/10.0", "2/11.0", "3/-"}));
}

TEST(StreamsTables, TwoTablesJoinedGiveANewResultWheneverEitherSideChanges) {
  st::Topology topology;
  auto bids = topology.table<mib::MarketData>("bids");
  auto asks = topology.table<mib::MarketData>("asks");
  bids.join(
          asks,
          [](const mib::MarketData& b, const mib::MarketData& a) {
            return a.last_price - b.last_price;
          },
          "spread")
      .to("spread");
  bids.left_join(
          asks,
          [](const mib::MarketData& b, const mib::MarketData* a) {
            return a ? a->last_price - b.last_price : -1.0;
          },
          "spread-or-none")
      .to("spread_or_none");
  bids.updates().map([](const mib::MarketData& b) { return b.last_price; }).to("bid_updates");
  st::TestDriver driver{topology};
  auto bid = driver.input<mib::MarketData>("bids");
  auto ask = driver.input<mib::MarketData>("asks");
  bid.pipe(quote("A", 10), st::at(0ms));
  ask.pipe(quote("A", 10.5), st::at(1ms));
  bid.pipe(quote("A", 10.25), st::at(2ms));
  ask.pipe(quote("B", 5), st::at(3ms));  // no bid of B
  const auto spreads = driver.output<double>("spread").read_records();
  ASSERT_EQ(spreads.size(), 2U);
  EXPECT_EQ(spreads[0], (st::Record<std::string, double>{"A", 0.5, st::at(1ms)}));
  EXPECT_EQ(spreads[1], (st::Record<std::string, double>{"A", 0.25, st::at(2ms)}));
  EXPECT_EQ(driver.output<double>("spread_or_none").read_values(),
            (std::vector<double>{-1.0, 0.5, 0.25}));
  EXPECT_EQ(driver.output<double>("bid_updates").read_values(), (std::vector<double>{10, 10.25}));
  EXPECT_GT(driver.state_bytes(), 0U);
}

// A tombstone (a record with an empty value, as the Engine reads one) deletes its key: the
// stream no longer finds it, the inner join's result goes, the left join's loses its right.
TEST(StreamsTables, ATombstoneDeletesItsKeyFromTheTableAndFromTheJoinsOfIt) {
  st::Topology topology;
  auto quotes = topology.table<mib::MarketData>("quotes");
  auto asks = topology.table<mib::MarketData>("asks");
  topology.stream<mib::Trade>("trades")
      .left_join(quotes, [](const mib::Trade& t, const mib::MarketData* q) { return label(t, q); })
      .to("joined");
  auto spread = quotes.join(
      asks,
      [](const mib::MarketData& q, const mib::MarketData& a) {
        return a.last_price - q.last_price;
      },
      "spread");
  auto spread_or_none = quotes.left_join(
      asks,
      [](const mib::MarketData& q, const mib::MarketData* a) {
        return a ? a->last_price - q.last_price : -1.0;
      },
      "spread-or-none");
  // What each join's table holds now, looked up by a stream of probes.
  auto probes = topology.source<std::string, int>("probes");
  probes.left_join(spread, [](int, const double* d) { return d ? *d : -99.0; }).to("spread_now");
  probes.left_join(spread_or_none, [](int, const double* d) { return d ? *d : -99.0; })
      .to("spread_or_none_now");
  st::TestDriver driver{topology};
  auto q = driver.input<mib::MarketData>("quotes");
  auto a = driver.input<mib::MarketData>("asks");
  auto t = driver.input<mib::Trade>("trades");
  auto probe = driver.input<int>("probes");
  q.pipe(quote("A", 10), st::at(0ms));
  a.pipe(quote("A", 10.5), st::at(1ms));
  probe.pipe("A", 0, st::at(2ms));
  EXPECT_FALSE(a.pipe_bytes("A", "", st::at(3ms)));  // the ask of A deleted
  probe.pipe("A", 0, st::at(4ms));
  t.pipe(trade("A", 1), st::at(5ms));
  EXPECT_FALSE(q.pipe_bytes("A", "", st::at(6ms)));  // and the quote of A
  t.pipe(trade("A", 2), st::at(7ms));
  probe.pipe("A", 0, st::at(8ms));
  EXPECT_FALSE(q.pipe_bytes("Z", "", st::at(9ms)));  // a key it never had: nothing to do
  EXPECT_EQ(driver.output<std::string>("joined").read_values(),
            (std::vector<std::string>{"1/10.0", "2/-"}));
  EXPECT_EQ(driver.output<double>("spread_now").read_values(),
            (std::vector<double>{0.5, -99, -99}));
  EXPECT_EQ(driver.output<double>("spread_or_none_now").read_values(),
            (std::vector<double>{0.5, -1.0, -99}));
  // On a topic that is no table an empty value is decoded as any other, and fails.
  EXPECT_TRUE(t.pipe_bytes("A", "", st::at(10ms)));
}

}  // namespace
