// Uses the installed library as an outside project would: one record through the
// embedded broker and back.
#include <mib/mib.hpp>

#include <iostream>

int main() {
  mib::EmbeddedCluster cluster;
  cluster.create_topic("outside", 1);
  mib::Producer producer{{{"bootstrap.servers", cluster.bootstrap_servers()}}};
  if (auto report = producer.send({.topic = "outside", .key = "k", .value = "hello"}).get();
      !report.ok()) {
    std::cerr << report.error.message() << '\n';
    return 1;
  }
  mib::Consumer consumer{{{"bootstrap.servers", cluster.bootstrap_servers()},
                          {"group.id", "outside"},
                          {"auto.offset.reset", "earliest"}}};
  consumer.subscribe({"outside"});
  for (int i = 0; i < 100; ++i) {
    if (auto m = consumer.poll(std::chrono::milliseconds{100}); m && m->ok()) {
      std::cout << "read back: " << m->value() << '\n';
      return m->value() == "hello" ? 0 : 1;
    }
  }
  std::cerr << "nothing read back\n";
  return 1;
}
