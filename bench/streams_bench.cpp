// In-process stream processing, one thread, records already decoded (mib::Trade values
// made by a generator, whose cost is in every figure): mib::streams against a hand-written
// loop doing the same work with the same containers, side by side in one run, with the
// ratio (issue 15, item 9). Each case runs in a child process of its own, so that its peak
// memory (VmHWM) is its own.
//
//   streams_bench [--records N] [--runs R] [--cases filter,map,tumbling_vwap,...]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "alloc_counter.hpp"
#include "child_process.hpp"
#include "mib/serde/trade.hpp"
#include "mib/streams.hpp"

namespace st = mib::streams;
using namespace std::chrono_literals;

namespace {

constexpr int symbol_count = 500;
constexpr std::int64_t records_per_ms = 100;  // 100,000 trades per second of event time

// The trades: 500 symbols round-robin, prices moving in cents, event time from the index.
class Generator {
 public:
  Generator() {
    for (int i = 0; i < symbol_count; ++i) {
      char name[16];
      std::snprintf(name, sizeof name, "S%d", 1000 + i);
      symbols_.emplace_back(name);
    }
  }
  void fill(std::int64_t i, mib::Trade& t, mib::Timestamp& time) const {
    const auto k = static_cast<std::size_t>(i % symbol_count);
    t.symbol = symbols_[k];
    t.price = 100.0 + static_cast<double>(k) + static_cast<double>(i & 15) * 0.01;
    t.quantity = static_cast<std::uint64_t>(50 + i % 200);
    time = mib::Timestamp{std::chrono::milliseconds{i / records_per_ms}};
  }

