// The summary's Producer Example: one market data record to a real cluster.
// Run: build/release/examples/producer [BROKERS [TOPIC]]
//      (brokers default to $REDPANDA_BROKERS / $MIB_BROKERS_ADDRESSES, else localhost:9092)
#include <mib/mib.hpp>

#include <chrono>
#include <iostream>
#include <string>

namespace {

// {"symbol":"AAPL","price":150.25,"volume":1000,"timestamp":"2026-...Z"}
std::string market_data_json() {
  std::string json = R"({"symbol":"AAPL","price":150.25,"volume":1000,"timestamp":")";
  mib::rfc3339::format(std::chrono::time_point_cast<std::chrono::milliseconds>(mib::Clock::now()),
                       json);
  json += "\"}";
  return json;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    mib::Config config = mib::Config::from_environment();
    if (argc > 1) config.set("brokers.addresses", argv[1]);
    const std::string topic = argc > 2 ? argv[2] : "market_data";

    mib::Client client{config};
    mib::Producer producer = client.producer();
    const mib::DeliveryReport report =
        producer.send({.topic = topic, .key = "AAPL", .value = market_data_json()}).get();
    if (!report.ok()) {
      std::cerr << "not delivered to " << topic << ": " << report.error.message() << '\n';
      return 1;
    }
    std::cout << "delivered to " << report.topic << '[' << report.partition << "]@" << report.offset
              << '\n';
    return 0;
  } catch (const mib::Exception& e) {  // bad configuration or unusable client settings
    std::cerr << e.what() << '\n';
    return 1;
  }
}
