// Tumbling one-second VWAP and OHLCV bars over trades, by symbol, on a cluster:
//
//   vwap_bars BROKERS [TOPIC_PREFIX]
//
// It writes three seconds of trades (with their own event times) to `trades`, runs one
// engine with two aggregations of the same windows, and prints each bar as it reads it
// back from `vwap_1s` and `bars_1s`.
#include <chrono>
#include <cstdio>
#include <string>

#include "mib/mib.hpp"
#include "mib/streams.hpp"
#include "mib/streams/engine.hpp"

namespace st = mib::streams;
using namespace std::chrono_literals;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: vwap_bars BROKERS [TOPIC_PREFIX]\n");
    return 2;
  }
  const std::string prefix = argc > 2 ? argv[2] : "";
  const std::string trades = prefix + "trades";
  mib::Config config;
  config.set("brokers.addresses", argv[1]);
  config.set("consumer.auto_offset_reset", "earliest");
  mib::Client client{config};

  // Trades every 10 ms for 3 s, then one per symbol at 10 s that
  // closes every window.
  const auto start = std::chrono::floor<std::chrono::minutes>(mib::Clock::now());
  {
    mib::Producer producer = client.producer();
    const auto send = [&](const char* symbol, std::uint64_t quantity, double price, int ms) {
      mib::Trade t;
      t.symbol = symbol;
      t.quantity = quantity;
      t.price = price;
      t.timestamp = start + std::chrono::milliseconds{ms};
      producer.send(trades, t);
    };
    for (int ms = 0; ms < 3000; ms += 10) {
      send("AAPL", 100 + ms % 7, 190.0 + ms / 1000.0, ms);
      send("MSFT", 50 + ms % 5, 410.0 - ms / 1000.0, ms + 5);
    }
    send("AAPL", 1, 190.0, 10'000);
    send("MSFT", 1, 410.0, 10'000);
    if (mib::Error e = producer.flush(30s)) {
      std::fprintf(stderr, "vwap_bars: %s\n", e.message().c_str());
      return 1;
    }
  }

  st::Topology topology;
  auto windows = topology
                     .stream<mib::Trade>(
                         trades, {.event_time = st::event_time(&mib::Trade::timestamp),
                                  // a partition no symbol hashes to holds windows back this long
                                  .idle_partition_after = 2s})
                     .key_by(&mib::Trade::symbol)
                     .window(st::Tumbling{1s}.grace(200ms));
  windows.aggregate(st::vwap(&mib::Trade::price, &mib::Trade::quantity), "vwap-1s")
      .to(prefix + "vwap_1s");
  windows.aggregate(st::ohlcv(&mib::Trade::price, &mib::Trade::quantity), "bars-1s")
      .to(prefix + "bars_1s");
  st::Engine engine{"vwap_bars", topology, client};
  engine.start();

  mib::Consumer reader = client.consumer({.group_id = prefix + "vwap_bars_reader",
                                          .topics = {prefix + "vwap_1s", prefix + "bars_1s"}});
  int read = 0;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (read < 12 && std::chrono::steady_clock::now() < deadline) {
    for (const mib::Message& m : reader.poll_batch(200ms)) {
      if (!m.ok()) continue;
      std::printf("%s %.*s\n", std::string{m.topic()}.c_str(), static_cast<int>(m.value().size()),
                  m.value().data());
      ++read;
    }
  }
  engine.stop();
  std::printf("bars read: %d, engine %s, late records %llu\n", read,
              st::to_string(engine.status()).c_str(),
              static_cast<unsigned long long>(engine.metrics().late_records));
  return read == 12 ? 0 : 1;
}
