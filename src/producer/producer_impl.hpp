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
#include "producer/pending_delivery.hpp"
#include "producer/spent_reports.hpp"

namespace mib {

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
  kafka::QueueHandle events;  // the main queue: delivery reports, error events, statistics
  SpentReports spent;         // served delivery reports, for a sender to destroy
  ProducerOptions settings;
  std::chrono::milliseconds delivery_timeout{0};  // librdkafka's, as it applies it
  bool transactional = false;
  kafka::Poller poller;  // serve_event() and due retries
  std::atomic<bool> closing{false};
  std::atomic<bool> closed{false};

  // Records counted rather than read from rd_kafka_outq_len(), which also counts
  // librdkafka's own requests. Each count only grows, and is written on one side: the
  // senders count records accepted, whoever reports counts reports, on cache lines of their
  // own, so that a record does not move one line between the two threads three times.
  // Records accepted (counted before librdkafka has them, so never fewer than reported).
  alignas(64) std::atomic<std::int64_t> accepted{0};
  // Reports begun (the caller may already see them) and done (the callback has returned),
  // each counted in two parts: those served from librdkafka's events, which one thread at
  // a time serves (the poller; close()'s, once the poller has stopped), written with plain
  // stores; and the others (a refused send, close()'s waiting retries), from any thread.
  // accepted - begun is in_flight(); accepted - reported is what flush() waits for,
  // retries included.
  alignas(64) std::atomic<std::int64_t> served_begun{0};
  std::atomic<std::int64_t> served_reported{0};
  PendingPool::Returns served_returns;  // served PendingDelivery objects, given back per event
  alignas(64) std::atomic<std::int64_t> other_begun{0};
  std::atomic<std::int64_t> other_reported{0};

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

  // Serves one event of the main queue, waiting up to `wait` for it: a batch of delivery
  // reports, an error event or statistics. False if none came.
  bool serve_event(std::chrono::milliseconds wait);
  // The poller, after a round that served `just_served` reports: pauses for
  // busy_round_pause when the round was busy, so that reports gather rather than wake it
  // one event at a time.
  void gather_reports(std::int64_t just_served);
  static constexpr std::int64_t busy_round_reports = 256;
  static constexpr std::chrono::microseconds busy_round_pause{500};
  void on_statistics(std::string_view json);
  void on_error_event(int code, const char* reason);

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

  // Delivery reports (poller thread): success, retry, dead letter or failure. Those of one
  // event share a ReportBatch, so that the topic's name and counters are found once.
  struct ReportBatch {
    const rd_kafka_topic_t* topic = nullptr;
    kafka::TopicCounters::Counts* counts = nullptr;
  };
  void handle_report(const rd_kafka_message_t* m, ReportBatch& batch);
  bool schedule_retry(const rd_kafka_message_t* m, PendingDelivery* pending,
                      const DeliveryReport& report);
  bool send_dead_letter(const rd_kafka_message_t* m, PendingDelivery* pending,
                        const DeliveryReport& report);
  void resend_due_retries();
  std::chrono::milliseconds time_to_next_retry(std::chrono::milliseconds cap);
  // Completes a record with its one report, on the thread serving librdkafka's events;
  // end_of_served() then gives the objects back and wakes a flush() that waits.
  void finish_served(PendingDelivery* pending, const DeliveryReport& report);
  void end_of_served();
  // The same anywhere else (a refused send; close()'s waiting retries), all at once.
  void finish(PendingDelivery* pending, const DeliveryReport& report);
  void notify_if_drained();

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
