// process(): steps of one's own with key-value and window stores and punctuators by event
// time and wall-clock time, through the TestDriver, each with its exact expected output;
// and the stores on their own: ranges, retention, the byte count and its limit.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "mib/serde/trade.hpp"
#include "mib/streams.hpp"
#include "support/streams_testing.hpp"

namespace st = mib::streams;
using namespace std::chrono_literals;

namespace {

using mib::test::trade;

// The record of a price move of more than 5% from the symbol's last trade.
struct Jump {
  st::KeyValueStore<std::string, double>* last = nullptr;
  void init(st::ProcessorContext<std::string, double>& ctx) {
    last = &ctx.key_value_store<std::string, double>("last-price");
  }
  void process(st::Record<std::string, mib::Trade>&& r,
               st::ProcessorContext<std::string, double>& ctx) {
    const double price = r.value.price;
    if (auto before = last->get(r.key);
        before && (price > *before * 1.05 || price < *before * 0.95)) {
      ctx.forward({r.key, price / *before, r.time});
    }
    last->put(r.key, price);
  }
};

TEST(StreamsProcess, AProcessorKeepsStatePerKeyInAKeyValueStore) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades")
      .key_by(&mib::Trade::symbol)
      .process<double>(Jump{}, "jumps")
      .to("jumps");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  in.pipe(trade("A", 1, 100.0), st::at(1s));
  in.pipe(trade("B", 1, 10.0), st::at(2s));
  in.pipe(trade("A", 1, 104.0), st::at(3s));  // 4%: no jump
  in.pipe(trade("A", 1, 110.0), st::at(4s));  // 5.8% from 104
  in.pipe(trade("B", 1, 9.0), st::at(5s));    // -10%
  EXPECT_EQ(driver.output<double>("jumps").read_records(),
            (std::vector<st::Record<std::string, double>>{{"A", 110.0 / 104.0, st::at(4s)},
                                                          {"B", 0.9, st::at(5s)}}));
  EXPECT_GT(driver.state_bytes(), 2 * (sizeof(std::string) + sizeof(double)));
}

TEST(StreamsProcess, AFunctionMayForwardManyRecordsOfAnotherKeyType) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades")
      .process<std::string, std::uint64_t>(
          [](st::Record<std::string, mib::Trade>&& r,
             st::ProcessorContext<std::uint64_t, std::string>& ctx) {
            for (std::uint64_t i = 0; i < r.value.quantity; ++i) ctx.forward({i, r.key, r.time});
          },
          "fan-out")
      .to("out");
  st::TestDriver driver{topology};
  driver.input<mib::Trade>("trades").pipe(trade("A", 2, 1), st::at(1s));
  driver.input<mib::Trade>("trades").pipe(trade("B", 0, 1), st::at(2s));
  EXPECT_EQ((driver.output<std::string, std::uint64_t>("out").read_records()),
            (std::vector<st::Record<std::uint64_t, std::string>>{{0, "A", st::at(1s)},
                                                                 {1, "A", st::at(1s)}}));
}

// Counts records and, at each crossing of a whole second of its kind of time, forwards
// the count since the last one, timed at the time it fired.
struct CountEvery {
  st::Punctuation kind;
  std::uint64_t seen = 0;
  void init(st::ProcessorContext<std::string, std::uint64_t>& ctx) {
    ctx.schedule(1s, kind, [this, &ctx](st::Timestamp now) {
      ctx.forward({"count", seen, now});
      seen = 0;
    });
  }
  void process(st::Record<std::string, mib::Trade>&&,
               st::ProcessorContext<std::string, std::uint64_t>&) {
    ++seen;
  }
};

