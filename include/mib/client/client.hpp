// mib::Client: one cluster connection with metadata, health and connection status; it
// makes the producers and consumers that share its configuration.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "mib/admin/admin.hpp"
#include "mib/client/connection_status.hpp"
#include "mib/client/metadata.hpp"
#include "mib/config/config.hpp"
#include "mib/consumer/consumer.hpp"
#include "mib/producer/producer.hpp"

namespace mib {

// What a health check found. healthy() when there are no problems; warnings describe a
// cluster that serves but is degraded (under-replicated partitions).
struct HealthReport {
  std::vector<std::string> problems{};
  std::vector<std::string> warnings{};
  ConnectionStatus status{};
  std::size_t brokers = 0;
  std::chrono::milliseconds metadata_latency{0};

  bool healthy() const noexcept { return problems.empty(); }
};

// The summary's RedpandaClient. Thread-safe: every member may be called from any thread.
//
// Threads: the Client owns one background thread serving its librdkafka handle's events;
// status callbacks run on it. Connection status comes from librdkafka's statistics (every
// global.statistics_interval, or every second when that is 0), error events and answered
// requests: Connecting at first, Connected once a broker answers, Error(reason) when none
// can be reached (the reason names the broker and the cause) or a handshake fails.
class Client {
 public:
  // Validates the configuration (throws ConfigError listing every problem) and starts
  // connecting in the background; it does not wait for the cluster.
  explicit Client(Config config);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const Config& config() const noexcept;

  // Brokers, controller, cluster id and every topic with its partitions; throws
  // mib::Exception if the cluster does not answer within `timeout`.
  ClusterMetadata metadata(std::chrono::milliseconds timeout = std::chrono::seconds{10}) const;

  // Waits until a broker answers, up to `timeout`: the empty Error, or why none did, named
  // by broker and cause (connection refused, TLS or SASL handshake failed, unknown host).
  // Returns early on a handshake failure, or when `cancelled` (asked a few times a
  // second, if given) says so.
  Error wait_for_cluster(std::chrono::milliseconds timeout,
                         const std::function<bool()>& cancelled = {}) const;

  // Asks the cluster for metadata and reports what is wrong, if anything. Never throws.
  HealthReport health(std::chrono::milliseconds timeout = std::chrono::seconds{5}) const;

  // The cluster as a whole, and each broker by "host:port/id".
  ConnectionStatus status() const;
  std::map<std::string, ConnectionStatus> broker_status() const;

  using StatusCallback =
      std::function<void(const std::string& broker, const ConnectionStatus& status)>;
  // Called on every change, per broker (broker = "host:port/id") and overall (broker = "").
  void on_status_change(StatusCallback callback);

  // A producer with the [producer] settings.
  Producer producer() const;
  // A consumer with the [consumer] settings, subscribed to options.topics if given.
  Consumer consumer(ConsumerOptions options = {}) const;
  // An admin connection with the [librdkafka.admin] settings.
  Admin admin() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mib
