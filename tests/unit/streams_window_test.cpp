// Windows and event time through the TestDriver, each with its exact expected output:
// tumbling, hopping (by slices), session; grace and late records; emit on update;
// per-partition watermarks, idle partitions, and windows closed by wall-clock time.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "mib/serde/trade.hpp"
#include "mib/streams.hpp"
#include "support/streams_testing.hpp"

namespace st = mib::streams;
using namespace std::chrono_literals;

namespace {

using mib::test::quote;
using mib::test::trade;

template <typename V>
using Result = st::Windowed<std::string, V>;

st::TimeWindow window(st::Millis start, st::Millis end) {
  return {st::at(start), st::at(end)};
}

TEST(StreamsWindows, TumblingVwapClosesAtEndPlusGrace) {
  st::Topology topology;
  topology.stream<mib::Trade>("market_intel.trades")
      .filter([](const mib::Trade& t) { return t.quantity >= 100; })
      .key_by(&mib::Trade::symbol)
      .window(st::Tumbling{1s}.grace(200ms))
      .aggregate(st::vwap(&mib::Trade::price, &mib::Trade::quantity), "vwap-1s")
      .to("market_intel.vwap_1s");
  st::TestDriver driver{topology};
  auto trades = driver.input<mib::Trade>("market_intel.trades");
  auto vwap = driver.output<Result<double>>("market_intel.vwap_1s");
  trades.pipe(trade("AAPL", 100, 10.0), st::at(0ms));
  trades.pipe(trade("AAPL", 300, 11.0), st::at(500ms));
  trades.pipe(trade("AAPL", 50, 99.0), st::at(600ms));  // filtered out
  driver.advance_to(st::at(1199ms));
  EXPECT_TRUE(vwap.empty());
  driver.advance_to(st::at(1200ms));
  const auto r = vwap.read_record();
  EXPECT_EQ(r.key, "AAPL");
  EXPECT_EQ(r.value, (Result<double>{"AAPL", window(0ms, 1000ms), 10.75}));
  EXPECT_EQ(r.time, st::at(999ms));  // a window's result is timed at its last instant
  EXPECT_TRUE(vwap.empty());
}

TEST(StreamsWindows, RecordsWithinGraceCountAndLaterOnesGoToTheLateStream) {
  st::Topology topology;
  auto windowed = topology.stream<mib::Trade>("trades")
                      .key_by(&mib::Trade::symbol)
                      .window(st::Tumbling{1s}.grace(200ms));
  windowed.aggregate(st::count(), "counts").to("counts");
  windowed.late().map([](const mib::Trade& t) { return t.quantity; }).to("late");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  in.pipe(trade("B", 1, 1), st::at(100ms));
  in.pipe(trade("A", 2, 1), st::at(1100ms));  // watermark 1100: [0,1s) still open
  in.pipe(trade("A", 3, 1), st::at(900ms));   // within grace: counts
  in.pipe(trade("A", 4, 1), st::at(1200ms));  // watermark 1200: [0,1s) closes
  in.pipe(trade("A", 5, 1), st::at(999ms));   // late
  driver.advance_to(st::at(2200ms));
  EXPECT_EQ(driver.output<Result<std::uint64_t>>("counts").read_values(),
            (std::vector<Result<std::uint64_t>>{{"A", window(0ms, 1000ms), 1},
                                                {"B", window(0ms, 1000ms), 1},
                                                {"A", window(1000ms, 2000ms), 2}}));
  EXPECT_EQ(driver.output<std::uint64_t>("late").read_values(), (std::vector<std::uint64_t>{5}));
  EXPECT_EQ(driver.late_records("counts"), 1U);
}

TEST(StreamsWindows, HoppingWindowsMergeSlicesInStartOrder) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades")
      .key_by(&mib::Trade::symbol)
      .window(st::Hopping{3s, 1s})
      .aggregate(st::sum(&mib::Trade::quantity), "sum-3s")
      .to("sums");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  in.pipe(trade("A", 1, 1), st::at(10500ms));
  in.pipe(trade("A", 10, 1), st::at(11500ms));
  in.pipe(trade("A", 100, 1), st::at(12500ms));
  in.pipe(trade("A", 1000, 1), st::at(13500ms));
  driver.advance_to(st::at(20s));
  EXPECT_EQ(driver.output<Result<std::uint64_t>>("sums").read_values(),
            (std::vector<Result<std::uint64_t>>{{"A", window(8s, 11s), 1},
                                                {"A", window(9s, 12s), 11},
                                                {"A", window(10s, 13s), 111},
                                                {"A", window(11s, 14s), 1110},
                                                {"A", window(12s, 15s), 1100},
                                                {"A", window(13s, 16s), 1000}}));
}

