// mib::Producer: asynchronous sends with a future or a callback for every record,
// retries, dead letters and transactions.
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mib/config/config.hpp"
#include "mib/error.hpp"
#include "mib/kafka/properties.hpp"
#include "mib/message.hpp"
#include "mib/metrics/latency_histogram.hpp"
#include "mib/metrics/size_histogram.hpp"
#include "mib/producer/delivery_report.hpp"
#include "mib/producer/record.hpp"
#include "mib/serde/serde.hpp"

namespace mib {

class GroupMetadata;

using DeliveryCallback = std::function<void(const DeliveryReport&)>;

// The producer's own retries, on top of librdkafka's: a record whose delivery failed with
// a retriable error is sent again after a backoff that doubles each time (with random
// jitter, so that many producers do not retry in step), while attempts and the delivery
// timeout allow.
struct RetryPolicy {
  int max_attempts = 3;  // sends in all; 1 turns the producer's own retries off
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{5'000};
  double jitter = 0.2;  // each backoff is scaled by a random factor in [1 - j, 1 + j]
};

// How the Producer behaves beyond what librdkafka's properties say.
struct ProducerOptions {
  // When librdkafka's local queue is full (queue.buffering.max.messages / .kbytes),
  // send() waits up to this long for room, then reports errc::queue_full. Zero fails at
  // once. Either way the record is reported, never dropped silently.
  std::chrono::milliseconds queue_full_wait{std::chrono::seconds{1}};
  // How long close() and the destructor wait for outstanding deliveries before purging.
  std::chrono::milliseconds close_timeout{std::chrono::seconds{30}};
  // The producer's own resends; they stop once a record is as old as librdkafka's
  // delivery.timeout.ms (read from the properties, the one place it is set).
  RetryPolicy retry{};
  // A record that fails for good goes to topic + this suffix, with headers saying why
  // (mib.dlq.*). Empty turns dead letters off. Transactional producers never dead-letter:
  // there a failure aborts the transaction instead.
  std::string dead_letter_suffix = ".dlq";
  // Receives librdkafka's statistics JSON every statistics.interval.ms (poller thread).
  std::function<void(std::string_view json)> on_statistics{};
  // Error events (poller thread): a broker that cannot be reached, named with its cause
  // ("broker 127.0.0.1:1: connection refused (...)", TLS or SASL handshake failed,
  // unknown host), and fatal errors. Records are still reported each on their own.
  std::function<void(const Error&)> on_error{};
  // SASL/OAUTHBEARER tokens from the application (librdkafka's background thread); empty
  // leaves them to librdkafka's own handlers. from() takes the config's provider.
  OAuthBearerTokenProvider oauthbearer_token_provider{};

  // The [producer] settings of `config` that are the Producer's own (queue_full_wait,
  // close_timeout, dead_letter_suffix); the rest at their defaults. Producer{config} uses
  // them; to add callbacks, take these and pass config.producer_properties() alongside.
  static ProducerOptions from(const Config& config);
};

// Counters since the producer was made (the summary's producer metrics).
struct ProducerMetrics {
  std::uint64_t messages_sent_total = 0;       // delivered
  std::uint64_t bytes_sent_total = 0;          // key + value bytes delivered
  std::uint64_t errors_total = 0;              // failed deliveries, counting each attempt
  std::uint64_t retries_total = 0;             // the producer's own resends
  std::uint64_t dead_letters_total = 0;        // records written to a dead-letter topic
  std::int64_t in_flight_messages = 0;         // sent and not yet reported
  LatencyHistogram::Snapshot send_duration{};  // send() to successful delivery report
  SizeHistogram::Snapshot record_size{};       // key + value bytes of each record delivered
  // 1 - wire bytes / record bytes since the start, as of the last statistics report (needs
  // statistics.interval.ms); 0 until then (and not exported as a metric until then).
  double compression_ratio = 0;
};

// Sends records to a Kafka-compatible cluster. Thread-safe: any thread may send.
//
// Threads: the Producer owns one background poller thread; delivery callbacks and the
// promises behind send()'s futures run on it. Keep callbacks short: a slow callback
// delays every later delivery report. Two exceptions: a send refused at once (queue full,
// closed producer) is reported on the sending thread before send() returns, and close()
// serves on its caller's thread what is still unreported once the poller has stopped.
//
// Every record sent gets exactly one delivery report: delivered, dead-lettered (the
// report says where), failed, or purged at close(). Nothing is lost silently. A record
// that failed because no broker could be reached says so with the last connection error,
// and is not dead-lettered: its dead letter could only fail the same way.
class Producer {
 public:
  // Checks every property with librdkafka; throws mib::Exception naming each bad one.
  explicit Producer(const KafkaProperties& properties, ProducerOptions options = {});
  // With the [producer] (and shared) settings of `config`.
  explicit Producer(const Config& config);
  ~Producer();
  Producer(Producer&&) noexcept;
  Producer& operator=(Producer&&) noexcept;

  // Copies key, value and headers before returning.
  std::future<DeliveryReport> send(const Record& record);
  // As above, reporting through `on_delivery` instead of a future.
  void send(const Record& record, DeliveryCallback on_delivery);
  // Zero-copy: the value is not copied, so it must stay alive and unchanged until
  // `on_delivery` has run for this record (key and headers are still copied).
  void send_borrowed(const Record& record, DeliveryCallback on_delivery);

