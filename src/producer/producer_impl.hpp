// Internal: the Producer's state, shared by its source files.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "kafka/connection_watch.hpp"
#include "kafka/handle.hpp"
#include "kafka/poller.hpp"
#include "kafka/statistics_metrics.hpp"
#include "kafka/topic_counters.hpp"
#include "mib/metrics/registry.hpp"
#include "mib/producer/producer.hpp"

namespace mib {

// Travels with each record through librdkafka as its opaque, across retries and its dead
// letter, until exactly one report completes it. Taken from the producer's SparePending
// on the sending thread and given back there by finish(), usually on the poller. One cache
// line: the sending thread writes it and the reporting thread reads it, for every record.
struct alignas(64) PendingDelivery {
  // send() with a future, or a callback (which may be empty: fire and forget).
  std::variant<DeliveryCallback, std::promise<DeliveryReport>> reply{};
  bool explicit_partition = false;
  int attempts = 1;
  std::unique_ptr<DeliveryReport> failed{};  // set while its dead letter is on its way
  union {
    // When it was first sent, for a record that waited for room in send() or failed once;
    // else zero, and librdkafka knows how long ago it took the record in.
    std::chrono::steady_clock::time_point first_sent{};
    PendingDelivery* next_spare;  // while spare: the next one in its list
  };

  void complete(const DeliveryReport& report);
  // Time since the record was first sent, for its delivery report `m`.
  std::chrono::nanoseconds age(const rd_kafka_message_t* m) const;
};
static_assert(sizeof(PendingDelivery) == 64, "keep PendingDelivery in one cache line");

// Spare PendingDelivery objects, so that a record costs no allocation of its own. A record
// was one `new` on the sending thread and one `delete` on the poller, and glibc serves that
// pattern through its arena lock on both threads (each thread's cache only ever fills on
// one side). Instead, give() (any thread; lock-free) pushes a finished one onto this
// producer's list, and a sending thread takes the whole list at once into a stock of its
// own when that is empty, then serves sends from it without any atomic operation.
//
// Memory: at most `max_spare` objects wait in a producer's list (the rest are deleted),
// and a thread's stock holds at most one list; both are only as large as the number of
// records that were in flight at once. The list goes with the producer, a stock with its
// thread.
class SparePending {
 public:
  SparePending() = default;
  SparePending(const SparePending&) = delete;
  SparePending& operator=(const SparePending&) = delete;
  ~SparePending();

  // A PendingDelivery in its initial state.
  PendingDelivery* take();
  // Takes back one that is done with: clears it (its callback's captures are destroyed
  // here, on the calling thread) and keeps it for a later take().
  void give(PendingDelivery* pending) noexcept;

 private:
  // A quarter of the default queue.buffering.max.messages (100,000) and more: a sender that
  // waited for room (woken once a quarter of the queue has drained) finds a spare object
  // for every record it can send.
  static constexpr std::int64_t max_spare = 1 << 15;

  std::atomic<PendingDelivery*> head_{nullptr};
  std::atomic<std::int64_t> count_{0};  // about how many are in head_'s list
};

// An owned copy of a record that must be sent again: a retry or a dead letter.
struct OutgoingRecord {
  std::string topic;
  std::string key;
  bool has_key = false;
  std::string value;
  std::vector<std::pair<std::string, std::string>> headers;
  std::int32_t partition = -1;  // -1: let the partitioner choose
  std::int64_t timestamp_ms = 0;

  static OutgoingRecord copy_of(const rd_kafka_message_t* m, bool keep_partition);
};

struct Producer::Impl {
  kafka::KafkaHandle handle;
  ProducerOptions settings;
  std::chrono::milliseconds delivery_timeout{0};  // librdkafka's, as it applies it
  bool transactional = false;
  kafka::Poller poller;  // delivery reports, error events, statistics, due retries
  std::atomic<bool> closing{false};
  std::atomic<bool> closed{false};

