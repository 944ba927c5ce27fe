// mib::Consumer: reads records from Kafka topics, in a consumer group or by hand.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mib/config/config.hpp"
#include "mib/consumer/group_metadata.hpp"
#include "mib/consumer/partition_lag.hpp"
#include "mib/consumer/rebalance_listener.hpp"
#include "mib/error.hpp"
#include "mib/kafka/properties.hpp"
#include "mib/message.hpp"
#include "mib/metrics/latency_histogram.hpp"
#include "mib/metrics/size_histogram.hpp"

namespace mib {
class Consumer;

// How a Consumer behaves beyond what librdkafka's properties say.
struct ConsumerOptions {
  std::string group_id{};             // overrides group.id / [consumer] group_id when set
  std::vector<std::string> topics{};  // subscribed at once when given
  RebalanceListener rebalance{};
  // Most records one poll_batch() returns (and so one Processor batch). 0: the Config's
  // [consumer] max_poll_records when made from a Config, else default_max_poll_records.
  static constexpr std::size_t default_max_poll_records = 500;
  std::size_t max_poll_records = 0;
  // Errors that are not about one record (a broker down, max.poll.interval.ms exceeded,
  // a failed asynchronous commit) on the polling thread. Without it they are written to
  // stderr. Either way they count in errors_total.
  std::function<void(const Error&)> on_error{};
  // Receives librdkafka's statistics JSON every statistics.interval.ms (polling thread).
  std::function<void(std::string_view json)> on_statistics{};
  // SASL/OAUTHBEARER tokens from the application (librdkafka's background thread); empty
  // leaves them to librdkafka's own handlers. Consumer{config} takes the config's provider.
  OAuthBearerTokenProvider oauthbearer_token_provider{};
};

// Counters since the consumer was made (the summary's consumer metrics).
struct ConsumerMetrics {
  std::uint64_t messages_received_total = 0;
  std::uint64_t bytes_received_total = 0;      // key + value bytes
  std::uint64_t errors_total = 0;              // consumer errors
  std::uint64_t rebalances_total = 0;          // assignments, revocations and losses
  std::int64_t lag = 0;                        // sum over the assignment (cached watermarks)
  LatencyHistogram::Snapshot poll_duration{};  // poll() (1 call in 16) and poll_batch() calls
  SizeHistogram::Snapshot record_size{};       // key + value bytes of each record polled
};

// Where a manual assignment or a seek starts.
namespace offset {
inline constexpr std::int64_t beginning = -2;  // RD_KAFKA_OFFSET_BEGINNING
inline constexpr std::int64_t end = -1;        // RD_KAFKA_OFFSET_END
inline constexpr std::int64_t stored = -1000;  // the group's committed offset
}  // namespace offset

// A Kafka consumer: the pull side. Not thread-safe: one thread calls poll(), poll_batch()
// and the rest (a mib::Processor runs a handler loop over it on a thread of its own).
//
// Offsets: a record counts as consumed once the application is done with it: when the
// next poll, commit() or close() comes. Only consumed records are committed, by commit(),
// by auto-commit (enable.auto.commit) and before partitions are revoked: at-least-once.
// A seek back makes the records from the new position on unconsumed again.
//
// Threads: rebalances, errors and statistics are served on the polling thread.
class Consumer {
 public:
  // Checks every property with librdkafka; throws mib::Exception naming each bad one.
  // "group.id" (or options.group_id) is required.
  explicit Consumer(const KafkaProperties& properties, ConsumerOptions options = {});
  // With the [consumer] (and shared) settings of `config`.
  explicit Consumer(const Config& config, ConsumerOptions options = {});
  ~Consumer();
  Consumer(Consumer&&) noexcept;
  Consumer& operator=(Consumer&&) noexcept;

  // Joins the group for these topics, replacing any earlier subscription. A name that
  // starts with '^' is a regular expression matched against every topic.
  void subscribe(const std::vector<std::string>& topics);
  void unsubscribe();
  std::vector<std::string> subscription() const;