TEST(StreamsWindows, HoppingWhenSizeIsNoMultipleOfAdvance) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades")
      .key_by(&mib::Trade::symbol)
      .window(st::Hopping{3s, 2s}.grace(1s))
      .aggregate(st::ohlcv(&mib::Trade::price, &mib::Trade::quantity), "bars")
      .to("bars");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  in.pipe(trade("A", 1, 5.0), st::at(10500ms));
  in.pipe(trade("A", 2, 7.0), st::at(12500ms));
  in.pipe(trade("A", 3, 6.0), st::at(12100ms));
  driver.advance_to(st::at(14999ms));  // [12s,15s) needs 16 s
  auto bars = driver.output<Result<st::Ohlcv>>("bars");
  EXPECT_EQ(bars.read_values(), (std::vector<Result<st::Ohlcv>>{
                                    {"A", window(8s, 11s), {5, 5, 5, 5, 1, 1}},
                                    {"A", window(10s, 13s), {5, 7, 5, 7, 6, 3}},
                                }));
  driver.advance_to(st::at(16s));
  EXPECT_EQ(bars.read_value(), (Result<st::Ohlcv>{"A", window(12s, 15s), {6, 7, 6, 7, 5, 2}}));
}

TEST(StreamsWindows, EmitOnUpdateGivesTheResultAfterEachRecord) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades")
      .key_by(&mib::Trade::symbol)
      .window(st::Hopping{2s, 1s}.emit_on_update())
      .aggregate(st::max(&mib::Trade::price), "max")
      .to("max");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  in.pipe(trade("A", 1, 5.0), st::at(10500ms));
  in.pipe(trade("A", 1, 3.0), st::at(11200ms));
  auto out = driver.output<Result<double>>("max");
  EXPECT_EQ(out.read_values(), (std::vector<Result<double>>{{"A", window(9s, 11s), 5.0},
                                                            {"A", window(10s, 12s), 5.0},
                                                            {"A", window(10s, 12s), 5.0},
                                                            {"A", window(11s, 13s), 3.0}}));
  driver.advance_to(st::at(30s));
  EXPECT_TRUE(out.empty());  // nothing more when windows close
}

TEST(StreamsWindows, SessionsMergeCloseAfterGapPlusGraceAndTakeLateRecordsOut) {
  st::Topology topology;
  auto sessions = topology.stream<mib::Trade>("trades")
                      .key_by(&mib::Trade::symbol)
                      .window(st::Session{1s}.grace(500ms));
  sessions.aggregate(st::count(), "sessions").to("sessions");
  sessions.late().to("late");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  auto out = driver.output<Result<std::uint64_t>>("sessions");
  in.pipe(trade("B", 1, 1), st::at(100ms));
  in.pipe(trade("A", 1, 1), st::at(0ms));
  in.pipe(trade("A", 1, 1), st::at(500ms));
  in.pipe(trade("A", 1, 1), st::at(2000ms));  // a second session of A: 1500 ms after 500
  EXPECT_EQ(out.read_values(),
            (std::vector<Result<std::uint64_t>>{{"B", window(100ms, 101ms), 1}}));
  in.pipe(trade("A", 1, 1), st::at(1200ms));  // bridges the two: one session [0, 2000]
  driver.advance_to(st::at(3500ms));          // 2000 + gap + grace = 3500: not past it yet
  EXPECT_TRUE(out.empty());
  driver.advance_to(st::at(3501ms));
  EXPECT_EQ(out.read_record(), (st::Record<std::string, Result<std::uint64_t>>{
                                   "A", {"A", window(0ms, 2001ms), 4}, st::at(2000ms)}));
  in.pipe(trade("A", 7, 1), st::at(1900ms));  // its session would have closed: late
  EXPECT_EQ(driver.output<mib::Trade>("late").read_value().quantity, 7U);
  EXPECT_EQ(driver.late_records("sessions"), 1U);
}

