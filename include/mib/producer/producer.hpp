// mib::Producer: asynchronous sends with a future or a callback for every record.
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string_view>

#include "mib/config/config.hpp"
#include "mib/error.hpp"
#include "mib/kafka/properties.hpp"
#include "mib/message.hpp"
#include "mib/producer/delivery_report.hpp"

namespace mib {

// Where and when a record goes, beyond topic, key and value.
struct SendOptions {
  std::optional<std::int32_t> partition;  // default: librdkafka's partitioner on the key
  std::optional<Timestamp> timestamp;     // default: now (CreateTime)
};

using DeliveryCallback = std::function<void(const DeliveryReport&)>;

// How the Producer behaves beyond what librdkafka's properties say.
struct ProducerOptions {
  // When librdkafka's local queue is full (queue.buffering.max.messages / .kbytes),
  // send() waits up to this long for room, then reports errc::queue_full. Zero fails at
  // once. Either way the record is reported, never dropped silently.
  std::chrono::milliseconds queue_full_wait{std::chrono::seconds{1}};
  // How long the destructor waits for outstanding deliveries before purging them.
  std::chrono::milliseconds close_timeout{std::chrono::seconds{30}};
};

// Sends records to a Kafka-compatible cluster. Thread-safe: any thread may send.
//
// Threads: the Producer owns one background poller thread; delivery callbacks and the
// promises behind send()'s futures run on it. Keep callbacks short: a slow callback
// delays every later delivery report.
//
// Lifetime: key, value and headers are copied before send() returns. Every record sent
// gets exactly one delivery report, including those still queued at close(): they are
// reported as purged rather than lost.
class Producer {
 public:
  // Checks every property with librdkafka; throws mib::Exception naming each bad one.
  explicit Producer(const KafkaProperties& properties, ProducerOptions options = {});
  // With the [producer] (and shared) settings of `config`.
  explicit Producer(const Config& config);
  ~Producer();
  Producer(Producer&&) noexcept;
  Producer& operator=(Producer&&) noexcept;

  std::future<DeliveryReport> send(std::string_view topic, std::string_view key,
                                   std::string_view value, HeaderList headers = {},
                                   const SendOptions& options = {});

  // As above, reporting through `on_delivery` (on the poller thread) instead of a future.
  void send(std::string_view topic, std::string_view key, std::string_view value,
            HeaderList headers, const SendOptions& options, DeliveryCallback on_delivery);

  // Waits until every record sent so far is reported; errc::timed_out if some are not.
  Error flush(std::chrono::milliseconds timeout);

  // Records sent and not yet reported.
  std::size_t in_flight() const;

  // Flushes up to `timeout`, then purges what is left (each purged record is reported
  // with errc::purged_in_queue or purged_in_flight) and stops the poller. Idempotent.
  void close(std::chrono::milliseconds timeout = std::chrono::seconds{30});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mib
