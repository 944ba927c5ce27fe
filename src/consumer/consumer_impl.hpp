// Internal: the Consumer's state, shared by its source files.
#pragma once

#include <atomic>
#include <vector>

#include "consumer/done_offsets.hpp"
#include "kafka/connection_watch.hpp"
#include "kafka/handle.hpp"
#include "kafka/statistics_metrics.hpp"
#include "kafka/topic_counters.hpp"
#include "mib/consumer/consumer.hpp"
#include "mib/metrics/registry.hpp"

namespace mib {

// A single writer (the polling thread) and readers anywhere: a relaxed load and store,
// no locked instruction, per update.
struct Counter {
  std::atomic<std::uint64_t> value{0};
  void add(std::uint64_t n) noexcept {
    value.store(value.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  std::uint64_t get() const noexcept { return value.load(std::memory_order_relaxed); }
};

struct Consumer::Impl {
  // Shared with every Message read: librdkafka's handle may only be destroyed once all
  // its messages are, so the last of them (or the consumer) releases it.
  std::shared_ptr<rd_kafka_t> handle;
  rd_kafka_queue_t* queue = nullptr;  // the consumer queue, for batch reads
  Consumer* owner = nullptr;          // passed to the rebalance listener
  ConsumerOptions options;
  std::string group_id;
  bool auto_commit = true;
  StartWhenUnknown start_when_unknown = StartWhenUnknown::latest;
  std::atomic<bool> closed{false};
  bool closing = false;  // close() has begun (the polling thread's, or the last one)

  // Records handed out by poll() / poll_batch() and not yet done with: noted as done at
  // the next poll, commit() or close(), when the application is done with them.
  struct Consumed {
    DoneOffsets::Slot* slot;  // its partition
    std::int64_t next_offset;
  };
  std::vector<Consumed> consumed;
  std::vector<rd_kafka_topic_t*> topic_refs;  // our references to topics seen
  // Where the application is done with each partition, for librdkafka's offset store.
  DoneOffsets done{[this](const Error& e) { report(e); }};

  // Set while on_assigned runs: seek() then moves where a partition starts instead.
  rd_kafka_topic_partition_list_t* assigning = nullptr;

  kafka::TopicCounters received;  // records and key + value bytes polled, by topic
  // The counts of the topic last polled, found by pointer alone: topic_refs keeps that
  // topic object alive, so no other topic can come back at its address.
  const rd_kafka_topic_t* counted_topic = nullptr;
  kafka::TopicCounters::Counts* counted = nullptr;
  std::string_view counted_name;  // its name, for the records' topic()
  SizeHistogram record_size;
  Counter rebalances;
  std::atomic<std::uint64_t> errors{0};  // also counted from librdkafka's threads
  LatencyHistogram poll_duration;
  // Partitions assigned, counted where the assignment changes, so that another thread (a
  // readiness probe) can read it without calling librdkafka on a handle being closed.
  std::atomic<std::size_t> assigned{0};
  void count_assignment();
  kafka::StatisticsMetrics statistics{kafka::StatisticsMetrics::Kind::consumer};
  std::string name;  // rd_kafka_name(): the `client` label and log field

  Impl(KafkaProperties properties, ConsumerOptions options);
  ~Impl();

  // librdkafka callbacks.
  static void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t* partitions, void* opaque);
  static void on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque);
  static void on_commit(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                        rd_kafka_topic_partition_list_t* offsets, void* opaque);
  static int on_statistics(rd_kafka_t* rk, char* json, size_t size, void* opaque);

  void report(const Error& error);
  void tell(const PartitionsCallback& callback, const char* listener,
            const std::vector<TopicPartition>& partitions);
  void check_open(const char* call) const;

  // Counts a message read (a record, or an error) and wraps it into `out`; with `note`,
  // the record counts as consumed at the next done_with_consumed().
  void accept(rd_kafka_message_t* m, bool note, Message& out);
  // Notes `m` as handed out; done_with_consumed() marks the noted records done with.
  void note_consumed(rd_kafka_message_t* m);
  // At each poll: the records handed out before are done with (nothing while holding).
  // A plain store per partition: librdkafka hears of it at the next store_consumed().
  void done_with_consumed();
  // Where offsets are committed or partitions change hands: the same, then every offset
  // done with goes to librdkafka's offset store at once.
  void store_consumed();
  void store_now();  // store_consumed(), held records included
  // Consumer::hold_offsets(): records count as consumed only at release_offsets().
  bool holding = false;
  // True for one call in 16: which poll() calls are timed.
  bool sample() noexcept { return (++sample_tick & 15U) == 0; }
  std::uint32_t sample_tick = 0;
  rd_kafka_topic_t* topic_ref(rd_kafka_topic_t* topic);

  // One poll of up to `max` records into `out` (cleared first); counts and times it.
  // With `note`, the records count as consumed at the next store_consumed().
  void read(std::vector<Message>& out, std::size_t max, std::chrono::milliseconds timeout,
            bool note);

  Error seek(rd_kafka_topic_partition_list_t* partitions, std::chrono::milliseconds timeout);
  // A seek back: records at or after the new offsets no longer count as consumed.
  void unconsume_from(const rd_kafka_topic_partition_list_t* partitions);
  // seek() on a hand-assigned partition that has not started reading: assigns again with
  // the new offsets instead. False when a plain seek is safe.
  bool reassign_to_seek(const rd_kafka_topic_partition_list_t* partitions);
  std::vector<TopicPartition> manual_assignment;  // what assign() was given, if used

  // Where a seek to a time put a partition. librdkafka 2.0.2 can still hand out records
  // from before it when the seek races the partition's start (seen about once in 200
  // runs: a whole partition from offset 0, or one stale record), and a caller replaying
  // from a moment must never see those. Records below a floor are dropped until the
  // first at or after it arrives; any later seek or (re)assignment forgets the floors.
  struct Floor {
    std::string topic;
    std::int32_t partition;
    std::int64_t offset;
  };
  std::vector<Floor> floors;
  void set_floors(const rd_kafka_topic_partition_list_t* partitions);
  // True for a record below its partition's floor (the caller drops it).
  bool below_floor(const rd_kafka_message_t* m);
  // rd_kafka_consumer_poll() without the records below a floor.
  rd_kafka_message_t* poll_one(std::chrono::milliseconds timeout);

  // Lag of each assigned partition from the watermarks of the last fetches (no request):
  // what metrics().lag sums and consumer_lag exports.
  std::vector<PartitionLag> cached_lags() const;
  ConsumerMetrics metrics_view() const;

  void close();

  // Last, so it goes first: no scrape reads a member being destroyed.
  metrics::Registration registration;
};

// The consumer's families (consumer_*), from the same counters metrics() reads.
void collect_consumer_metrics(metrics::Collection& out, const std::string& client,
                              const ConsumerMetrics& m, const kafka::TopicCounters& received,
                              const std::vector<PartitionLag>& lags);

}  // namespace mib
