// serde_bench: encode and decode rates of one core for MarketData and Trade, JSON and
// Protobuf, with nlohmann::json reading and writing the same records in the same run as
// the reference (issue 12, item 10).
//
//   serde_bench [--records 1000000] [--runs 3] [--distinct 4096]
//
// Each case runs --records operations on one thread, cycling through --distinct records
// made up front, --runs times (the cases alternate within a run); the best run counts.
// A rate is records per second of this thread's CPU time (CPU time, so that what else
// the machine runs does not count against it), with the wall-clock rate beside it.
// Decoding goes into one reused MarketData / Trade ("the view path": see
// docs/decisions.md); allocations are counted over the timed loop. Before timing, every
// decoder's result is checked against the record it came from. The goals of the issue
// are printed last, each met or missed. Figures and how to read them: bench/RESULTS.md.
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "bench_common.hpp"
#include "nlohmann_reference.hpp"
#include "serde/json_kernels.hpp"
#include "serde_records.hpp"

namespace {

using namespace mib::bench;
namespace reference = mib::bench::nlohmann_reference;

struct Options {
  std::int64_t records = 1'000'000;
  std::int64_t runs = 3;
  std::int64_t distinct = 4096;
  std::string only;  // runs only the cases whose name contains it (for a profiler)
};

constexpr std::string_view usage =
    "usage: serde_bench [--records N] [--runs N] [--distinct N] [--only 'Trade JSON']\n";

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view name = argv[i];
    if (name == "--help" || name == "-h") {
      std::fputs(usage.data(), stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) throw std::invalid_argument("missing value: " + std::string{name});
    const std::string value = argv[++i];
    if (name == "--records") {
      options.records = parse_positive(name, value);
    } else if (name == "--runs") {
      options.runs = parse_positive(name, value);
    } else if (name == "--distinct") {
      options.distinct = parse_positive(name, value);
    } else if (name == "--only") {
      options.only = value;
    } else {
      throw std::invalid_argument("unknown option: " + std::string{name});
    }
  }
  return options;
}

// One timed loop: `op(i)` for i in [0, records).
struct Run {
  double cpu_seconds = 0;
  double wall_seconds = 0;
  std::uint64_t allocations = 0;
  std::int64_t records = 0;

  double rate() const { return static_cast<double>(records) / cpu_seconds; }
  double wall_rate() const { return static_cast<double>(records) / wall_seconds; }
  double ns_per_record() const { return cpu_seconds * 1e9 / static_cast<double>(records); }
  double allocations_per_record() const {
    return static_cast<double>(allocations) / static_cast<double>(records);
  }
};

// A measured operation: what it does (type, format, encode/decode), whose it is, and how.
struct Case {
  std::string what;                     // "MarketData JSON decode"
  std::string side;                     // "mib" or "nlohmann"
  std::function<void(std::size_t)> op;  // on the k-th record
  Run best{};
};

// `op(k)` `records` times, k cycling through the `distinct` records (after one warm-up
// round: caches, and the capacity of reused values).
template <typename Op>
Run time_loop(std::int64_t records, std::size_t distinct, Op& op) {
  for (std::size_t k = 0; k < distinct; ++k) op(k);
  Run run;
  run.records = records;
  const Allocations before = allocations();
  const double cpu = thread_cpu_seconds();
  const auto wall = SteadyClock::now();
  std::size_t k = 0;
  for (std::int64_t i = 0; i < records; ++i) {
    op(k);
    if (++k == distinct) k = 0;
  }
  run.wall_seconds = std::chrono::duration<double>(SteadyClock::now() - wall).count();
  run.cpu_seconds = thread_cpu_seconds() - cpu;
  run.allocations = (allocations() - before).total();
  return run;
}

void check(const mib::Error& e, std::string_view what) {
  if (e) throw std::runtime_error(std::string{what} + ": " + e.message());
}

