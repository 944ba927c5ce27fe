// Internal: the thread that serves a handle's callbacks (delivery reports, error events,
// statistics) with rd_kafka_poll, for the handles that have no polling thread of the
// application's: the Producer and the Client.
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

namespace mib::kafka {

class Poller {
 public:
  // How long the next poll may wait (a producer's next due retry shortens it).
  using NextWait = std::function<std::chrono::milliseconds()>;
  // Runs after each poll with the number of callbacks it served.
  using AfterPoll = std::function<void(int served)>;

  Poller() = default;
  ~Poller() { stop(); }
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  // Starts polling `handle` until stop(); without `next_wait`, each poll waits up to 100 ms
  // (how soon stop() is noticed when nothing happens).
  void start(rd_kafka_t* handle, NextWait next_wait = {}, AfterPoll after = {});
  // Ends the thread after its current poll and joins it. Idempotent.
  void stop();

 private:
  std::thread thread_;
  std::atomic<bool> stopping_{false};
};

}  // namespace mib::kafka
