// Internal: delivery-report events the poller has served, destroyed on a sending thread.
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <vector>

namespace mib {

// librdkafka allocates each record (one malloc, key and value inside) on the thread that
// sends it, and frees it when its delivery-report event is destroyed. Destroyed on the
// poller, every record crossed threads in glibc's malloc (the sender's arena lock fought
// over by both threads, freed chunks that never come back to the sender's cache); a raw
// librdkafka loop that polls where it produces has neither. So the poller keeps each event
// it has served here, and the next send() destroys them on its own thread: about 3% of
// the producer's CPU (perf, bench/RESULTS.md). When no send comes, the poller destroys
// them itself after `max_wait` (they still count in queue.buffering.max.messages until
// then). While draining (a flush under way, or a transactional producer, whose commit
// waits for every record to be freed), nothing is kept: keep() destroys at once.
class SpentReports {
 public:
  static constexpr std::chrono::milliseconds max_wait{10};

  SpentReports() = default;
  SpentReports(const SpentReports&) = delete;
  SpentReports& operator=(const SpentReports&) = delete;
  ~SpentReports() { destroy_all(); }

  // The poller: keeps a served event for a sender, or destroys it while draining.
  void keep(rd_kafka_event_t* event);
  // Destroys what is kept and, until as many end_draining() calls, each event as it comes.
  void begin_draining();
  void end_draining();
  // Any thread: destroys every event kept. One relaxed load when there are none, so an
  // event kept on another thread a moment before may wait for the next call.
  void destroy_all() noexcept {
    if (count_.load(std::memory_order_relaxed) != 0) destroy_now();
  }
  // Any thread: destroys every event kept, each one kept before this call included.
  void destroy_now() noexcept;
  // The poller: how long it may wait before destroy_stale() is due; `cap` when none are kept.
  std::chrono::milliseconds next_due(std::chrono::milliseconds cap) const;
  // The poller: destroys what no sender took within max_wait.
  void destroy_stale();

 private:
  mutable std::mutex mutex_;
  std::vector<rd_kafka_event_t*> events_;           // guarded by mutex_
  std::chrono::steady_clock::time_point oldest_{};  // guarded by mutex_
  int draining_ = 0;                                // guarded by mutex_
  std::atomic<std::size_t> count_{0};               // events_.size(), for a lock-free look
};

}  // namespace mib