// Every decoder reads back every record it is timed on, equal to the record encoded.
template <typename T>
void check_round_trips(const Records<T>& records, const char* type) {
  for (std::size_t i = 0; i < records.size(); ++i) {
    T ours, theirs, from_protobuf, from_their_text;
    check(mib::json::decode(records.json[i], ours), std::string{type} + " JSON decode");
    check(reference::decode(records.json[i], theirs), std::string{type} + " nlohmann decode");
    check(mib::protobuf::decode(records.protobuf[i], from_protobuf),
          std::string{type} + " Protobuf decode");
    std::string their_text;
    reference::encode(records.values[i], their_text);
    check(mib::json::decode(their_text, from_their_text), std::string{type} + " nlohmann encode");
    if (!(ours == records.values[i] && theirs == ours && from_protobuf == ours &&
          from_their_text == ours)) {
      throw std::runtime_error(std::string{type} + " record " + std::to_string(i) +
                               " does not read back as written: " + records.json[i]);
    }
  }
}

// The eight cases of one type. `sink` keeps the decoded values observable.
template <typename T>
void add_cases(std::vector<Case>& cases, const Records<T>& records, const std::string& type,
               std::uint64_t& sink) {
  auto decoded = std::make_shared<T>();
  auto text = std::make_shared<std::string>();
  cases.push_back({type + " JSON decode", "mib", [&records, decoded, &sink](std::size_t i) {
                     check(mib::json::decode(records.json[i], *decoded), "decode");
                     sink += decoded->symbol.size();
                   }});
  cases.push_back({type + " JSON decode", "nlohmann", [&records, decoded, &sink](std::size_t i) {
                     check(reference::decode(records.json[i], *decoded), "decode");
                     sink += decoded->symbol.size();
                   }});
  cases.push_back({type + " JSON encode", "mib", [&records, text, &sink](std::size_t i) {
                     text->clear();
                     check(mib::json::encode(records.values[i], *text), "encode");
                     sink += text->size();
                   }});
  cases.push_back({type + " JSON encode", "nlohmann", [&records, text, &sink](std::size_t i) {
                     text->clear();
                     reference::encode(records.values[i], *text);
                     sink += text->size();
                   }});
  cases.push_back({type + " Protobuf decode", "mib", [&records, decoded, &sink](std::size_t i) {
                     check(mib::protobuf::decode(records.protobuf[i], *decoded), "decode");
                     sink += decoded->symbol.size();
                   }});
  cases.push_back({type + " Protobuf encode", "mib", [&records, text, &sink](std::size_t i) {
                     text->clear();
                     check(mib::protobuf::encode(records.values[i], *text), "encode");
                     sink += text->size();
                   }});
}

const Case& find(const std::vector<Case>& cases, std::string_view what, std::string_view side) {
  for (const Case& c : cases) {
    if (c.what == what && c.side == side) return c;
  }
  throw std::logic_error("no case " + std::string{what});
}

int goals_missed = 0;

void goal(const std::string& name, double measured, double wanted, const char* unit) {
  const bool met = measured >= wanted;
  if (!met) ++goals_missed;
  std::printf("  %-48s %10.2f%s  (goal >= %.2f%s)  %s\n", name.c_str(), measured, unit, wanted,
              unit, met ? "met" : "MISSED");
}

void zero_allocations(const std::vector<Case>& cases, const std::string& what) {
  const double a = find(cases, what, "mib").best.allocations_per_record();
  if (a != 0) ++goals_missed;
  std::printf("  %-48s %10.4f    (goal 0 allocations/record)  %s\n",
              (what + ", allocations/record").c_str(), a, a == 0 ? "met" : "MISSED");
}

void print_goals(const std::vector<Case>& cases) {
  const auto rate = [&](const std::string& what, const char* side = "mib") {
    return find(cases, what, side).best.rate() / 1e6;
  };
  std::printf("\ngoals (issue 12, item 10), best runs, per core:\n");
  goal("MarketData JSON decode", rate("MarketData JSON decode"), 2.0, "M/s");
  goal("MarketData JSON decode, mib / nlohmann",
       rate("MarketData JSON decode") / rate("MarketData JSON decode", "nlohmann"), 3.0, "x");
  goal("MarketData Protobuf decode", rate("MarketData Protobuf decode"), 5.0, "M/s");
  goal("Trade Protobuf decode", rate("Trade Protobuf decode"), 5.0, "M/s");
  for (const char* what : {"MarketData JSON decode", "Trade JSON decode",
                           "MarketData Protobuf decode", "Trade Protobuf decode"}) {
    zero_allocations(cases, what);
  }
  std::printf("%s\n", goals_missed == 0 ? "every goal met" : "some goals MISSED");
}