// Sliding windows as Kafka Streams defines them: a record ends one window and leaves one;
// both ends count, so [start, start + 5s] is reported as [start, start + 5001ms).
TEST(StreamsWindows, SlidingWindowsOneForEachSetOfRecordsWithinTheDifference) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades")
      .key_by(&mib::Trade::symbol)
      .window(st::Sliding{5s})
      .aggregate(st::sum(&mib::Trade::quantity), "sum-5s")
      .to("sums");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  auto out = driver.output<Result<std::uint64_t>>("sums");
  in.pipe(trade("A", 1, 1), st::at(10s));
  in.pipe(trade("A", 10, 1), st::at(12s));
  in.pipe(trade("B", 7, 1), st::at(12s));
  in.pipe(trade("A", 100, 1), st::at(20s));  // the watermark passes every end before 20 s
  EXPECT_EQ(out.read_records(), (std::vector<st::Record<std::string, Result<std::uint64_t>>>{
                                    {"A", {"A", window(5s, 10001ms), 1}, st::at(10s)},
                                    {"A", {"A", window(7s, 12001ms), 11}, st::at(12s)},
                                    {"B", {"B", window(7s, 12001ms), 7}, st::at(12s)},
                                    // the window the record at 10 s left: 12 s alone
                                    {"A", {"A", window(10001ms, 15002ms), 10}, st::at(15001ms)},
                                }));
  driver.advance_to(st::at(20001ms));
  EXPECT_EQ(out.read_values(),
            (std::vector<Result<std::uint64_t>>{{"A", window(15s, 20001ms), 100}}));
}

TEST(StreamsWindows, SlidingTakesARecordWhileAWindowCanHoldItAndLateOnesGoOut) {
  st::Topology topology;
  auto sliding = topology.stream<mib::Trade>("trades")
                     .key_by(&mib::Trade::symbol)
                     .window(st::Sliding{5s}.grace(1s));
  sliding.aggregate(st::sum(&mib::Trade::quantity), "sum-5s").to("sums");
  sliding.late().map([](const mib::Trade& t) { return t.quantity; }).to("late");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  in.pipe(trade("A", 1, 1), st::at(10s));
  in.pipe(trade("A", 10, 1), st::at(20s));    // closes every window ending before 19 s
  in.pipe(trade("A", 100, 1), st::at(13s));   // 13 s + 5 s + grace < 20 s: late
  in.pipe(trade("A", 1000, 1), st::at(15s));  // [15 s, 20 s] is open: it counts there
  driver.advance_to(st::at(22s));
  EXPECT_EQ(driver.output<Result<std::uint64_t>>("sums").read_values(),
            (std::vector<Result<std::uint64_t>>{{"A", window(5s, 10001ms), 1},
                                                {"A", window(15s, 20001ms), 1010},
                                                {"A", window(15001ms, 20002ms), 10}}));
  EXPECT_EQ(driver.output<std::uint64_t>("late").read_values(), (std::vector<std::uint64_t>{100}));
  EXPECT_EQ(driver.late_records("sum-5s"), 1U);
}

TEST(StreamsWindows, SlidingEmitOnUpdateGivesEveryWindowARecordChanged) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades")
      .key_by(&mib::Trade::symbol)
      .window(st::Sliding{5s}.emit_on_update())
      .aggregate(st::sum(&mib::Trade::quantity), "sum-5s")
      .to("sums");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  auto out = driver.output<Result<std::uint64_t>>("sums");
  in.pipe(trade("A", 1, 1), st::at(10s));
  in.pipe(trade("A", 10, 1), st::at(12s));
  EXPECT_EQ(out.read_values(), (std::vector<Result<std::uint64_t>>{
                                   {"A", window(5s, 10001ms), 1},
                                   {"A", window(7s, 12001ms), 11},
                                   {"A", window(10001ms, 15002ms), 10},
                               }));
  in.pipe(trade("A", 100, 1), st::at(11s));  // out of order; [6 s, 11 s] has closed
  EXPECT_EQ(out.read_values(), (std::vector<Result<std::uint64_t>>{
                                   {"A", window(7s, 12001ms), 111},
                                   {"A", window(10001ms, 15002ms), 110},
                                   {"A", window(11001ms, 16002ms), 10},  // the one it left
                               }));
  driver.advance_to(st::at(30s));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(driver.state_bytes(), 0U);  // every record dropped once its windows closed
}

