// Internal: the Producer's state, shared by its source files.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "kafka/connection_watch.hpp"
#include "kafka/handle.hpp"
#include "mib/producer/producer.hpp"

namespace mib {

// Travels with each record through librdkafka as its opaque, across retries and its dead
// letter, until exactly one report completes it. One is allocated per record on the
// sending thread and freed on the poller, so it is kept small: glibc recycles blocks of
// up to 128 bytes through its cheap per-size lists, larger ones through its slower bins.
struct PendingDelivery {
  std::optional<std::promise<DeliveryReport>> promise{};  // send() with a future; else:
  DeliveryCallback callback{};                            // may be empty (fire and forget)
  bool explicit_partition = false;
  int attempts = 1;
  std::chrono::steady_clock::time_point first_sent{};
  std::unique_ptr<DeliveryReport> failed{};  // set while its dead letter is on its way

  void complete(const DeliveryReport& report);
};
static_assert(sizeof(PendingDelivery) <= 128, "keep PendingDelivery in glibc's fast bins");

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
  std::thread poller;
  std::atomic<bool> stopping{false};
  std::atomic<bool> closing{false};
  std::atomic<bool> closed{false};

  // Records accepted and not yet reported (including those waiting for a retry). Counted
  // here rather than read from rd_kafka_outq_len(), which also counts librdkafka's own
  // requests.
  std::atomic<std::int64_t> unreported{0};
  std::atomic<std::int64_t> reporting{0};  // reports being handed to their caller now
  std::mutex drained_mutex;
  std::condition_variable drained;

  // Senders waiting for room in a full local queue; the poller wakes them once delivery
  // reports have freed some, rather than have them sleep and guess.
  std::atomic<int> room_waiters{0};
  std::atomic<std::int64_t> room_at{0};  // wake them once `unreported` is down to this
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

  std::atomic<std::uint64_t> sent{0}, bytes{0}, errors{0}, retried{0}, dead_lettered{0};
  LatencyHistogram send_duration;
  std::atomic<double> compression_ratio{0};

  kafka::ConnectionWatch connection;

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

  bool wait_drained(std::chrono::milliseconds timeout);
  // Records sent and not yet reported to their caller.
  std::int64_t in_flight() const;
  void close(std::chrono::milliseconds timeout);
};

}  // namespace mib