int run(const Options& options) {
  const auto distinct = static_cast<std::size_t>(options.distinct);
  const Records<mib::MarketData> quotes = market_data_records(distinct);
  const Records<mib::Trade> trades = trade_records(distinct);
  check_round_trips(quotes, "MarketData");
  check_round_trips(trades, "Trade");

  const mib::json::Kernels kernels = mib::json::kernels();
  std::printf(
      "serde_bench: one thread; simdjson %s (stage 1 kernel '%s', chosen at run time; "
      "on-demand kernel '%s', compiled in); nlohmann::json %d.%d.%d; libprotobuf as linked\n",
      SIMDJSON_STRINGIFY(SIMDJSON_VERSION), std::string{kernels.stage1}.c_str(),
      std::string{kernels.on_demand}.c_str(), NLOHMANN_JSON_VERSION_MAJOR,
      NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH);
  std::printf(
      "records: %zu distinct of each type, cycled; MarketData JSON %.0f bytes, Protobuf "
      "%.0f; Trade JSON %.0f bytes, Protobuf %.0f (means)\n",
      distinct, quotes.mean_bytes(quotes.json), quotes.mean_bytes(quotes.protobuf),
      trades.mean_bytes(trades.json), trades.mean_bytes(trades.protobuf));
  std::printf("MarketData: %s\nTrade:      %s\n", quotes.json[0].c_str(), trades.json[0].c_str());
  std::printf(
      "%lld records per case and run, %lld runs, best run counts; rate = records per "
      "second of this thread's CPU time\n%s\n\n",
      static_cast<long long>(options.records), static_cast<long long>(options.runs),
      allocations_legend());

  std::uint64_t sink = 0;
  std::vector<Case> cases;
  add_cases(cases, quotes, "MarketData", sink);
  add_cases(cases, trades, "Trade", sink);

  std::printf("%-26s %-9s %4s %12s %8s %12s %10s\n", "case", "side", "run", "records/s", "ns/rec",
              "wall rec/s", "allocs/rec");
  for (std::int64_t r = 1; r <= options.runs; ++r) {
    for (Case& c : cases) {
      if ((c.what + " " + c.side).find(options.only) == std::string::npos) continue;
      const Run run = time_loop(options.records, distinct, c.op);
      if (run.rate() > c.best.rate() || c.best.records == 0) c.best = run;
      std::printf("%-26s %-9s %4lld %12.0f %8.1f %12.0f %10.4f\n", c.what.c_str(), c.side.c_str(),
                  static_cast<long long>(r), run.rate(), run.ns_per_record(), run.wall_rate(),
                  run.allocations_per_record());
      std::fflush(stdout);
    }
  }

  std::printf("\nbest runs, per core:\n%-26s %14s %14s %8s %10s\n", "case", "mib records/s",
              "nlohmann rec/s", "ratio", "mib ns/rec");
  for (const Case& c : cases) {
    if (c.side != "mib" || c.best.records == 0) continue;
    const auto theirs = std::find_if(cases.begin(), cases.end(), [&](const Case& o) {
      return o.what == c.what && o.side == "nlohmann";
    });
    if (theirs == cases.end() || theirs->best.records == 0) {
      std::printf("%-26s %14.0f %14s %8s %10.1f\n", c.what.c_str(), c.best.rate(), "-", "-",
                  c.best.ns_per_record());
    } else {
      std::printf("%-26s %14.0f %14.0f %8.2f %10.1f\n", c.what.c_str(), c.best.rate(),
                  theirs->best.rate(), c.best.rate() / theirs->best.rate(), c.best.ns_per_record());
    }
  }
  if (options.only.empty()) print_goals(cases);
  std::printf("(checksum %llu)\n", static_cast<unsigned long long>(sink));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return run_main("serde_bench", usage, [&] { return run(parse_options(argc, argv)); });
}
