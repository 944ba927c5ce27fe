// mib::Processor: the processing loop above a Consumer and a Producer. It polls, hands
// each record to the application's handler, sends what the handler could not process to
// a dead-letter topic, and commits: at least once, or exactly once with a transaction
// per batch.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "mib/error.hpp"
#include "mib/message.hpp"
#include "mib/metrics/latency_histogram.hpp"
#include "mib/processor/error_policy.hpp"
#include "mib/serde/serde.hpp"

namespace mib {

class Consumer;
class Producer;

using MessageHandler = std::function<void(const Message&)>;
using BatchHandler = std::function<void(std::span<const Message>)>;

namespace detail {
// The T of a handler that takes `const Typed<T>&` (a lambda or a function object).
template <typename F>
struct typed_argument;
template <typename C, typename T>
struct typed_argument<void (C::*)(const Typed<T>&) const> {
  using type = T;
};
template <typename C, typename T>
struct typed_argument<void (C::*)(const Typed<T>&)> {
  using type = T;
};
template <typename F>
using typed_argument_t = typename typed_argument<decltype(&F::operator())>::type;
template <typename F>
concept TypedHandler = requires {
  typename typed_argument_t<F>;
};
}  // namespace detail

// When a batch's input counts as done, and what a crash can cost.
enum class Guarantee {
  // Offsets are committed after the handler returned for each record of the batch and
  // what it sent through the producer was reported (delivered, or dead-lettered by the
  // producer). A crash reprocesses at most the records since the last commit.
  at_least_once,
  // One transaction per batch: the handler's sends, the batch's dead letters and its
  // input offsets are committed together, or none of them is. Readers with
  // isolation.level=read_committed see each input's output exactly once, across crashes
  // and restarts. Needs a producer with transactional.id and a consumer with
  // enable.auto.commit=false.
  exactly_once,
};

struct ProcessorOptions {
  Guarantee guarantee = Guarantee::at_least_once;
  // What to do when the handler fails on a record (it fails by throwing anything).
  ErrorPolicy error_policy{};
  // A record the handler gave up on goes to its topic + this suffix, with the record's
  // own headers and mib.dlq.* headers saying why. Empty: a record given up on stops the
  // loop instead.
  std::string dead_letter_suffix = ".dlq";
  // The longest wait for a commit, a transaction call, a flush of the handler's sends or
  // a dead letter's delivery.
  std::chrono::milliseconds commit_timeout{std::chrono::seconds{30}};
  // at_least_once: 0, each batch waits for the handler's sends and commits its offsets.
  // Longer: batches go on while sends are in flight; every commit_interval the sends are
  // flushed and what was handled until then is committed (the consumer holds its offsets
  // meanwhile, hold_offsets()). A crash reads up to this much again.
  std::chrono::milliseconds commit_interval{0};
  // Errors that are not a handler's failure on a record, on the loop's thread: what the
  // consumer returns in line (max.poll.interval.ms exceeded, a partition error), a batch
  // read again because the handler's sends failed, a rolled-back transaction. Without it
  // they are logged. (The consumer's own errors still go to ConsumerOptions::on_error.)
  std::function<void(const Error&)> on_error{};
  // Called on the loop's thread after every poll, with records or without, before they are
  // handled: where a stream engine moves its wall-clock time on. What it throws stops the
  // loop with that error.
  std::function<void()> on_poll{};
};

// Counters since the processor was made.
struct ProcessorMetrics {
  std::uint64_t records_processed_total = 0;      // handled, or dead-lettered
  std::uint64_t batches_total = 0;                // batches finished and committed
  std::uint64_t failures_total = 0;               // handler calls that threw
  std::uint64_t dead_letters_total = 0;           // records sent to a dead-letter topic
  std::uint64_t transactions_aborted_total = 0;   // exactly_once: batches rolled back
  LatencyHistogram::Snapshot process_duration{};  // handler calls (1 in 16 for run())
};

// Runs a handler over a consumer's records on a thread of its own:
//
//   mib::Processor processor{consumer, producer, {.guarantee = mib::Guarantee::exactly_once}};
//   processor.run([&](const mib::Message& m) {
//     producer.send({.topic = "quotes.enriched", .key = m.key(), .value = enrich(m)});
//   });
//   ...
//   processor.stop();
//   mib::Error why = processor.wait();
//
// The consumer and the producer are borrowed: they must outlive the processor, and while
// it runs nothing else may poll the consumer. The producer carries the handler's sends
// and the dead letters. Records are handled in order per partition.
//
// After the loop stops on an error, the consumer is rewound so that the first record not
// processed is the next one read: nothing is skipped.
class Processor {
 public:
  // Throws mib::Exception when the options cannot work with these handles (exactly_once
  // with a consumer that commits automatically).
  Processor(Consumer& consumer, Producer& producer, ProcessorOptions options = {});
  // Stops the loop and waits for it.
  ~Processor();
  Processor(const Processor&) = delete;
  Processor& operator=(const Processor&) = delete;

  // Calls `handler` for each record until stop(). Returns at once; wait() for the end.
  // exactly_once: the first run() initialises the producer's transactions, and throws
  // mib::Exception if that fails.
  void run(MessageHandler handler);
  // As run(), with each record's value decoded by `serde` (JSON by default):
  //   processor.run([](const mib::Typed<mib::Trade>& t) { risk.add(t.value()); });
  // A record that does not decode goes straight to the policy's end (a dead letter whose
  // mib.dlq.error.message is the decoder's, or a stop), without retries: retrying cannot
  // change its bytes.
  template <detail::TypedHandler F, typename S = JsonSerde<detail::typed_argument_t<F>>>
  void run(F handler, S serde = {}) {
    using T = detail::typed_argument_t<F>;
    run(MessageHandler{[handler = std::move(handler), serde = std::move(serde)](const Message& m) {
      T value{};
      if (Error e = decode(m, value, serde)) throw Exception{e};
      handler(Typed<T>{m, std::move(value)});
    }});
  }
  // As run(), one call per batch (up to the consumer's max_poll_records). A failing
  // batch is retried as a whole; once retries are exhausted, each of its records goes
  // through the policy on its own.
  void run_batches(BatchHandler handler);
  // Asks the loop to finish its current record (or batch) and stop. Safe from any
  // thread, also from inside the handler.
  void stop();
  // Waits for the loop to end; the error that stopped it, if one did.
  Error wait();
  bool running() const;

  ProcessorMetrics metrics() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mib
