// The seed's Stream Processing Example in C++: a stream engine named "market_data_filter"
// reads quotes from `market_data`, keeps those with a spread of at most two cents, and
// writes them to `filtered_market_data`; then it prints the seed's engine metrics.
//
//   stream_filter BROKERS [TOPIC_PREFIX] [QUOTES]
//
// To be self-contained it first writes QUOTES (default 10000) synthetic quotes to the
// input topic, and stops once it has seen them all through.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "mib/mib.hpp"
#include "mib/streams.hpp"
#include "mib/streams/engine.hpp"

namespace st = mib::streams;
using namespace std::chrono_literals;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: stream_filter BROKERS [TOPIC_PREFIX] [QUOTES]\n");
    return 2;
  }
  const std::string prefix = argc > 2 ? argv[2] : "";
  const std::string input = prefix + "market_data";
  const std::string output = prefix + "filtered_market_data";
  const std::uint64_t quotes = argc > 3 ? std::stoull(argv[3]) : 10'000;

  mib::Config config;
  config.set("brokers.addresses", argv[1]);
  config.set("consumer.auto_offset_reset", "earliest");
  mib::Client client{config};

  {  // the input: synthetic quotes
    mib::Producer producer = client.producer();
    mib::SyntheticFeed feed{{"AAPL", "MSFT", "NVDA", "AMZN"}};
    for (std::uint64_t i = 0; i < quotes; ++i) producer.send(input, feed.next());
    if (mib::Error e = producer.flush(30s)) {
      std::fprintf(stderr, "stream_filter: %s\n", e.message().c_str());
      return 1;
    }
  }

  st::Topology topology;
  topology.stream<mib::MarketData>(input)
      .filter([](const mib::MarketData& q) { return q.ask_price - q.bid_price <= 0.02 + 1e-9; })
      .to(output);

  st::Engine engine{"market_data_filter", topology, client};
  engine.start();
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (engine.metrics().records_processed < quotes &&
         engine.status().state != st::EngineState::failed &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
  }
  const st::EngineMetrics m = engine.metrics();
  std::printf("status: %s\n", st::to_string(engine.status()).c_str());
  std::printf("Processing rate: %.0f records/sec\n", m.processing_rate);
  engine.stop();
  const st::EngineMetrics end = engine.metrics();
  std::printf("processed %llu, output %llu to %s, errors %llu, uptime %lld ms\n",
              static_cast<unsigned long long>(end.records_processed),
              static_cast<unsigned long long>(end.records_output), output.c_str(),
              static_cast<unsigned long long>(end.errors),
              static_cast<long long>(end.uptime.count()));
  return end.records_processed == quotes && end.errors == 0 ? 0 : 1;
}
