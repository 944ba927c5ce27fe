// mib::Consumer: reads records from subscribed topics in a consumer group.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mib/config/config.hpp"
#include "mib/error.hpp"
#include "mib/kafka/properties.hpp"
#include "mib/message.hpp"

struct rd_kafka_s;

namespace mib {
class Consumer;
namespace kafka {
rd_kafka_s* consumer_handle(const Consumer& consumer);
}  // namespace kafka

// A consumer in a group. Not thread-safe: one thread polls (close() excepted).
//
// Threads: rebalances and errors are served inside poll(), on the polling thread; the
// consumer has no thread of its own.
class Consumer {
 public:
  // Checks every property with librdkafka; throws mib::Exception naming each bad one.
  // "group.id" is required.
  explicit Consumer(const KafkaProperties& properties);
  // With the [consumer] (and shared) settings of `config`.
  explicit Consumer(const Config& config);
  ~Consumer();
  Consumer(Consumer&&) noexcept;
  Consumer& operator=(Consumer&&) noexcept;

  // Joins the group for these topics; replaces any earlier subscription.
  void subscribe(const std::vector<std::string>& topics);

  // The next record, or nothing if none arrived within `timeout`. A returned Message may
  // carry an error instead of a record (see Message::error()).
  std::optional<Message> poll(std::chrono::milliseconds timeout);

  // The partitions the group currently gives this consumer (empty before the first
  // rebalance completes, which poll() drives).
  std::vector<TopicPartition> assignment() const;

  // Commits the offsets of everything returned by poll() so far and waits for the answer.
  Error commit();

  // Commits nothing more, leaves the group and releases the handle. Idempotent; the
  // destructor calls it.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  // Producer::send_offsets_to_transaction needs the group's metadata from the handle.
  friend rd_kafka_s* kafka::consumer_handle(const Consumer&);
};

}  // namespace mib