  // Records counted rather than read from rd_kafka_outq_len(), which also counts
  // librdkafka's own requests. Each count only grows, and is written on one side: the
  // senders count records accepted, whoever reports counts reports, on cache lines of their
  // own, so that a record does not move one line between the two threads three times.
  // Records accepted (counted before librdkafka has them, so never fewer than reported).
  alignas(64) std::atomic<std::int64_t> accepted{0};
  // Reports begun (the caller may already see them) and done (the callback has returned).
  // accepted - report_begun is in_flight(); accepted - reported is what flush() waits
  // for, retries included.
  alignas(64) std::atomic<std::int64_t> report_begun{0};
  std::atomic<std::int64_t> reported{0};

  // Rarely written, read on every report: threads in wait_drained() (finish() notifies only
  // when there are some) and senders waiting for room in a full local queue (the poller
  // wakes them once delivery reports have freed some, rather than have them sleep).
  alignas(64) std::atomic<int> drain_waiters{0};
  std::atomic<int> room_waiters{0};
  std::atomic<std::int64_t> room_at{0};  // wake them once unreported() is down to this
  std::mutex drained_mutex;
  std::condition_variable drained;
  std::mutex room_mutex;
  std::condition_variable room;

  SparePending spare;

  struct Retry {
    std::chrono::steady_clock::time_point due;
    PendingDelivery* pending;
    OutgoingRecord record;
    DeliveryReport last_failure;
  };
  std::mutex retry_mutex;
  std::vector<Retry> retries;                       // few at a time: a plain vector is enough
  std::mt19937 jitter_rng{std::random_device{}()};  // poller thread only

  kafka::TopicCounters delivered;  // records and key + value bytes delivered, by topic
  std::atomic<std::uint64_t> errors{0}, retried{0}, dead_lettered{0};
  LatencyHistogram send_duration;
  SizeHistogram record_size;
  kafka::StatisticsMetrics statistics{kafka::StatisticsMetrics::Kind::producer};

  kafka::ConnectionWatch connection;
  std::atomic<bool> failed{false};  // librdkafka raised a fatal error: the handle is done
  std::string name;                 // rd_kafka_name(): the `client` label and log field
  // Last, so it goes first: no scrape reads a member being destroyed.
  metrics::Registration registration;

  static int on_statistics(rd_kafka_t*, char* json, size_t size, void* opaque);
  static void on_error_event(rd_kafka_t* rk, int code, const char* reason, void* opaque);

  Impl(const KafkaProperties& properties, ProducerOptions options);
  ~Impl();

  // Hands one record to librdkafka (copying the value unless `borrow`); the error if it
  // was not accepted. Waits for room up to queue_full_wait when `may_wait`.
  rd_kafka_resp_err_t produce(const char* topic, std::string_view key, bool has_key,
                              std::string_view value, bool borrow, HeaderList headers,
                              std::int32_t partition, std::int64_t timestamp_ms,
                              PendingDelivery* pending, bool may_wait);
  // Blocks until the poller has served some delivery reports or `until` passes.
  void wait_for_room(std::chrono::steady_clock::time_point until);
  // send() and send_borrowed(): counts the record, produces it, reports a refusal at once.
  void enqueue(const Record& record, bool borrow, PendingDelivery* pending);

  // Delivery reports (poller thread): success, retry, dead letter or failure.
  static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque);
  void handle_report(const rd_kafka_message_t* m);
  bool schedule_retry(const rd_kafka_message_t* m, PendingDelivery* pending,
                      const DeliveryReport& report);
  bool send_dead_letter(const rd_kafka_message_t* m, PendingDelivery* pending,
                        const DeliveryReport& report);
  void resend_due_retries();
  std::chrono::milliseconds time_to_next_retry(std::chrono::milliseconds cap);
  void finish(PendingDelivery* pending, const DeliveryReport& report);

  // Records accepted and not yet done reporting (retries included).
  std::int64_t unreported() const;
  bool wait_drained(std::chrono::milliseconds timeout);
  // Records sent and not yet reported to their caller.
  std::int64_t in_flight() const;
  void close(std::chrono::milliseconds timeout);
  ProducerMetrics metrics_view() const;
};

// The producer's families (producer_*), from the same counters metrics() reads.
void collect_producer_metrics(metrics::Collection& out, const std::string& client,
                              const ProducerMetrics& m, const kafka::TopicCounters& delivered);

}  // namespace mib
