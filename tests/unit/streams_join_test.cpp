// Joins through the TestDriver, each with its exact expected output: the windowed
// stream-stream join in its four kinds, and the as-of join (inner and left) with its
// tolerance, its grace for out-of-order quotes, and late quotes counted.
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

std::string text(double v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s;
}
std::string label(const mib::Trade* t, const mib::MarketData* q) {
  return (t ? std::to_string(t->quantity) : "-") + "/" + (q ? text(q->last_price) : "-");
}
using Out = st::Record<std::string, std::string>;

// The windowed join's scenario: within 100 ms, no grace.
template <typename Build>
std::vector<Out> windowed(Build build, std::uint64_t* late = nullptr) {
  st::Topology topology;
  auto trades = topology.stream<mib::Trade>("trades");
  auto quotes = topology.stream<mib::MarketData>("quotes");
  build(trades, quotes).to("joined");
  st::TestDriver driver{topology};
  auto t = driver.input<mib::Trade>("trades");
  auto q = driver.input<mib::MarketData>("quotes");
  t.pipe(trade("A", 1), st::at(100ms));
  q.pipe(quote("A", 10), st::at(150ms));  // 50 ms after trade 1
  q.pipe(quote("A", 11), st::at(300ms));  // 200 ms after trade 1: too far
  t.pipe(trade("A", 2), st::at(250ms));   // within 100 ms of both quotes
  t.pipe(trade("B", 3), st::at(260ms));   // no quote of B
  q.pipe(quote("C", 99), st::at(270ms));  // no trade of C
  driver.advance_to(st::at(1000ms));
  t.pipe(trade("A", 9), st::at(50ms));  // its window closed long ago
  if (late != nullptr) *late = driver.late_records("trade-quote");
  return driver.output<std::string>("joined").read_records();
}

TEST(StreamsJoins, InnerJoinEmitsEachPairOnceBothAreThere) {
  std::uint64_t late = 0;
  const auto out = windowed(
      [](auto& trades, auto& quotes) {
        return trades.join(
            quotes, st::JoinWindow::within(100ms),
            [](const mib::Trade& t, const mib::MarketData& q) { return label(&t, &q); },
            "trade-quote");
      },
      &late);
  EXPECT_EQ(out, (std::vector<Out>{{"A", "1/10", st::at(150ms)},
                                   {"A", "2/10", st::at(250ms)},
                                   {"A", "2/11", st::at(300ms)}}));
  EXPECT_EQ(late, 1U);
}

TEST(StreamsJoins, LeftJoinAddsLeftRecordsWithoutPartnerWhenTheirWindowCloses) {
  const auto out = windowed([](auto& trades, auto& quotes) {
    return trades.left_join(
        quotes, st::JoinWindow::within(100ms),
        [](const mib::Trade& t, const mib::MarketData* q) { return label(&t, q); }, "trade-quote");
  });
  EXPECT_EQ(out, (std::vector<Out>{{"A", "1/10", st::at(150ms)},
                                   {"A", "2/10", st::at(250ms)},
                                   {"A", "2/11", st::at(300ms)},
                                   {"B", "3/-", st::at(260ms)}}));
}

TEST(StreamsJoins, RightJoinAddsRightRecordsWithoutPartner) {
  const auto out = windowed([](auto& trades, auto& quotes) {
    return trades.right_join(
        quotes, st::JoinWindow::within(100ms),
        [](const mib::Trade* t, const mib::MarketData& q) { return label(t, &q); }, "trade-quote");
  });
  EXPECT_EQ(out, (std::vector<Out>{{"A", "1/10", st::at(150ms)},
                                   {"A", "2/10", st::at(250ms)},
                                   {"A", "2/11", st::at(300ms)},
                                   {"C", "-/99", st::at(270ms)}}));
}

TEST(StreamsJoins, OuterJoinAddsBothInTheOrderTheirWindowsClose) {
  const auto out = windowed([](auto& trades, auto& quotes) {
    return trades.outer_join(
        quotes, st::JoinWindow::within(100ms),
        [](const mib::Trade* t, const mib::MarketData* q) { return label(t, q); }, "trade-quote");
  });
  EXPECT_EQ(out, (std::vector<Out>{{"A", "1/10", st::at(150ms)},
                                   {"A", "2/10", st::at(250ms)},
                                   {"A", "2/11", st::at(300ms)},
                                   {"B", "3/-", st::at(260ms)},
                                   {"C", "-/99", st::at(270ms)}}));
}

