// `mib-stream demo`: synthetic quotes through a cluster and back, with a live summary.
#include <atomic>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <thread>

#include "cli_config.hpp"
#include "commands.hpp"
#include "interrupt.hpp"
#include "mib/mib.hpp"
#include "serve_options.hpp"

namespace mib::cli {
namespace {

struct DemoOptions {
  ConnectionOptions connection;  // without -b (and brokers from -F or the environment): embedded
  std::string duration = "10s";
  std::string topic = "market_intel.market_data";
  std::vector<std::string> symbols{"AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "TSLA"};
  int partitions = 3;
  // Quotes per second; 0 = as fast as the producer takes them. The default suits the
  // embedded broker, which keeps a bounded log and would drop what a slower reader missed.
  long rate = 50'000;
  ServeOptions serve;
};

struct Totals {
  std::atomic<std::uint64_t> produced{0};
  std::atomic<std::uint64_t> delivered{0};
  std::atomic<std::uint64_t> failed{0};
  std::atomic<std::uint64_t> not_sent{0};  // purged at close: the run ended first
  std::atomic<std::uint64_t> consumed{0};
  std::atomic<std::uint64_t> undecodable{0};
};

void produce_quotes(Producer& producer, const DemoOptions& options, Totals& totals,
                    const std::atomic<bool>& stop) {
  SyntheticFeed feed{options.symbols};
  std::string payload;
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t sent = 0;
  while (!stop.load(std::memory_order_relaxed)) {
    if (options.rate > 0) {
      // Pace to the requested rate without drifting: sleep until the next send is due.
      const auto due = start + std::chrono::microseconds{sent * 1'000'000 /
                                                         static_cast<std::uint64_t>(options.rate)};
      std::this_thread::sleep_until(due);
    }
    const MarketData quote = feed.next();
    payload.clear();
    if (Error e = json::encode(quote, payload)) throw Exception{e};  // the feed's prices are finite
    producer.send({.topic = options.topic, .key = quote.symbol, .value = payload},
                  [&totals](const DeliveryReport& report) {
                    if (report.ok()) {
                      totals.delivered.fetch_add(1, std::memory_order_relaxed);
                    } else if (report.purged()) {
                      totals.not_sent.fetch_add(1, std::memory_order_relaxed);
                    } else {
                      totals.failed.fetch_add(1, std::memory_order_relaxed);
                      std::cerr << "delivery failed: " << report.error.message() << '\n';
                    }
                  });
    totals.produced.fetch_add(1, std::memory_order_relaxed);
    ++sent;
  }
}

void print_summary(double seconds, std::uint64_t produced_per_s, std::uint64_t consumed_per_s,
                   const std::map<std::string, double>& last_price) {
  std::printf("[%5.1fs] produced %8llu msg/s  consumed %8llu msg/s |", seconds,
              static_cast<unsigned long long>(produced_per_s),
              static_cast<unsigned long long>(consumed_per_s));
  for (const auto& [symbol, price] : last_price) std::printf(" %s %.2f", symbol.c_str(), price);
  std::printf("\n");
  std::fflush(stdout);
}

int run_demo(DemoOptions options) {
  const auto duration = parse_duration(options.duration);
  if (!duration) {
    throw Exception{Error{
        errc::invalid_argument,
        "--duration: '" + options.duration + "' is not a duration (examples: 10s, 1m30s, 500ms)"}};
  }
  watch_interrupts();
  // The same Config as every command: file, environment, -b and -X; the cluster is the
  // embedded broker unless one was named.
  Config config = load_config(options.connection);
  std::optional<EmbeddedCluster> embedded;
  if (config.origin("brokers.addresses") == Origin::default_value) {
    embedded.emplace(1);
    embedded->create_topic(options.topic, options.partitions);
    config.set("brokers.addresses", embedded->bootstrap_servers());
  }
  config.set("client.client_id", "market_intel_client.demo");
  config.set("consumer.auto_offset_reset", "earliest");
  prepare_serving(options.serve, config);
  const std::string brokers = config.bootstrap_servers();
  if (embedded) {
    std::printf("embedded broker at %s, topic %s (%d partitions)\n", brokers.c_str(),
                options.topic.c_str(), options.partitions);
  } else {
    std::printf("cluster %s, topic %s\n", brokers.c_str(), options.topic.c_str());
  }

  Producer producer{config};
  Consumer consumer{config,
                    {.group_id = "market_intel_group.demo." + std::to_string(::getpid()),
                     .topics = {options.topic}}};
  const auto http = serve(options.serve, config);
  if (http) {
    http->add_liveness_check("producer", metrics::alive(producer));
    http->add_readiness_check("brokers", metrics::reachable(producer));
    http->add_readiness_check("consumer", metrics::assigned(consumer));
  }
  // Produce only once the group has given us the partitions, so the live view starts full.
  std::printf("joining consumer group...\n");
  std::fflush(stdout);
  const auto join_deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
  while (consumer.assignment().empty() && !interrupted() &&
         std::chrono::steady_clock::now() < join_deadline) {
    if (auto m = consumer.poll(std::chrono::milliseconds{100}); m && !m->ok()) {
      std::cerr << "consume error: " << m->error().message() << '\n';
    }
  }

  Totals totals;
  std::atomic<bool> stop_producing{false};
  std::thread producer_thread{[&] { produce_quotes(producer, options, totals, stop_producing); }};

  std::map<std::string, double> last_price;
  MarketData quote;
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + *duration;
  auto next_report = start + std::chrono::seconds{1};
  std::uint64_t produced_before = 0, consumed_before = 0;
  const auto consume_one = [&](std::chrono::milliseconds timeout) {
    auto message = consumer.poll(timeout);
    if (!message) return;
    if (!message->ok()) {
      std::cerr << "consume error: " << message->error().message() << '\n';
      return;
    }
    if (json::decode(message->value(), quote)) {
      totals.undecodable.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    last_price[quote.symbol] = quote.last_price;
    totals.consumed.fetch_add(1, std::memory_order_relaxed);
  };

  while (!interrupted() && std::chrono::steady_clock::now() < end) {
    consume_one(std::chrono::milliseconds{100});
    if (const auto now = std::chrono::steady_clock::now(); now >= next_report) {
      const auto produced = totals.produced.load(), consumed = totals.consumed.load();
      print_summary(std::chrono::duration<double>(now - start).count(), produced - produced_before,
                    consumed - consumed_before, last_price);
      produced_before = produced;
      consumed_before = consumed;
      next_report += std::chrono::seconds{1};
    }
  }
  stop_producing.store(true);
  producer_thread.join();
  // Also after Ctrl-C: what was accepted is flushed, up to a bound said out loud.
  constexpr auto flush_timeout = std::chrono::seconds{10};
  if (interrupted()) {
    std::printf("interrupted; flushing %zu quotes (up to %lld s)\n", producer.in_flight(),
                static_cast<long long>(flush_timeout.count()));
    std::fflush(stdout);
  }
  if (auto err = producer.flush(flush_timeout)) {
    std::cerr << "flush: " << err.message() << '\n';
  }
  // Read what is still on its way, so the totals below can be compared.
  const auto drain_deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
  while (!interrupted() && totals.consumed.load() < totals.delivered.load() &&
         std::chrono::steady_clock::now() < drain_deadline) {
    consume_one(std::chrono::milliseconds{100});
  }
  consumer.close();
  producer.close(std::chrono::milliseconds{0});  // what flush left is purged: not sent

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "produced %llu: %llu delivered, %llu failed, %llu not sent; consumed %llu, undecodable "
      "%llu in %.1fs\n",
      static_cast<unsigned long long>(totals.produced.load()),
      static_cast<unsigned long long>(totals.delivered.load()),
      static_cast<unsigned long long>(totals.failed.load()),
      static_cast<unsigned long long>(totals.not_sent.load()),
      static_cast<unsigned long long>(totals.consumed.load()),
      static_cast<unsigned long long>(totals.undecodable.load()), seconds);
  if (totals.failed.load() > 0 || totals.undecodable.load() > 0) return 1;
  if (interrupted()) return interrupted_status();
  const bool complete =
      totals.not_sent.load() == 0 && totals.consumed.load() == totals.delivered.load();
  return complete ? 0 : 1;
}

}  // namespace

void add_demo(CLI::App& app) {
  auto options = std::make_shared<DemoOptions>();
  auto* cmd = app.add_subcommand(
      "demo",
      "Stream synthetic quotes through a cluster (embedded unless --brokers) and "
      "show a live summary");
  add_connection_options(*cmd, options->connection);
  cmd->add_option("-d,--duration", options->duration, "how long to run, e.g. 10s, 2m")
      ->capture_default_str();
  cmd->add_option("-t,--topic", options->topic, "topic to use")->capture_default_str();
  cmd->add_option("-s,--symbols", options->symbols, "symbols to quote")->delimiter(',');
  cmd->add_option("-p,--partitions", options->partitions, "partitions (embedded broker)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  cmd->add_option("-r,--rate", options->rate, "quotes per second; 0 = as fast as possible")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  add_serve_options(*cmd, options->serve);
  cmd->callback([options] {
    const int code = run_demo(*options);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace mib::cli