  // Reads exactly these partitions, outside any group rebalance, from each one's offset
  // (an offset, offset::beginning, offset::end or offset::stored).
  void assign(const std::vector<TopicPartition>& partitions);
  // The partitions this consumer reads (with a group: empty until the first rebalance,
  // which polling drives).
  std::vector<TopicPartition> assignment() const;
  // How many partitions are assigned, from any thread (for readiness checks); 0 once closed.
  std::size_t assigned_partitions() const noexcept;

  // The next record, or nothing if none arrived within `timeout`. A returned Message may
  // carry an error instead of a record (see Message::error()).
  std::optional<Message> poll(std::chrono::milliseconds timeout);
  // Up to max_poll_records records: waits up to `timeout` for the first, then takes what
  // is already there. Empty if nothing arrived. Errors are returned in line, as by poll().
  std::vector<Message> poll_batch(std::chrono::milliseconds timeout);

  // Commits every consumed record (see above) and waits for the group's answer.
  Error commit();
  // Commits exactly these offsets (the next offset to read, per partition).
  Error commit(const std::vector<TopicPartition>& offsets);
  // As commit(), without waiting; a failure is reported to on_error.
  void commit_async();
  // While held, records read count as consumed (for commit(), auto-commit, close()) only
  // at release_offsets(): a Processor that flushes its sends now and then holds what it
  // read until they are delivered. Partitions revoked meanwhile forget what was held (the
  // next owner reads it again).
  void hold_offsets(bool on);
  void release_offsets();

  // Reads from `offset` next (an offset, offset::beginning or offset::end). The
  // partition must be assigned.
  Error seek(const TopicPartition& partition, std::chrono::milliseconds timeout);
  Error seek_to_beginning(const std::vector<TopicPartition>& partitions,
                          std::chrono::milliseconds timeout);
  Error seek_to_end(const std::vector<TopicPartition>& partitions,
                    std::chrono::milliseconds timeout);
  // Historical replay: each assigned partition (or each of `partitions`) is read from the
  // first record whose timestamp is at or after `time`; from its end if there is none.
  Error seek_to_time(Timestamp time, std::chrono::milliseconds timeout);
  Error seek_to_time(Timestamp time, const std::vector<TopicPartition>& partitions,
                     std::chrono::milliseconds timeout);

  // For each partition, the offset of its first record with a timestamp at or after
  // `time` (offset::end where there is none). Needs no assignment: pass the result to
  // assign() to start there.
  std::vector<TopicPartition> offsets_for_time(Timestamp time,
                                               const std::vector<TopicPartition>& partitions,
                                               std::chrono::milliseconds timeout) const;

  // Stops / restarts fetching from these partitions; they stay assigned.
  void pause(const std::vector<TopicPartition>& partitions);
  void resume(const std::vector<TopicPartition>& partitions);

  // The next offset to read of each partition (offset -1001 while unknown).
  std::vector<TopicPartition> position(const std::vector<TopicPartition>& partitions) const;
  // The group's committed offsets (-1001 where none), asked of the broker.
  std::vector<TopicPartition> committed(const std::vector<TopicPartition>& partitions,
                                        std::chrono::milliseconds timeout) const;
  struct Watermarks {
    std::int64_t low = -1;
    std::int64_t high = -1;
  };
  // The first and the next offset of a partition, asked of its leader.
  Watermarks watermarks(const TopicPartition& partition, std::chrono::milliseconds timeout) const;
  // The lag of every assigned partition, with watermarks and committed offsets asked of
  // the brokers (see compute_lag for the rules).
  std::vector<PartitionLag> lag(std::chrono::milliseconds timeout) const;

  // The same numbers the process's metrics registry exports as consumer_* with label
  // client = name() (lag there per topic and partition).
  ConsumerMetrics metrics() const;
  // librdkafka's name of this handle ("<client.id>#consumer-<n>"), unique in the process.
  const std::string& name() const;

  // The group this consumer belongs to, and whether it commits on its own
  // (enable.auto.commit), as librdkafka applied them.
  const std::string& group_id() const;
  bool auto_commit() const;

  // This member's place in its group now (generation and member id change with each
  // rebalance), for Producer::send_offsets_to_transaction. Empty once closed.
  GroupMetadata group_metadata() const;

  // Stores what was consumed, commits it (when auto-commit is on), leaves the group and
  // releases the handle. Idempotent; the destructor calls it.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mib
