// The summary's Consumer Example: read market data in a consumer group, committing each record.
// Run: build/release/examples/consumer [BROKERS [TOPIC [COUNT]]]
//      (brokers default to $REDPANDA_BROKERS / $MIB_BROKERS_ADDRESSES, else localhost:9092;
//      it stops after COUNT records, or once no record came for 10 s)
#include <mib/mib.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  try {
    mib::Config config = mib::Config::from_environment();
    if (argc > 1) config.set("brokers.addresses", argv[1]);
    const std::string topic = argc > 2 ? argv[2] : "market_data";
    const long count = argc > 3 ? std::atol(argv[3]) : 0;  // 0: until idle
    // A group new to the topic starts at its oldest record, so it sees what
    // examples/producer wrote before it started.
    config.set("consumer.auto_offset_reset", "earliest");

    mib::Client client{config};
    // Joins the group and subscribes to the topic.
    mib::Consumer consumer = client.consumer({.group_id = "market_data_group", .topics = {topic}});

    long received = 0;
    auto idle_since = std::chrono::steady_clock::now();
    while (count == 0 || received < count) {
      const std::optional<mib::Message> message = consumer.poll(1s);
      if (!message) {
        if (std::chrono::steady_clock::now() - idle_since > 10s) break;
        continue;
      }
      idle_since = std::chrono::steady_clock::now();
      if (!message->ok()) {  // for example the topic does not exist (yet)
        std::cerr << message->error().message() << '\n';
        continue;
      }
      ++received;
      std::cout << "received " << message->topic() << '[' << message->partition() << "]@"
                << message->offset() << " key=" << message->key() << " value=" << message->value()
                << '\n';
      // As the summary does: commit each record once it is handled. (Auto-commit, the
      // default, or commit_async() cost less per record.)
      if (const mib::Error err = consumer.commit()) {
        std::cerr << "commit failed: " << err.message() << '\n';
        return 1;
      }
    }
    std::cout << received << " records received\n";
    consumer.close();  // leaves the group at once rather than when its session times out
    return received > 0 ? 0 : 1;
  } catch (const mib::Exception& e) {  // bad configuration or unusable client settings
    std::cerr << e.what() << '\n';
    return 1;
  }
}