TEST(StreamsProcess, EventTimePunctuatorsFireOncePerCrossingOfTheInterval) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades")
      .process<std::uint64_t>(CountEvery{st::Punctuation::event_time}, "counter")
      .to("counts");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  auto out = driver.output<std::uint64_t>("counts");
  in.pipe(trade("A", 1), st::at(500ms));  // the first stream time: nothing crossed yet
  in.pipe(trade("A", 1), st::at(900ms));
  EXPECT_TRUE(out.empty());
  in.pipe(trade("A", 1), st::at(1200ms));  // crosses 1 s (after this record counted)
  in.pipe(trade("A", 1), st::at(1100ms));  // older: stream time stays at 1.2 s
  in.pipe(trade("A", 1), st::at(3500ms));  // crosses 2 s and 3 s: fires once
  driver.advance_wall_clock(10s);          // wall-clock time moves no event-time punctuator
  driver.advance_to(st::at(4s));
  EXPECT_EQ(out.read_records(), (std::vector<st::Record<std::string, std::uint64_t>>{
                                    {"count", 3, st::at(1200ms)},
                                    {"count", 2, st::at(3500ms)},
                                    {"count", 0, st::at(4s)},
                                }));
}

TEST(StreamsProcess, WallClockPunctuatorsFireAsTheRunnersClockMoves) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades")
      .process<std::uint64_t>(CountEvery{st::Punctuation::wall_clock}, "counter")
      .to("counts");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  auto out = driver.output<std::uint64_t>("counts");
  driver.advance_wall_clock(500ms);  // the first wall-clock time it sees
  in.pipe(trade("A", 1), st::at(100s));
  in.pipe(trade("A", 1), st::at(200s));  // event time moves no wall-clock punctuator
  EXPECT_TRUE(out.empty());
  driver.advance_wall_clock(600ms);  // 1.1 s
  in.pipe(trade("A", 1), st::at(300s));
  driver.advance_wall_clock(3s);  // 4.1 s: once, for 2, 3 and 4
  EXPECT_EQ(out.read_records(), (std::vector<st::Record<std::string, std::uint64_t>>{
                                    {"count", 2, st::at(1100ms)},
                                    {"count", 1, st::at(4100ms)},
                                }));
}

// Per key and one-second window, the trades' total quantity, kept in a window store for
// 3 s of stream time; each record forwards the sum of its key's windows still kept.
struct KeptTotals {
  st::WindowStore<std::string, std::uint64_t>* windows = nullptr;
  void init(st::ProcessorContext<std::string, std::uint64_t>& ctx) {
    windows = &ctx.window_store<std::string, std::uint64_t>("per-second", 3s);
  }
  void process(st::Record<std::string, mib::Trade>&& r,
               st::ProcessorContext<std::string, std::uint64_t>& ctx) {
    const st::Timestamp start = st::at(r.time.time_since_epoch() / 1s * 1s);
    windows->put(r.key, start, windows->fetch(r.key, start).value_or(0) + r.value.quantity);
    std::uint64_t total = 0;
    windows->fetch(r.key, st::at(0ms), r.time,
                   [&](st::Timestamp, const std::uint64_t& q) { total += q; });
    ctx.forward({r.key, total, r.time});
  }
};

TEST(StreamsProcess, WindowStoresDropWindowsPastTheirRetention) {
  st::Topology topology;
  topology.stream<mib::Trade>("trades")
      .key_by(&mib::Trade::symbol)
      .process<std::uint64_t>(KeptTotals{}, "totals")
      .to("totals");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  in.pipe(trade("A", 1), st::at(1100ms));
  in.pipe(trade("A", 10), st::at(1900ms));
  in.pipe(trade("A", 100), st::at(2500ms));
  in.pipe(trade("A", 1000), st::at(4500ms));   // stream time 2.5 s when it arrives: all kept
  in.pipe(trade("A", 10000), st::at(5000ms));  // at 4.5 s the window of 1 s went (< 1.5 s)
  EXPECT_EQ(driver.output<std::uint64_t>("totals").read_values(),
            (std::vector<std::uint64_t>{1, 11, 111, 1111, 11100}));
  const std::size_t kept = driver.state_bytes();
  driver.advance_to(st::at(9s));
  EXPECT_LT(driver.state_bytes(), kept);
  EXPECT_EQ(driver.state_bytes(), 0U);
}