// repartition() between a key change and a window: in process the records go straight on,
// and the window still closes by the slowest input partition.
TEST(StreamsWindows, ARepartitionedStreamKeepsItsRecordsAndItsWatermark) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades")
      .key_by(&mib::Trade::venue)
      .repartition("by-venue")
      .window(st::Tumbling{1s})
      .aggregate(st::count(), "per-venue")
      .to("counts");
  EXPECT_EQ(topology.source_topics(), (std::vector<std::string>{"trades", "by-venue-repartition"}));
  EXPECT_EQ(topology.sink_topics(), (std::vector<std::string>{"by-venue-repartition", "counts"}));
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  auto out = driver.output<Result<std::uint64_t>>("counts");
  const auto at_venue = [](const char* venue) {
    auto t = trade("AAPL", 1);
    t.venue = venue;
    return t;
  };
  in.pipe(at_venue("XNAS"), st::at(0ms), 0);
  in.pipe(at_venue("XNYS"), st::at(300ms), 1);
  in.pipe(at_venue("XNAS"), st::at(5s), 0);  // partition 1 is still at 300 ms
  EXPECT_TRUE(out.empty());
  in.pipe(at_venue("XNAS"), st::at(900ms), 1);
  in.pipe(at_venue("XNYS"), st::at(1200ms), 1);  // both partitions past 1 s now
  EXPECT_EQ(out.read_values(),
            (std::vector<Result<std::uint64_t>>{{"XNAS", window(0ms, 1000ms), 2},
                                                {"XNYS", window(0ms, 1000ms), 1}}));
  EXPECT_THROW(topology.stream<mib::Trade>("trades2").repartition("per-venue"), mib::Exception);
}

TEST(StreamsWindows, TheWatermarkIsTheSlowestPartitionUntilItGoesIdle) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades", {.idle_partition_after = 5s})
      .key_by(&mib::Trade::symbol)
      .window(st::Tumbling{1s})
      .aggregate(st::count(), "counts")
      .to("counts");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  auto out = driver.output<Result<std::uint64_t>>("counts");
  in.pipe(trade("A", 1, 1), st::at(100ms), 0);
  in.pipe(trade("A", 1, 1), st::at(200ms), 1);
  in.pipe(trade("A", 1, 1), st::at(5000ms), 0);
  EXPECT_TRUE(out.empty());  // partition 1 is at 200 ms
  in.pipe(trade("A", 1, 1), st::at(1000ms), 1);
  EXPECT_EQ(out.read_values(), (std::vector<Result<std::uint64_t>>{{"A", window(0ms, 1s), 2}}));
  driver.advance_wall_clock(4999ms);
  in.pipe(trade("A", 1, 1), st::at(6000ms), 0);  // partition 0 stays active
  EXPECT_TRUE(out.empty());
  driver.advance_wall_clock(1ms);  // partition 1 sent nothing for 5 s: idle
  EXPECT_EQ(out.read_values(), (std::vector<Result<std::uint64_t>>{{"A", window(1s, 2s), 1},
                                                                   {"A", window(5s, 6s), 1}}));
  in.pipe(trade("A", 1, 1), st::at(1500ms), 1);  // back, but behind: late
  EXPECT_EQ(driver.late_records("counts"), 1U);
}

