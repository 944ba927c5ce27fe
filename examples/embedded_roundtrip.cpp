// The smallest complete program: quotes through the embedded broker and back.
// Build: cmake --build --preset release; run: build/release/examples/embedded_roundtrip
#include <mib/mib.hpp>

#include <iostream>

int main() {
  using namespace std::chrono_literals;
  mib::EmbeddedCluster cluster;  // or any cluster: bootstrap.servers = "host:9092"
  cluster.create_topic("market_intel.market_data", 3);

  mib::Producer producer{{{"bootstrap.servers", cluster.bootstrap_servers()}}};
  mib::SyntheticFeed feed{{"AAPL", "MSFT", "GOOG"}};
  std::string payload;
  for (int i = 0; i < 9; ++i) {
    const mib::MarketData quote = feed.next();
    payload.clear();
    if (auto err = mib::json::encode(quote, payload)) throw mib::Exception{err};
    producer.send({.topic = "market_intel.market_data",
                   .key = quote.symbol,
                   .value = payload,
                   .headers = {{"source", "example"}}},
                  [](const mib::DeliveryReport& r) {
                    if (!r.ok()) std::cerr << "not delivered: " << r.error.message() << '\n';
                  });
  }
  producer.flush(5s);

  mib::Consumer consumer{{{"bootstrap.servers", cluster.bootstrap_servers()},
                          {"group.id", "market_intel_group.example"},
                          {"auto.offset.reset", "earliest"}}};
  consumer.subscribe({"market_intel.market_data"});
  int read = 0;
  for (auto deadline = std::chrono::steady_clock::now() + 10s;
       read < 9 && std::chrono::steady_clock::now() < deadline;) {
    auto message = consumer.poll(100ms);
    if (!message) continue;
    if (!message->ok()) {
      std::cerr << message->error().message() << '\n';
      continue;
    }
    mib::MarketData quote;
    if (auto err = mib::json::decode(message->value(), quote)) {
      std::cerr << "partition " << message->partition() << " offset " << message->offset() << ": "
                << err.message() << '\n';
      continue;
    }
    std::cout << message->partition() << '@' << message->offset() << ' ' << quote.symbol << ' '
              << quote.bid_price << " / " << quote.ask_price << '\n';
    ++read;
  }
  consumer.commit();
  return read == 9 ? 0 : 1;
}