 private:
  std::vector<std::string> symbols_;
};

struct Outcome {
  double seconds = 0;
  std::uint64_t outputs = 0;
  double checksum = 0;  // so that no side's work can be left out
  std::uint64_t allocations = 0;
};

using Side = std::function<Outcome(std::int64_t records)>;

// Runs a topology whose source is "trades" and whose end calls `out`.
template <typename Build>
Outcome run_topology(std::int64_t records, Build build) {
  Outcome o;
  st::Topology topology;
  build(topology.source<std::string, mib::Trade>("trades"), o);
  auto& source = topology.typed_source<std::string, mib::Trade>("trades");
  st::TestDriver driver{topology};
  const Generator gen;
  st::Record<std::string, mib::Trade> r;
  const auto allocs = mib::bench::allocations();
  const auto start = std::chrono::steady_clock::now();
  for (std::int64_t i = 0; i < records; ++i) {
    gen.fill(i, r.value, r.time);
    r.key = r.value.symbol;
    source.push(std::move(r), 0);
  }
  driver.advance_to(mib::Timestamp{std::chrono::hours{24 * 365}});
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  o.allocations = (mib::bench::allocations() - allocs).total();
  return o;
}

// Trades and quotes interleaved (one of each per index), for the joins.
template <typename Build>
Outcome run_two(std::int64_t records, Build build) {
  Outcome o;
  st::Topology topology;
  build(topology.source<std::string, mib::Trade>("trades"),
        topology.source<std::string, mib::MarketData>("quotes"), o);
  auto& trades = topology.typed_source<std::string, mib::Trade>("trades");
  auto& quotes = topology.typed_source<std::string, mib::MarketData>("quotes");
  st::TestDriver driver{topology};
  const Generator gen;
  st::Record<std::string, mib::Trade> t;
  st::Record<std::string, mib::MarketData> q;
  const auto allocs = mib::bench::allocations();
  const auto start = std::chrono::steady_clock::now();
  for (std::int64_t i = 0; i < records; i += 2) {
    gen.fill(i, t.value, t.time);
    q.value.symbol = t.value.symbol;
    q.value.last_price = t.value.price - 0.01;
    q.key = q.value.symbol;
    q.time = t.time;
    gen.fill(i + 1, t.value, t.time);
    t.value.symbol = q.value.symbol;  // a trade of the symbol just quoted
    t.key = t.value.symbol;
    quotes.push(std::move(q), 0);
    trades.push(std::move(t), 0);
  }
  driver.advance_to(mib::Timestamp{std::chrono::hours{24 * 365}});
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  o.allocations = (mib::bench::allocations() - allocs).total();
  return o;
}

// The hand-written joins get the same interleaved records.
template <typename Body>
Outcome run_two_loop(std::int64_t records, Body body) {
  Outcome o;
  const Generator gen;
  mib::Trade t;
  mib::MarketData q;
  mib::Timestamp time;
  std::string key;
  const auto allocs = mib::bench::allocations();
  const auto start = std::chrono::steady_clock::now();
  for (std::int64_t i = 0; i < records; i += 2) {
    gen.fill(i, t, time);
    q.symbol = t.symbol;
    q.last_price = t.price - 0.01;
    key = q.symbol;
    body.quote(q, time, o);
    gen.fill(i + 1, t, time);
    t.symbol = q.symbol;
    key = t.symbol;
    body.trade(t, time, o);
  }
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  o.allocations = (mib::bench::allocations() - allocs).total();
  return o;
}

template <typename Body>
Outcome run_loop(std::int64_t records, Body body) {
  Outcome o;
  const Generator gen;
  mib::Trade t;
  mib::Timestamp time;
  std::string key;  // each record has one, as in the topology
  const auto allocs = mib::bench::allocations();
  const auto start = std::chrono::steady_clock::now();
  for (std::int64_t i = 0; i < records; ++i) {
    gen.fill(i, t, time);
    key = t.symbol;
    body(t, time, o);
  }
  body.finish(o);
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  o.allocations = (mib::bench::allocations() - allocs).total();
  return o;
}

// ------------------------------------------------------------------ the hand-written loops

struct HandFilter {
  void operator()(const mib::Trade& t, mib::Timestamp, Outcome& o) {
    if (t.quantity >= 100) {
      ++o.outputs;
      o.checksum += t.price;
    }
  }
  void finish(Outcome&) {}
};

struct HandMap {
  void operator()(const mib::Trade& t, mib::Timestamp, Outcome& o) {
    ++o.outputs;
    o.checksum += t.price * static_cast<double>(t.quantity);
  }
  void finish(Outcome&) {}
};

// One window open at a time (records come in time order here), a map of symbol to sums.
template <typename Acc, typename Add, typename Result>
struct HandTumbling {
  std::int64_t size_ms;
  Add add;
  Result result;
  std::unordered_map<std::string, Acc> open{};
  std::int64_t window = std::numeric_limits<std::int64_t>::min();
  void operator()(const mib::Trade& t, mib::Timestamp time, Outcome& o) {
    const std::int64_t w = time.time_since_epoch().count() / size_ms * size_ms;
    if (w != window) {
      finish(o);
      window = w;
    }
    auto it = open.find(t.symbol);
    if (it == open.end()) it = open.emplace(t.symbol, Acc{}).first;
    add(it->second, t);
  }
  void finish(Outcome& o) {
    for (auto& [symbol, acc] : open) {
      ++o.outputs;
      o.checksum += result(acc);
    }
    open.clear();
  }
};

// Hopping 10 s / 1 s the direct way: each record into each of the 10 windows holding it.
struct HandHopping {
  std::map<std::int64_t, std::unordered_map<std::string, st::VwapSums>> windows{};
  void operator()(const mib::Trade& t, mib::Timestamp time, Outcome& o) {
    const std::int64_t ms = time.time_since_epoch().count();
    while (!windows.empty() && windows.begin()->first + 10'000 <= ms) {
      emit(windows.begin()->second, o);
      windows.erase(windows.begin());
    }
    for (std::int64_t s = ms / 1000 * 1000 - 9000; s <= ms; s += 1000) {
      auto& sums = windows[s][t.symbol];
      sums.notional += t.price * static_cast<double>(t.quantity);
      sums.volume += static_cast<double>(t.quantity);
    }
  }
  static void emit(const std::unordered_map<std::string, st::VwapSums>& w, Outcome& o) {
    for (const auto& [symbol, s] : w) {
      ++o.outputs;
      o.checksum += s.notional / s.volume;
    }
  }
  void finish(Outcome& o) {
    for (auto& [start, w] : windows) emit(w, o);
  }
};

// As of: the latest quote per symbol (records come in time order, so no waiting).
struct HandAsOf {
  std::unordered_map<std::string, std::pair<std::int64_t, double>> latest{};
  void quote(const mib::MarketData& q, mib::Timestamp time, Outcome&) {
    latest[q.symbol] = {time.time_since_epoch().count(), q.last_price};
  }
  void trade(const mib::Trade& t, mib::Timestamp time, Outcome& o) {
    auto it = latest.find(t.symbol);
    if (it == latest.end() || time.time_since_epoch().count() - it->second.first > 1000) return;
    ++o.outputs;
    o.checksum += t.price - it->second.second;
  }
};

// Trade x quote within 1 ms both ways: each symbol's quotes of the last 1 ms in a deque.
struct HandWindowJoin {
  std::unordered_map<std::string, std::deque<std::pair<std::int64_t, double>>> recent{};
  void quote(const mib::MarketData& q, mib::Timestamp time, Outcome&) {
    auto& d = recent[q.symbol];
    const std::int64_t ms = time.time_since_epoch().count();
    while (!d.empty() && d.front().first < ms - 1) d.pop_front();
    d.emplace_back(ms, q.last_price);
  }
  void trade(const mib::Trade& t, mib::Timestamp time, Outcome& o) {
    const std::int64_t ms = time.time_since_epoch().count();
    for (const auto& [at, price] : recent[t.symbol]) {
      if (at < ms - 1 || at > ms + 1) continue;
      ++o.outputs;
      o.checksum += t.price - price;
    }
  }
};

// ------------------------------------------------------------------------------- cases

struct Case {
  const char* name;
  Side mib;
  Side hand;
};

std::vector<Case> cases() {
  const auto add_vwap = [](st::VwapSums& s, const mib::Trade& t) {
    s.notional += t.price * static_cast<double>(t.quantity);
    s.volume += static_cast<double>(t.quantity);
  };
  const auto vwap_of = [](const st::VwapSums& s) { return s.notional / s.volume; };
  struct Bar {
    st::Ohlcv bar{};
    bool any = false;
  };
  const auto add_bar = [](Bar& b, const mib::Trade& t) {
    if (!b.any) b.bar = {t.price, t.price, t.price, t.price, 0, 0};
    b.any = true;
    b.bar.high = std::max(b.bar.high, t.price);
    b.bar.low = std::min(b.bar.low, t.price);
    b.bar.close = t.price;
    b.bar.volume += static_cast<double>(t.quantity);
    ++b.bar.trades;
  };
  const auto bar_of = [](const Bar& b) { return b.bar.close + b.bar.volume; };
  return {
      {"filter",
       [](std::int64_t n) {
         return run_topology(n, [](auto trades, Outcome& o) {
           trades.filter([](const mib::Trade& t) { return t.quantity >= 100; })
               .for_each([&o](const mib::Trade& t) {
                 ++o.outputs;
                 o.checksum += t.price;
               });
         });
       },
       [](std::int64_t n) { return run_loop(n, HandFilter{}); }},
      {"map",
       [](std::int64_t n) {
         return run_topology(n, [](auto trades, Outcome& o) {
           trades.map([](const mib::Trade& t) { return t.price * static_cast<double>(t.quantity); })
               .for_each([&o](double notional) {
                 ++o.outputs;
                 o.checksum += notional;
               });
         });
       },
       [](std::int64_t n) { return run_loop(n, HandMap{}); }},
      {"tumbling_vwap_1s",
       [](std::int64_t n) {
         return run_topology(n, [](auto trades, Outcome& o) {
           trades.key_by(&mib::Trade::symbol)
               .window(st::Tumbling{1s})
               .aggregate(st::vwap(&mib::Trade::price, &mib::Trade::quantity), "vwap")
               .for_each([&o](const st::Windowed<std::string, double>& w) {
                 ++o.outputs;
                 o.checksum += w.value;
               });
         });
       },
       [=](std::int64_t n) {
         return run_loop(n, HandTumbling<st::VwapSums, decltype(add_vwap), decltype(vwap_of)>{
                                1000, add_vwap, vwap_of});
       }},
      {"tumbling_ohlcv_1s",
       [](std::int64_t n) {
         return run_topology(n, [](auto trades, Outcome& o) {
           trades.key_by(&mib::Trade::symbol)
               .window(st::Tumbling{1s})
               .aggregate(st::ohlcv(&mib::Trade::price, &mib::Trade::quantity), "bars")
               .for_each([&o](const st::Windowed<std::string, st::Ohlcv>& w) {
                 ++o.outputs;
                 o.checksum += w.value.close + w.value.volume;
               });
         });
       },
       [=](std::int64_t n) {
         return run_loop(
             n, HandTumbling<Bar, decltype(add_bar), decltype(bar_of)>{1000, add_bar, bar_of});
       }},
      {"hopping_vwap_10s_1s",
       [](std::int64_t n) {
         return run_topology(n, [](auto trades, Outcome& o) {
           trades.key_by(&mib::Trade::symbol)
               .window(st::Hopping{10s, 1s})
               .aggregate(st::vwap(&mib::Trade::price, &mib::Trade::quantity), "vwap")
               .for_each([&o](const st::Windowed<std::string, double>& w) {
                 ++o.outputs;
                 o.checksum += w.value;
               });
         });
       },
       [](std::int64_t n) { return run_loop(n, HandHopping{}); }},
      {"asof_join_trade_quote",
       [](std::int64_t n) {
         return run_two(n, [](auto trades, auto quotes, Outcome& o) {
           trades
               .asof_join(
                   quotes, {.tolerance = 1s},
                   [](const mib::Trade& t, const mib::MarketData& q) {
                     return t.price - q.last_price;
                   },
                   "asof")
               .for_each([&o](double d) {
                 ++o.outputs;
                 o.checksum += d;
               });
         });
       },
       [](std::int64_t n) { return run_two_loop(n, HandAsOf{}); }},
      {"window_join_1ms",
       [](std::int64_t n) {
         return run_two(n, [](auto trades, auto quotes, Outcome& o) {
           trades
               .join(
                   quotes, st::JoinWindow::within(1ms),
                   [](const mib::Trade& t, const mib::MarketData& q) {
                     return t.price - q.last_price;
                   },
                   "join")
               .for_each([&o](double d) {
                 ++o.outputs;
                 o.checksum += d;
               });
         });
       },
       [](std::int64_t n) { return run_two_loop(n, HandWindowJoin{}); }},
  };
}

// Runs one side in a child process, prints its line and returns its records/s.
double run_child(const char* name, const char* side, const Side& run, std::int64_t records,
                 int index) {
  return mib::bench::in_child([&] {
    const Outcome o = run(records);
    const double rate = static_cast<double>(records) / o.seconds;
    std::printf("%-22s %-6s %3d %14.0f %10llu %14.6g %9.3f %8ld\n", name, side, index, rate,
                static_cast<unsigned long long>(o.outputs), o.checksum,
                static_cast<double>(o.allocations) / static_cast<double>(records),
                mib::bench::peak_rss_kib() / 1024);
    return rate;
  });
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t records = 10'000'000;
  int runs = 3;
  std::string only;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--records") == 0) records = std::atoll(argv[i + 1]);
    if (std::strcmp(argv[i], "--runs") == 0) runs = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--cases") == 0) only = argv[i + 1];
  }
  std::printf(
      "streams_bench: %lld records per run, %d symbols, %lld records per ms of event "
      "time, one thread; allocs/rec counted %s\n",
      static_cast<long long>(records), symbol_count, static_cast<long long>(records_per_ms),
      mib::bench::counting_allocations() ? "yes" : "no (sanitizer build)");
  std::printf("%-22s %-6s %3s %14s %10s %14s %9s %8s\n", "case", "side", "run", "records/s",
              "outputs", "checksum", "allocs/rec", "peak_MiB");
  std::vector<std::tuple<std::string, double, double>> summary;
  for (const Case& c : cases()) {
    if (!only.empty() &&
        ("," + only + ",").find(std::string{","} + c.name + ",") == std::string::npos) {
      continue;
    }
    std::vector<double> ours, hand;
    for (int run = 1; run <= runs; ++run) {
      ours.push_back(run_child(c.name, "mib", c.mib, records, run));
      hand.push_back(run_child(c.name, "hand", c.hand, records, run));
    }
    summary.push_back({c.name, median(ours), median(hand)});
  }
  std::printf("\nmedians (records/s)     mib            hand-written   ratio (mib / hand)\n");
  for (const auto& [name, ours, hand] : summary) {
    std::printf("%-22s %14.0f %14.0f %8.3f\n", name.c_str(), ours, hand, ours / hand);
  }
  return 0;
}