TEST(StreamsWindows, AQuietStreamClosesItsLastWindowByWallClock) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades")
      .key_by(&mib::Trade::symbol)
      .window(st::Tumbling{1min}.grace(1s).close_after_idle(5s))
      .aggregate(st::ohlcv(&mib::Trade::price, &mib::Trade::quantity), "bars-1m")
      .to("bars");
  st::TestDriver driver{topology, st::at(1000h)};
  auto in = driver.input<mib::Trade>("trades");
  auto bars = driver.output<Result<st::Ohlcv>>("bars");
  in.pipe(trade("A", 10, 100.0), st::at(57'000ms));  // the day's last trades
  in.pipe(trade("A", 20, 101.0), st::at(59'000ms));
  driver.advance_wall_clock(4999ms);
  EXPECT_TRUE(bars.empty());
  driver.advance_wall_clock(1ms);  // 5 s quiet: event time moves on to 64 s
  EXPECT_EQ(bars.read_value(),
            (Result<st::Ohlcv>{"A", window(0ms, 60s), {100, 101, 100, 101, 30, 2}}));
  in.pipe(trade("A", 1, 99.0), st::at(59'500ms));  // after the close: late, not lost
  EXPECT_EQ(driver.late_records("bars-1m"), 1U);
}

struct Spread {  // one's own aggregation: init, add, merge, result
  struct Acc {
    double low = 1e300;
    double high = -1e300;
  };
  Acc init() const { return {}; }
  void add(Acc& a, const mib::Trade& t) const {
    a.low = std::min(a.low, t.price);
    a.high = std::max(a.high, t.price);
  }
  void merge(Acc& a, const Acc& b) const {
    a.low = std::min(a.low, b.low);
    a.high = std::max(a.high, b.high);
  }
  double result(const Acc& a) const { return a.high - a.low; }
};

TEST(StreamsWindows, EveryAggregationOverOneWindow) {
  st::Topology topology;
  auto w =
      topology.stream<mib::Trade>("trades").key_by(&mib::Trade::symbol).window(st::Tumbling{1s});
  w.aggregate(st::count(), "count").to("count");
  w.aggregate(st::sum(&mib::Trade::price), "sum").to("sum");
  w.aggregate(st::average(&mib::Trade::price), "average").to("average");
  w.aggregate(st::min(&mib::Trade::price), "min").to("min");
  w.aggregate(st::max(&mib::Trade::price), "max").to("max");
  w.aggregate(st::first(&mib::Trade::price), "first").to("first");
  w.aggregate(st::last(&mib::Trade::price), "last").to("last");
  w.aggregate(st::vwap(&mib::Trade::price, &mib::Trade::quantity), "vwap").to("vwap");
  w.aggregate(st::distinct_count(&mib::Trade::venue), "venues").to("venues");
  w.aggregate(Spread{}, "spread").to("spread");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  auto t1 = trade("A", 1, 4.0);
  t1.venue = "X";
  auto t2 = trade("A", 3, 2.0);
  t2.venue = "Y";
  auto t3 = trade("A", 0, 6.0);
  t3.venue = "X";
  in.pipe(t1, st::at(300ms));
  in.pipe(t2, st::at(100ms));  // the earliest, though not the first to arrive
  in.pipe(t3, st::at(900ms));
  driver.advance_to(st::at(1s));
  const auto one = [&](const char* topic) {
    return driver.output<Result<double>>(topic).read_value().value;
  };
  EXPECT_EQ(driver.output<Result<std::uint64_t>>("count").read_value().value, 3U);
  EXPECT_DOUBLE_EQ(one("sum"), 12.0);
  EXPECT_DOUBLE_EQ(one("average"), 4.0);
  EXPECT_DOUBLE_EQ(one("min"), 2.0);
  EXPECT_DOUBLE_EQ(one("max"), 6.0);
  EXPECT_DOUBLE_EQ(one("first"), 2.0);
  EXPECT_DOUBLE_EQ(one("last"), 6.0);
  EXPECT_DOUBLE_EQ(one("vwap"), (4.0 * 1 + 2.0 * 3) / 4);
  EXPECT_EQ(driver.output<Result<std::uint64_t>>("venues").read_value().value, 2U);
  EXPECT_DOUBLE_EQ(one("spread"), 4.0);
}

TEST(StreamsWindows, StateIsReportedWhileWindowsAreOpenAndFreedWhenTheyClose) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades")
      .key_by(&mib::Trade::symbol)
      .window(st::Tumbling{1s})
      .aggregate(st::count(), "counts")
      .to("counts");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  EXPECT_EQ(driver.state_bytes(), 0U);
  for (int i = 0; i < 500; ++i) in.pipe(trade("SYM" + std::to_string(i), 1, 1), st::at(10ms));
  const std::size_t open = driver.state_bytes();
  EXPECT_GT(open, 500 * (sizeof(std::string) + sizeof(std::uint64_t)));
  driver.advance_to(st::at(1s));
  EXPECT_EQ(driver.output<Result<std::uint64_t>>("counts").size(), 500U);
  EXPECT_EQ(driver.state_bytes(), 0U);
}

TEST(StreamsWindows, ResultsHaveAJsonOfTheirOwn) {
  const st::ResultSerde<Result<st::Ohlcv>> serde;
  const Result<st::Ohlcv> bar{"AAPL", window(0ms, 60s), {1.5, 2, 1, 1.75, 300, 3}};
  std::string text;
  ASSERT_FALSE(serde.encode(bar, text));
  EXPECT_EQ(text,
            R"({"key":"AAPL","start":"1970-01-01T00:00:00.000Z","end":"1970-01-01T00:01:00.000Z",)"
            R"("value":{"open":1.5,"high":2.0,"low":1.0,"close":1.75,"volume":300.0,"trades":3}})");
  Result<st::Ohlcv> back;
  ASSERT_FALSE(serde.decode(text, back));
  EXPECT_EQ(back, bar);
  const st::ResultSerde<Result<double>> vwap;
  ASSERT_FALSE(vwap.encode({"A", window(0ms, 1s), std::nan("")}, text = {}));
  EXPECT_NE(text.find(R"("value":null)"), std::string::npos) << text;
  Result<double> v;
  const mib::Error e = vwap.decode(R"({"key":"A","start":"noon","end":"y","value":1})", v);
  ASSERT_TRUE(e);
  EXPECT_NE(e.message().find("'start'"), std::string::npos) << e.message();
}

}  // namespace