TEST(StreamsJoins, AGraceKeepsAWindowOpenForLateQuotes) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades")
      .join(
          topology.stream<mib::MarketData>("quotes"),
          st::JoinWindow{0ms, 100ms}.grace(500ms),  // quotes up to 100 ms after the trade
          [](const mib::Trade& t, const mib::MarketData& q) { return label(&t, &q); }, "tq")
      .to("joined");
  st::TestDriver driver{topology};
  auto t = driver.input<mib::Trade>("trades");
  auto q = driver.input<mib::MarketData>("quotes");
  t.pipe(trade("A", 1), st::at(100ms));
  q.pipe(quote("A", 5), st::at(50ms));  // before the trade: outside [100, 200]
  q.pipe(quote("A", 6), st::at(650ms));
  t.pipe(trade("A", 2), st::at(700ms));  // the watermark is 650: trade 1's window is open
  q.pipe(quote("A", 7), st::at(180ms));  // late, but within the grace
  driver.advance_to(st::at(801ms));      // 100 + 100 + 500 < 801: closed
  q.pipe(quote("A", 8), st::at(190ms));
  EXPECT_EQ(driver.output<std::string>("joined").read_values(), (std::vector<std::string>{"1/7"}));
  EXPECT_EQ(driver.late_records("tq"), 1U);
}

// The as-of scenario: tolerance 100 ms, grace 50 ms.
template <typename Build>
std::vector<Out> as_of(Build build, std::uint64_t* late = nullptr) {
  st::Topology topology;
  auto trades = topology.stream<mib::Trade>("trades");
  auto quotes = topology.stream<mib::MarketData>("quotes");
  build(trades, quotes).to("joined");
  st::TestDriver driver{topology};
  auto t = driver.input<mib::Trade>("trades");
  auto q = driver.input<mib::MarketData>("quotes");
  auto out = driver.output<std::string>("joined");
  q.pipe(quote("AAPL", 10), st::at(100ms));
  q.pipe(quote("MSFT", 50), st::at(200ms));
  t.pipe(trade("AAPL", 1), st::at(250ms));  // waits: quotes are at 200, less grace 150
  q.pipe(quote("AAPL", 11), st::at(290ms));
  q.pipe(quote("AAPL", 10.5), st::at(240ms));  // out of order, within the grace
  t.pipe(trade("MSFT", 2), st::at(150ms));     // joined at once: before MSFT's first quote
  t.pipe(trade("AAPL", 3), st::at(300ms));
  EXPECT_LE(out.size(), 1U);                 // trade 1 still waits for quotes to 300
  q.pipe(quote("AAPL", 12), st::at(310ms));  // quotes at 310 - 50: trade 1 goes
  t.pipe(trade("AAPL", 4), st::at(500ms));   // its latest quote (310) is 190 ms old
  driver.advance_to(st::at(1000ms));
  q.pipe(quote("AAPL", 13), st::at(400ms));  // after trades up to 500 went: late
  if (late != nullptr) *late = driver.late_records("trade-nbbo");
  return out.read_records();
}

TEST(StreamsJoins, AsOfJoinTakesTheLatestQuoteAtOrBeforeEachTrade) {
  std::uint64_t late = 0;
  const auto out = as_of(
      [](auto& trades, auto& quotes) {
        return trades.asof_join(
            quotes, {.tolerance = 100ms, .grace = 50ms},
            [](const mib::Trade& t, const mib::MarketData& q) { return label(&t, &q); },
            "trade-nbbo");
      },
      &late);
  EXPECT_EQ(out,
            (std::vector<Out>{{"AAPL", "1/10.5", st::at(250ms)}, {"AAPL", "3/11", st::at(300ms)}}));
  EXPECT_EQ(late, 1U);
}

TEST(StreamsJoins, AsOfLeftJoinKeepsTradesWithoutAQuoteInTime) {
  const auto out = as_of([](auto& trades, auto& quotes) {
    return trades.asof_left_join(
        quotes, {.tolerance = 100ms, .grace = 50ms},
        [](const mib::Trade& t, const mib::MarketData* q) { return label(&t, q); }, "trade-nbbo");
  });
  EXPECT_EQ(out, (std::vector<Out>{{"MSFT", "2/-", st::at(150ms)},
                                   {"AAPL", "1/10.5", st::at(250ms)},
                                   {"AAPL", "3/11", st::at(300ms)},
                                   {"AAPL", "4/-", st::at(500ms)}}));
}

TEST(StreamsJoins, AnIdleQuoteStreamHoldsNoTradeBack) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades")
      .asof_left_join(
          topology.stream<mib::MarketData>("quotes", {.idle_partition_after = 2s}), {.grace = 0ms},
          [](const mib::Trade& t, const mib::MarketData* q) { return label(&t, q); }, "asof")
      .to("joined");
  st::TestDriver driver{topology};
  driver.input<mib::MarketData>("quotes").pipe(quote("A", 1), st::at(10ms));
  driver.input<mib::Trade>("trades").pipe(trade("A", 5), st::at(5000ms));
  auto out = driver.output<std::string>("joined");
  EXPECT_TRUE(out.empty());
  driver.advance_wall_clock(2s);
  EXPECT_EQ(out.read_values(), (std::vector<std::string>{"5/1"}));
}

}  // namespace
