// Internal: the thread that serves a handle's callbacks or events (delivery reports, error
// events, statistics), for the handles that have no polling thread of the application's:
// the Producer and the Admin client.
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <functional>
#include <thread>

namespace mib::kafka {

class Poller {
 public:
  // One round of serving; it should block for a while (100 ms at most, say) when nothing
  // happens, since that bounds how soon stop() is noticed.
  using Step = std::function<void()>;

  Poller() = default;
  ~Poller() { stop(); }
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  // Runs `step` over and over until stop().
  void start(Step step);
  // Serves `handle`'s callbacks with rd_kafka_poll, each poll waiting up to 100 ms.
  void start(rd_kafka_t* handle);
  // Ends the thread after its current step and joins it. Idempotent.
  void stop();

 private:
  std::thread thread_;
  std::atomic<bool> stopping_{false};
};

}  // namespace mib::kafka