TEST(StreamsProcess, AStoreRefusesAPutPastItsLimitAndNamesItself) {
  st::Topology topology;
  struct Seen {
    st::KeyValueStore<std::string, bool>* seen = nullptr;
    void init(st::ProcessorContext<std::string, mib::Trade>& ctx) {
      seen = &ctx.key_value_store<std::string, bool>("seen", {.max_bytes = 300});
    }
    void process(st::Record<std::string, mib::Trade>&& r,
                 st::ProcessorContext<std::string, mib::Trade>& ctx) {
      if (seen->get(r.key)) return;
      seen->put(r.key, true);
      ctx.forward(std::move(r));
    }
  };
  topology.stream<mib::Trade>("trades").process<mib::Trade>(Seen{}, "dedup").to("firsts");
  st::TestDriver driver{topology};
  auto in = driver.input<mib::Trade>("trades");
  std::string what;
  int accepted = 0;
  for (int i = 0; i < 20 && what.empty(); ++i) {
    try {
      in.pipe(trade("SYM" + std::to_string(i), 1), st::at(1s));
      ++accepted;
    } catch (const mib::Exception& e) {
      what = e.what();
    }
  }
  EXPECT_GT(accepted, 0);
  EXPECT_LT(accepted, 20);
  EXPECT_NE(what.find("state store 'seen' is full"), std::string::npos) << what;
  EXPECT_NE(what.find("max_bytes of 300"), std::string::npos) << what;
  EXPECT_LE(driver.state_bytes(), 300U);
  EXPECT_EQ(driver.output<mib::Trade>("firsts").size(), static_cast<std::size_t>(accepted));
  in.pipe(trade("SYM0", 1), st::at(2s));  // a key it holds still works
  EXPECT_EQ(driver.output<mib::Trade>("firsts").size(), static_cast<std::size_t>(accepted));
}

TEST(StreamsProcess, StoreNamesAreUniqueInTheTopology) {
  st::Topology topology;
  auto trades = topology.stream<mib::Trade>("trades").key_by(&mib::Trade::symbol);
  trades.window(st::Tumbling{1s}).aggregate(st::count(), "counts").to("counts");
  struct Clash {
    void init(st::ProcessorContext<std::string, mib::Trade>& ctx) {
      ctx.key_value_store<std::string, int>("counts");
    }
    void process(st::Record<std::string, mib::Trade>&&,
                 st::ProcessorContext<std::string, mib::Trade>&) {}
  };
  try {
    trades.process<mib::Trade>(Clash{}, "clash");
    FAIL() << "a store took the name of an operator";
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find("'counts'"), std::string::npos) << e.what();
  }
}

TEST(StreamsStores, KeyValueStoresRangeInKeyOrderAndCountTheirBytes) {
  st::detail::MemoryKeyValueStore<std::string, std::string> store{"s", {}};
  EXPECT_EQ(store.bytes(), 0U);
  store.put("b", "2");
  store.put("a", "1");
  store.put("c", std::string(100, 'x'));  // its text is on the heap: counted
  store.put("d", "4");
  const std::size_t four = store.bytes();
  EXPECT_GE(four, 4 * (2 * sizeof(std::string)) + 101);
  std::vector<std::string> keys;
  store.range("b", "d", [&](const std::string& k, const std::string&) { keys.push_back(k); });
  EXPECT_EQ(keys, (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(store.get("a"), "1");
  EXPECT_FALSE(store.get("z"));
  EXPECT_TRUE(store.remove("c"));
  EXPECT_FALSE(store.remove("c"));
  EXPECT_LT(store.bytes(), four - 100);
  EXPECT_EQ(store.size(), 3U);
  store.remove("a");
  store.remove("b");
  store.remove("d");
  EXPECT_EQ(store.bytes(), 0U);
}

}  // namespace
