// Nexmark per core: each query over the generator on one thread (events made included),
// each run in its own child process so that its peak memory is its own, next to the
// published per-core figures of Flink 1.13 (nexmark/nexmark README) and DBSP/Feldera.
//
//   build/release/bench/nexmark_bench [--events 10000000] [--runs 3] [--queries q0,q5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "mib/nexmark/generator.hpp"
#include "mib/nexmark/run.hpp"

namespace nx = mib::nexmark;

namespace {

struct Published {
  const char* query;
  double flink;  // events/s per core, Flink 1.13
  double dbsp;   // events/s per core, DBSP/Feldera (0: not published here)
};
constexpr Published published[] = {
    {"q0", 155e3, 936e3}, {"q1", 158e3, 856e3}, {"q2", 175e3, 874e3},
    {"q3", 152e3, 804e3}, {"q4", 34e3, 0},      {"q5", 22e3, 0},
    {"q7", 12e3, 0},      {"q8", 146e3, 0},     {"q11", 40e3, 0},
};

// What making the events alone costs: the floor under every query.
nx::Summary generator_only(const nx::GeneratorConfig& config) {
  nx::Generator gen{config};
  std::size_t bytes = 0;
  const auto start = std::chrono::steady_clock::now();
  while (gen.has_next()) {
    const nx::Event e = gen.next();
    bytes += std::visit([](const auto& x) { return x.extra.size(); }, e);
  }
  nx::Summary s;
  s.query = "generator";
  s.events = gen.made();
  s.results = bytes;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  s.events_per_second = static_cast<double>(s.events) / s.seconds;
  return s;
}

double run_child(const std::string& query, const nx::GeneratorConfig& config, int run) {
  return mib::bench::in_child([&] {
    const nx::Summary s = query == "generator" ? generator_only(config) : nx::run(query, config);
    std::printf("%-10s %3d %14.0f %12llu %18llx %8.1f %9ld\n", query.c_str(), run,
                s.events_per_second, static_cast<unsigned long long>(s.results),
                static_cast<unsigned long long>(s.digest),
                static_cast<double>(s.state_bytes) / 1048576.0, mib::bench::peak_rss_kib() / 1024);
    return s.events_per_second;
  });
}

}  // namespace

int main(int argc, char** argv) {
  nx::GeneratorConfig config;
  int runs = 3;
  std::string only;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--events") == 0)
      config.events = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--runs") == 0) runs = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--queries") == 0) only = argv[i + 1];
  }
  std::printf(
      "nexmark_bench: %llu events per run at %.0f events/s of event time, one thread, "
      "generator included\n",
      static_cast<unsigned long long>(config.events), config.rate);
  std::printf("%-10s %3s %14s %12s %18s %8s %9s\n", "query", "run", "events/s", "results", "digest",
              "state_MiB", "peak_MiB");
  std::vector<std::string> names{"generator"};
  for (const auto& q : nx::queries()) names.push_back(q);
  struct Row {
    std::string query;
    double rate;
  };
  std::vector<Row> rows;
  for (const auto& q : names) {
    if (!only.empty() && ("," + only + ",").find("," + q + ",") == std::string::npos) continue;
    std::vector<double> rates;
    for (int run = 1; run <= runs; ++run) rates.push_back(run_child(q, config, run));
    std::sort(rates.begin(), rates.end());
    rows.push_back({q, rates[rates.size() / 2]});
  }
  std::printf("\n%-10s %14s %12s %8s %9s %12s %8s %8s\n", "query", "median ev/s", "Flink 1.13",
              "x Flink", "goal 10x", "DBSP", "x DBSP", "goal 3M");
  for (const Row& r : rows) {
    const auto* p = std::find_if(std::begin(published), std::end(published),
                                 [&](const Published& x) { return r.query == x.query; });
    if (p == std::end(published)) {
      std::printf("%-10s %14.0f\n", r.query.c_str(), r.rate);
      continue;
    }
    const bool first_four =
        r.query == "q0" || r.query == "q1" || r.query == "q2" || r.query == "q3";
    std::printf("%-10s %14.0f %12.0f %8.1f %9s", r.query.c_str(), r.rate, p->flink,
                r.rate / p->flink, r.rate >= 10 * p->flink ? "met" : "MISSED");
    if (p->dbsp > 0) {
      std::printf(" %12.0f %8.2f %8s\n", p->dbsp, r.rate / p->dbsp,
                  !first_four ? "" : (r.rate >= 3e6 ? "met" : "MISSED"));
    } else {
      std::printf("\n");
    }
  }
  return 0;
}
