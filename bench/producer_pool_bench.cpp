// producer_pool_bench: producer_bench's records and properties through mib::ProducerPools
// of N = 1, 2 and 4 producers, in the same run, on the same fresh topic: does N > 1 help on
// this machine? (issue 4, item 7)
//
//   producer_pool_bench [--brokers HOST:PORT,...] [--messages 2000000] [--size 100]
//                       [--runs 3] [--pools 1,2,4] [--routing both] [--senders 1]
//
// Each run sends --messages records through every pool in turn (the order rotates each
// run, so that drift hits every pool alike), timed from the first send to the last
// delivery report, with this process's CPU time per record. --routing is key_affinity,
// round_robin or both; --senders threads share the sending. Prints each run with how the
// pool spread the records over its producers, then the median records/s of each pool and
// its ratio to the first pool (N=1 by default). Exit status 1 if any record failed.
// Figures and how to read them: bench/RESULTS.md.

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench_common.hpp"
#include "mib/producer/producer_pool.hpp"

namespace {

using namespace mib::bench;

struct Options : RunOptions {
  std::vector<std::size_t> pools{1, 2, 4};
  std::vector<mib::PoolRouting> routings{mib::PoolRouting::key_affinity,
                                         mib::PoolRouting::round_robin};
  std::int64_t senders = 1;
};

constexpr std::string_view usage =
    "usage: producer_pool_bench [--brokers HOST:PORT,...] [--messages N] [--size BYTES]\n"
    "                           [--runs N] [--pools N,N,...]\n"
    "                           [--routing key_affinity|round_robin|both] [--senders N]\n";

const char* name_of(mib::PoolRouting routing) {
  return routing == mib::PoolRouting::key_affinity ? "key_affinity" : "round_robin";
}

std::vector<std::size_t> parse_pools(std::string_view name, const std::string& text) {
  std::vector<std::size_t> pools;
  for (const std::string& size : split_brokers(text)) {  // a comma-separated list
    pools.push_back(static_cast<std::size_t>(parse_positive(name, size)));
  }
  if (pools.empty()) throw std::invalid_argument(std::string{name} + " needs pool sizes");
  return pools;
}

std::vector<mib::PoolRouting> parse_routing(const std::string& text) {
  if (text == "key_affinity") return {mib::PoolRouting::key_affinity};
  if (text == "round_robin") return {mib::PoolRouting::round_robin};
  if (text == "both") return {mib::PoolRouting::key_affinity, mib::PoolRouting::round_robin};
  throw std::invalid_argument("--routing is key_affinity, round_robin or both, not '" + text + "'");
}

Options parse_options(int argc, char** argv) {
  Options options;
  const auto set = [&](std::string_view name, const std::string& value) {
    if (name == "--pools") {
      options.pools = parse_pools(name, value);
    } else if (name == "--routing") {
      options.routings = parse_routing(value);
    } else if (name == "--senders") {
      options.senders = parse_positive(name, value);
    } else {
      return false;
    }
    return true;
  };
  parse_command_line(argc, argv, usage, options, set);
  return options;
}

// ---------------------------------------------------------------------------- pools

// One pool under test. A pool of one producer routes nowhere, so it is measured once.
struct PoolSetup {
  std::size_t size = 1;
  mib::PoolRouting routing = mib::PoolRouting::key_affinity;
  std::string name;  // "N=2 key_affinity"
};

std::vector<PoolSetup> setups(const Options& o) {
  std::vector<PoolSetup> out;
  for (const std::size_t size : o.pools) {
    for (const mib::PoolRouting routing : o.routings) {
      out.push_back({size, routing, "N=" + std::to_string(size) + " " + name_of(routing)});
      if (size == 1) {
        out.back().name = "N=1";
        break;
      }
    }
  }
  return out;
}

struct PoolRun {
  RunResult result;
  std::vector<std::uint64_t> routed;  // records each producer was given
};

// As producer_bench's mib::Producer side, through a pool: every producer warmed up, then
// the records from --senders threads with a counting callback, then flush.
PoolRun pool_throughput(const Workload& workload, const PoolSetup& setup, std::int64_t records,
                        std::int64_t senders) {
  const std::string& topic = workload.topic.name();
  const Payloads& payloads = workload.payloads;
  Tally tally{records};  // before the pool, which must not outlive it
  mib::ProducerPool pool{workload.properties, {.size = setup.size, .routing = setup.routing}};
  for (std::size_t i = 0; i < pool.size(); ++i) warm_up_mib(pool.producer(i), topic, payloads);
  const auto on_delivery = [&tally](const mib::DeliveryReport& r) {
    tally.on_report(r.ok(), r.ok() ? std::string_view{} : r.error.message());
  };
  const Meter meter;
  const auto start = SteadyClock::now();
  {
    std::vector<std::jthread> threads;
    for (std::int64_t s = 0; s < senders; ++s) {
      threads.emplace_back([&, s] {
        for (std::int64_t i = s; i < records; i += senders) {
          pool.send({.topic = topic, .key = payloads.key(i), .value = payloads.value(i)},
                    on_delivery);
        }
      });
    }
  }
  pool.flush(flush_timeout);
  PoolRun run{tally.result(start), {}};
  meter.stop(run.result);
  for (const auto& member : pool.stats().producers) run.routed.push_back(member.routed);
  return run;
}

// "spread 25% 25% 25% 25%": each producer's share of the records.
void print_spread(const std::vector<std::uint64_t>& routed) {
  std::uint64_t total = 0;
  for (const std::uint64_t r : routed) total += r;
  std::printf("%21s spread", "");
  for (const std::uint64_t r : routed) {
    std::printf(" %.0f%%",
                total == 0 ? 0.0 : 100.0 * static_cast<double>(r) / static_cast<double>(total));
  }
  std::printf("\n");
  std::fflush(stdout);
}

// ---------------------------------------------------------------------------- main

std::int64_t pool_benchmark(const Options& o, const Workload& workload) {
  const std::vector<PoolSetup> pools = setups(o);
  std::printf(
      "\nthroughput: %lld records of %lld bytes per run from %lld sending thread(s), first send "
      "to last report; cpu_us/rec: this process's CPU time per record;\n%s\n",
      static_cast<long long>(o.messages), static_cast<long long>(o.size),
      static_cast<long long>(o.senders), allocations_legend());
  print_run_header("pool");
  std::vector<std::vector<double>> rates(pools.size());
  std::int64_t failed = 0;
  for (std::int64_t run = 1; run <= o.runs; ++run) {
    for (std::size_t turn = 0; turn < pools.size(); ++turn) {
      // Run r starts with pool r - 1: each pool goes first once in every pools.size() runs.
      const std::size_t p = (turn + static_cast<std::size_t>(run - 1)) % pools.size();
      const PoolRun r = pool_throughput(workload, pools[p], o.messages, o.senders);
      print_run(pools[p].name.c_str(), run, r.result, o.size);
      if (r.routed.size() > 1) print_spread(r.routed);
      rates[p].push_back(r.result.records_per_second());
      failed += r.result.failed;
    }
  }
  const double base = median(rates.front());
  for (std::size_t p = 0; p < pools.size(); ++p) {
    const double rate = median(rates[p]);
    std::printf("median %-16s %9.0f records/s, %6.2f MB/s, ratio to %s: %.3f\n",
                pools[p].name.c_str(), rate, megabytes_per_second(rate, o.size),
                pools.front().name.c_str(), rate / base);
  }
  return failed;
}

int run(const Options& options) {
  const Workload workload{"producer_pool_bench", options, "mib_bench_pool_", "every producer"};
  std::printf("hardware threads: %u\n", std::thread::hardware_concurrency());
  return report_delivery(pool_benchmark(options, workload));
}

}  // namespace

int main(int argc, char** argv) {
  return run_main("producer_pool_bench", usage, [&] { return run(parse_options(argc, argv)); });
}