  // A market message (or any T a Serde encodes) to `topic`, keyed by key_of(value), with a
  // content-type header naming the format (and a schema-id header when the Serde has one). A value
  // the Serde cannot encode is reported at once, on this thread, with the Serde's error
  // (errc::bad_message naming the field).
  template <typename T, typename S = JsonSerde<T>>
  requires Keyed<T> && Serde<S, T> std::future<DeliveryReport> send(std::string_view topic,
                                                                    const T& value,
                                                                    const S& serde = {}) {
    std::promise<DeliveryReport> refused;
    std::future<DeliveryReport> future;
    send_encoded(
        topic, value, serde, [&](const Record& record) { future = send(record); },
        [&](DeliveryReport report) {
          refused.set_value(std::move(report));
          future = refused.get_future();
        });
    return future;
  }
  template <typename T, typename S = JsonSerde<T>>
  requires Keyed<T> && Serde<S, T>
  void send(std::string_view topic, const T& value, DeliveryCallback on_delivery,
            const S& serde = {}) {
    send_encoded(
        topic, value, serde, [&](const Record& record) { send(record, std::move(on_delivery)); },
        [&](const DeliveryReport& report) {
          if (on_delivery) on_delivery(report);
        });
  }

  // Sends what is lingering at once (linger.ms does not apply), then waits until every
  // record sent so far is reported; errc::timed_out if some are not.
  Error flush(std::chrono::milliseconds timeout);

  // Waits until a broker answers, up to `timeout`: the empty Error, or why none did, named
  // by broker and cause (connection refused, TLS or SASL handshake failed, unknown host).
  // Returns early on a handshake failure, which waiting would not heal. Sending does not
  // need it; a tool calls it to fail fast on a wrong or dead cluster. `cancelled`, when
  // given, is asked a few times a second and ends the wait early (errc::timed_out).
  Error wait_for_cluster(std::chrono::milliseconds timeout,
                         const std::function<bool()>& cancelled = {});

  // Records sent and not yet reported.
  std::size_t in_flight() const;
  // The counters above; the same numbers the process's metrics registry exports as
  // producer_* with label client = name().
  ProducerMetrics metrics() const;
  // librdkafka's name of this handle ("<client.id>#producer-<n>"), unique in the process.
  const std::string& name() const;
  // librdkafka raised a fatal error (an idempotent producer fenced, say): nothing more can
  // be sent with this producer. For liveness checks.
  bool failed() const noexcept;
  // A connection to a broker is up (from librdkafka's statistics, when they are on), or
  // else a broker has answered and the cluster is not known to be down. For readiness.
  bool cluster_reachable() const;

  // Transactions (needs transactional.id). Each returns an Error whose flags say what to
  // do, as librdkafka documents: abortable() - call abort_transaction() and start again;
  // retriable() - call the same function again; fatal() - this producer is finished.
  // Two librdkafka 2.0.2 habits: after a record the broker refused, the next transaction
  // may also fail as abortable ("skipped sequence numbers"); abort and begin again once
  // more. And abort_transaction() while records are still queued can fail for good
  // (INVALID_TXN_STATE, librdkafka issue #4849): flush() first when not already failing.
  Error init_transactions(std::chrono::milliseconds timeout);
  Error begin_transaction();
  // Commits `offsets` (the next offsets to read) for the consumer's group as part of the
  // transaction: consume-transform-produce, exactly once. `group` is
  // consumer.group_metadata(), taken after the records were polled.
  Error send_offsets_to_transaction(const std::vector<TopicPartition>& offsets,
                                    const GroupMetadata& group, std::chrono::milliseconds timeout);
  Error commit_transaction(std::chrono::milliseconds timeout);
  Error abort_transaction(std::chrono::milliseconds timeout);

  // Flushes up to `timeout`, then purges what is left (each purged record is reported
  // with errc::purged_in_queue or purged_in_flight) and stops the poller. Idempotent.
  void close(std::chrono::milliseconds timeout = std::chrono::seconds{30});

 private:
  template <typename T, typename S, typename Send, typename Refuse>
  static void send_encoded(std::string_view topic, const T& value, const S& serde, Send&& send,
                           Refuse&& refuse) {
    thread_local std::string bytes;  // send() copies it: reused from record to record
    bytes.clear();
    if (Error e = serde.encode(value, bytes)) {
      DeliveryReport report;
      report.topic = topic;
      report.error = e.with_context("send to topic '" + std::string{topic} + "' refused");
      refuse(std::move(report));
      return;
    }
    const std::string_view type = serde.content_type();
    if constexpr (requires { serde.schema_id(); }) {  // a registry's serde
      const std::string id = std::to_string(serde.schema_id());
      const Header headers[] = {{content_type_header, type}, {schema_id_header, id}};
      send(Record{.topic = topic,
                  .key = key_of(value),
                  .value = bytes,
                  .headers = std::span<const Header>{headers}});
    } else {
      const Header headers[] = {{content_type_header, type}};
      send(Record{.topic = topic,
                  .key = key_of(value),
                  .value = bytes,
                  .headers = std::span<const Header>{headers}});
    }
  }

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mib
