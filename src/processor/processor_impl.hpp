// Internal: the Processor's state, shared by its source files.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "mib/consumer/consumer.hpp"
#include "mib/metrics/registry.hpp"
#include "mib/processor/processor.hpp"
#include "mib/producer/producer.hpp"

namespace mib {

struct Processor::Impl {
  Consumer& consumer;
  Producer& producer;
  ProcessorOptions options;
  bool transactions_ready = false;  // exactly_once: init_transactions() has succeeded

  std::thread worker;
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> loop_running{false};  // read by other threads (readiness checks)
  std::mutex stop_mutex;
  std::condition_variable stop_signal;  // cuts a retry backoff short
  Error run_error;

  std::atomic<std::uint64_t> processed{0}, batches{0}, failures{0}, dead_lettered{0}, aborted{0};
  LatencyHistogram process_duration;
  std::uint32_t sample_tick = 0;

  Impl(Consumer& c, Producer& p, ProcessorOptions o);

  // How far the handler got through a batch: records [0, handled) are processed (handled
  // or dead-lettered). `stop` is set when the loop must end with it.
  struct Outcome {
    std::size_t handled = 0;
    Error stop{};
  };
  using BatchStep = std::function<Outcome(std::span<const Message>)>;

  void start(BatchStep step);
  // The loop: poll a batch, `step` it, commit (or roll back) its offsets, until stopped.
  void loop(const BatchStep& step);
  Outcome each_record(std::span<const Message> records, const MessageHandler& handler);
  Outcome whole_batch(std::span<const Message> records, const BatchHandler& handler);

  // Waits out a retry backoff; false if stop() came first.
  bool back_off(int attempt);
  // The handler failed for good on `m`: dead-letters it, or says why the loop must stop.
  Error give_up(const Message& m, const Error& why, int attempts);
  Error send_dead_letter(const Message& m, const Error& why, int attempts);

  // The end of a batch (batch_end.cpp): at least once, stores and commits the processed
  // records after the handler's sends are reported; exactly once, commits the transaction
  // or aborts it. Either way, what was not processed is read again next.
  void end_batch(std::span<const Message> records, Outcome outcome);
  void end_at_least_once(std::span<const Message> records, const Outcome& outcome);
  void end_transaction(std::span<const Message> records, const Outcome& outcome);
  Error begin_transaction();
  Error commit_transaction(std::span<const Message> records);
  // Makes these records the next ones read (the first of each partition).
  void rewind(std::span<const Message> unprocessed);
  // The first offset of each partition in `records` that `starts` lacks, added to it.
  static void add_first_offsets(std::span<const Message> records,
                                std::vector<TopicPartition>& starts);
  void seek_back(const std::vector<TopicPartition>& starts);
  // commit_interval > 0: what was handled since the last release, from where per partition.
  bool holding = false;
  std::vector<TopicPartition> held_from;
  std::chrono::steady_clock::time_point last_release{};
  // Flushes and releases what is held once commit_interval has passed (or `now_or_never`).
  void release_held(bool now_or_never);

  void report(const Error& error);
  void stop_with(Error error);
  bool exactly_once() const { return options.guarantee == Guarantee::exactly_once; }
  ProcessorMetrics metrics_view() const;

  // Last, so it goes first: no scrape reads a member being destroyed.
  metrics::Registration registration;
};

}  // namespace mib
