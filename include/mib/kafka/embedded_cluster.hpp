// mib::EmbeddedCluster: an in-process Kafka-protocol cluster for demos and fast tests.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mib {

// librdkafka's mock cluster: N brokers listening on loopback inside this process,
// speaking enough of the Kafka protocol for produce, fetch, consumer groups, offsets
// and idempotence. It serves `mib-stream demo` and unit tests; integration tests run
// against a real broker instead, because the mock is not Kafka.
class EmbeddedCluster {
 public:
  explicit EmbeddedCluster(int brokers = 1);
  ~EmbeddedCluster();
  EmbeddedCluster(const EmbeddedCluster&) = delete;
  EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;

  // "127.0.0.1:port,..." for bootstrap.servers.
  const std::string& bootstrap_servers() const noexcept;
  int broker_count() const noexcept;

  // Creates a topic; throws mib::Exception if the cluster refuses.
  void create_topic(std::string_view name, int partitions, int replication_factor = 1);

  // Makes the next requests of a kind fail: the n-th request with Kafka API key `api_key`
  // (0 = Produce, 1 = Fetch, ...) gets the n-th error code (0 = succeed). For testing how
  // clients handle broker errors.
  void fail_next_requests(std::int16_t api_key, const std::vector<int>& error_codes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mib
