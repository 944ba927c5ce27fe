// mib::streams::Engine: runs a Topology on a cluster — the seed's StreamEngine. It reads the
// topology's source topics in a consumer group, pushes each record through the topology,
// sends what reaches the sinks with a producer, and commits at least once: a batch's
// offsets only after everything it sent is delivered. A record that does not decode, or
// that an operator throws on, goes to its topic's dead-letter topic (<topic>.dlq) with the
// reason in its mib.dlq.* headers, and the stream goes on.
//
//   st::Engine engine{"market_data_filter", topology, client};
//   engine.start();
//   ...
//   auto m = engine.metrics();        // records processed, output, rates, errors, uptime
//   engine.stop();
//
// Window state is in memory: a restart starts the open windows again from the records read
// after the last commit (a changelog topic and a persistent store come with a later issue).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "mib/error.hpp"
#include "mib/metrics/http_server.hpp"
#include "mib/metrics/latency_histogram.hpp"
#include "mib/streams/topology.hpp"

namespace mib {
class Client;
class Consumer;
class Producer;
}  // namespace mib

namespace mib::streams {

enum class EngineState { stopped, starting, running, stopping, failed };

struct EngineStatus {
  EngineState state = EngineState::stopped;
  std::string reason{};  // why it failed
  friend bool operator==(const EngineStatus&, const EngineStatus&) = default;
};
// "Stopped", "Starting", "Running", "Stopping", "Failed(reason)".
std::string to_string(const EngineStatus& status);

struct EngineOptions {
  // A record's dead-letter topic is its topic + this suffix. Empty: a record that cannot
  // be processed stops the engine instead (Failed, naming the record).
  std::string dead_letter_suffix = ".dlq";
  // How often rates are recomputed, and the longest wait between wall-clock steps when no
  // record comes (windows closed by wall-clock time, idle partitions).
  std::chrono::milliseconds tick{100};
  // How often the records sent are flushed and the input's offsets committed (at least
  // once: offsets only after what they led to is delivered); records flow on in between.
  // 0: after every polled batch, which waits for its sends each time.
  std::chrono::milliseconds commit_interval{100};
};

// The seed's engine metrics, since start().
struct EngineMetrics {
  std::uint64_t records_processed = 0;  // input records through the topology, or dead-lettered
  std::uint64_t records_output = 0;     // records sent to sink topics
  std::uint64_t errors = 0;             // input records that failed (then went to the DLQ)
  std::uint64_t dead_letters = 0;
  std::uint64_t late_records = 0;  // records later than a window's grace
  double processing_rate = 0;      // input records per second, over the last second
  double throughput = 0;           // output records per second, over the last second
  double error_rate = 0;           // errors / records processed, since start
  std::uint64_t buffer_size = 0;   // records polled from the cluster, not yet processed
  std::size_t state_bytes = 0;     // held by window state (an estimate)
  std::chrono::milliseconds uptime{};
  LatencyHistogram::Snapshot processing_duration{};  // per input record (one in 16 timed)
};

class Engine {
 public:
  // Makes its own consumer (group.id = `name`, unless the client's Config sets
  // streams.application_id) and producer from the client's Config.
  Engine(std::string name, Topology& topology, const Client& client, EngineOptions options = {});
  // Borrows them: they must outlive the engine, and nothing else may poll the consumer.
  Engine(std::string name, Topology& topology, Consumer& consumer, Producer& producer,
         EngineOptions options = {});
  // Stops (see stop()).
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Subscribes to the topology's source topics and starts the loop on a thread of its own.
  // Returns at once: Starting, then Running after its first poll. Throws mib::Exception
  // when already started.
  void start();
  // Finishes the record in hand, flushes what was sent, commits, and stops: Stopped, or
  // Failed if the loop had failed. Idempotent.
  void stop();
  // Waits until the loop ends by itself (a failure); the error that ended it.
  Error wait();

  EngineStatus status() const;
  bool running() const;
  EngineMetrics metrics() const;
  const std::string& name() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Readiness for mib::metrics::HttpServer: ready only while the engine is Running.
metrics::Check running(const Engine& engine);

}  // namespace mib::streams
