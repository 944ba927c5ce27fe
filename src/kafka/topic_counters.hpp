// Internal: records and bytes per topic, counted on the threads that serve delivery
// reports or polls, read by scrapes: what lets producer_messages_sent_total and
// consumer_messages_received_total carry a `topic` label at the cost of a short scan.
#pragma once

#include <librdkafka/rdkafka.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace mib::kafka {

class TopicCounters {
 public:
  struct Counts {
    std::string topic;
    std::atomic<std::uint64_t> records{0};
    std::atomic<std::uint64_t> bytes{0};

    void add(std::uint64_t record_bytes) {
      records.fetch_add(1, std::memory_order_relaxed);
      bytes.fetch_add(record_bytes, std::memory_order_relaxed);
    }
    // add() where only one thread ever counts into these counts: no locked instruction.
    void add_from_one_thread(std::uint64_t record_bytes) {
      records.store(records.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
      bytes.store(bytes.load(std::memory_order_relaxed) + record_bytes, std::memory_order_relaxed);
    }
  };

  // One record of `bytes` bytes on the topic of `rkt`. Any thread; lock-free once the topic
  // has been seen (a scan of the topics seen, by pointer, then by name: librdkafka may
  // give a topic a new object).
  void add(const rd_kafka_topic_t* rkt, std::uint64_t bytes) { of(rkt).add(bytes); }
  // The counts of `rkt`'s topic, for several records of it in a row.
  Counts& of(const rd_kafka_topic_t* rkt);

  // Any thread: each topic's counts.
  void each(const std::function<void(const Counts&)>& visit) const;
  std::uint64_t total_records() const;
  std::uint64_t total_bytes() const;

 private:
  Counts& slow_of(const rd_kafka_topic_t* rkt, std::string_view name);

  // The topics seen; slots are written once, under the mutex, before `size_` counts them.
  static constexpr std::size_t kFast = 64;
  std::array<std::atomic<Counts*>, kFast> fast_{};
  std::array<std::atomic<const rd_kafka_topic_t*>, kFast> keys_{};
  std::atomic<std::size_t> size_{0};
  mutable std::mutex mutex_;
  std::deque<Counts> counts_;  // stable addresses; beyond kFast topics, found under the mutex
};

}  // namespace mib::kafka
