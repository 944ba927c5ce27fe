// `mib-stream nexmark --query qN --events N [--json]`: runs one Nexmark query over the
// generator on one thread, in process, and prints what came out and the events per second
// (making the events included, as Nexmark's published figures are).
#include <sys/resource.h>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "commands.hpp"
#include "json_out.hpp"
#include "mib/nexmark/run.hpp"

namespace mib::cli {
namespace {

struct NexmarkOptions {
  std::string query = "q0";
  std::uint64_t events = 10'000'000;
  double rate = 10'000'000;
  std::uint64_t out_of_order = 1;
  bool json = false;
};

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

void run_nexmark(const NexmarkOptions& o) {
  const nexmark::Summary s = nexmark::run(
      o.query, {.events = o.events, .rate = o.rate, .out_of_order_group = o.out_of_order});
  char digest[24];
  std::snprintf(digest, sizeof digest, "%016llx", static_cast<unsigned long long>(s.digest));
  if (o.json) {
    JsonOut out;
    out.begin_object()
        .field("query", s.query)
        .field("events", s.events)
        .field("results", s.results)
        .field("digest", std::string{digest})
        .field("seconds", s.seconds)
        .field("events_per_second", s.events_per_second)
        .field("state_bytes", s.state_bytes)
        .field("peak_rss_mib", peak_rss_mib())
        .end_object();
    std::cout << out.text() << '\n';
    return;
  }
  std::printf(
      "nexmark %s: %llu events, %llu results (digest %s), %.3f s, %.0f events/s on one "
      "thread; state %zu bytes at the end of input, peak RSS %.1f MiB\n",
      s.query.c_str(), static_cast<unsigned long long>(s.events),
      static_cast<unsigned long long>(s.results), digest, s.seconds, s.events_per_second,
      s.state_bytes, peak_rss_mib());
}

}  // namespace

void add_nexmark(CLI::App& app) {
  auto options = std::make_shared<NexmarkOptions>();
  auto* cmd = app.add_subcommand(
      "nexmark", "Run a Nexmark query over the generator in process and print its events/s");
  cmd->add_option("--query,-q", options->query, "q0, q1, q2, q3, q4, q5, q7, q8 or q11")
      ->capture_default_str();
  cmd->add_option("--events,-n", options->events, "Events to generate")->capture_default_str();
  cmd->add_option("--rate", options->rate, "Events per second of event time")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--out-of-order", options->out_of_order,
                  "Events per group whose times are shuffled (1: in order)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--json", options->json, "One JSON object instead of a line of text");
  cmd->callback([options] { run_nexmark(*options); });
}

}  // namespace mib::cli
