// Processor: a loop on a thread of its own that hands each record to the application's
// handler and counts it processed only once the handler is done with it.
#include "mib/processor/processor.hpp"

#include <algorithm>
#include <optional>

#include "kafka/dead_letter.hpp"
#include "kafka/user_callback.hpp"
#include "mib/log.hpp"
#include "processor/processor_impl.hpp"

namespace mib {
namespace {

constexpr std::chrono::milliseconds poll_wait{100};  // how soon stop() is noticed when idle

std::string where(const Message& m) {
  return "topic '" + std::string{m.topic()} + "' partition " + std::to_string(m.partition()) +
         " offset " + std::to_string(m.offset());
}

// Calls the handler; what it threw becomes an Error naming the record (`record()` is only
// called then: building the name for every record would cost more than the call).
// A record that cannot be decoded (a mib::Exception with errc::bad_message, as typed
// handlers throw) keeps that error, which already names the record: it is not retried.
template <typename Call, typename Describe>
Error invoke(Call&& call, Describe&& record) {
  std::optional<Error> undecodable;
  const auto problem = kafka::what_threw([&] {
    try {
      call();
    } catch (const Exception& e) {
      if (e.error().code() != errc::bad_message) throw;
      undecodable = e.error();
    }
  });
  if (undecodable) return *undecodable;
  if (problem) return Error{errc::application, "handler failed on " + record() + ": " + *problem};
  return {};
}

// Consumer errors are not records: report them (a fatal one ends the loop) and keep the
// records, in order.
template <typename Report>
void keep_records(std::vector<Message>& batch, Report&& report) {
  const auto records_end =
      std::stable_partition(batch.begin(), batch.end(), [](const Message& m) { return m.ok(); });
  for (auto it = records_end; it != batch.end(); ++it) report(it->error());
  batch.erase(records_end, batch.end());
}

}  // namespace

Processor::Impl::Impl(Consumer& c, Producer& p, ProcessorOptions o)
    : consumer(c), producer(p), options(std::move(o)) {
  if (exactly_once() && consumer.auto_commit()) {
    throw Exception{Error{errc::invalid_argument,
                          "processor: Guarantee::exactly_once commits offsets in its "
                          "transactions, so the consumer needs enable.auto.commit=false "
                          "(group '" +
                              consumer.group_id() + "' commits automatically)"}};
  }
  registration = metrics::registry().add([this](metrics::Collection& out) {
    const ProcessorMetrics m = metrics_view();
    const metrics::Labels labels{{"client", consumer.name()}};
    out.counter("stream_records_processed_total",
                "Records handled, or sent to the dead-letter topic.", labels,
                static_cast<double>(m.records_processed_total));
    out.counter("stream_batches_total", "Batches finished and committed.", labels,
                static_cast<double>(m.batches_total));
    out.counter("stream_errors_total", "Handler calls that failed.", labels,
                static_cast<double>(m.failures_total));
    out.counter("stream_dead_letters_total", "Records sent to the dead-letter topic.", labels,
                static_cast<double>(m.dead_letters_total));
    out.counter("stream_transactions_aborted_total", "Exactly-once batches rolled back.", labels,
                static_cast<double>(m.transactions_aborted_total));
    out.histogram(
        "consumer_process_duration_seconds",
        "Time in the handler (one record in 16 for run(), every batch for run_batches()).", labels,
        m.process_duration);
  });
}

void Processor::Impl::report(const Error& error) {
  if (options.on_error) {
    kafka::call_user("ProcessorOptions::on_error", [&] { options.on_error(error); });
    return;
  }
  log::write({.level = log::Level::error,
              .source = "mib::Processor",
              .message = "group " + consumer.group_id() + ": " + error.message()});
}

void Processor::Impl::stop_with(Error error) {
  if (!run_error) run_error = std::move(error);
  stop_requested.store(true);
}

void Processor::Impl::start(BatchStep step) {
  if (worker.joinable()) {
    throw Exception{Error{errc::state,
                          "processor: run() while a loop is already running; "
                          "stop() and wait() first"}};
  }
  if (exactly_once() && !transactions_ready) {
    if (Error e = producer.init_transactions(options.commit_timeout)) {
      throw Exception{e.with_context("processor: Guarantee::exactly_once")};
    }
    transactions_ready = true;
  }
  stop_requested.store(false);
  run_error = {};
  holding = !exactly_once() && options.commit_interval.count() > 0;
  held_from.clear();
  last_release = std::chrono::steady_clock::now();
  consumer.hold_offsets(holding);
  loop_running.store(true);
  worker = std::thread([this, step = std::move(step)] {
    struct Done {
      std::atomic<bool>& flag;
      ~Done() { flag.store(false); }
    } done{loop_running};
    try {
      loop(step);
      release_held(true);           // what was handled: its sends flushed, its offsets committed
    } catch (const Exception& e) {  // the consumer closed under the loop, for one
      stop_with(e.error().with_context("processor"));
    } catch (const std::exception& e) {
      stop_with(Error{errc::application, std::string{"processor: "} + e.what()});
    }
    if (holding) {
      consumer.hold_offsets(false);
      holding = false;
    }
  });
}

void Processor::Impl::loop(const BatchStep& step) {
  std::vector<Message> batch;
  while (!stop_requested.load()) {
    // Stores the previous batch's offsets as consumed: it was processed or rewound.
    batch = consumer.poll_batch(poll_wait);
    if (options.on_poll) {
      if (auto problem = kafka::what_threw(options.on_poll)) {
        rewind(batch);
        stop_with(Error{errc::application, "processor: ProcessorOptions::on_poll: " + *problem});
        return;
      }
    }
    keep_records(batch, [this](const Error& e) {
      report(e);
      if (e.fatal()) stop_with(e);
    });
    if (batch.empty() || stop_requested.load()) {
      rewind(batch);  // a fatal error came with records: read them again after a restart
      release_held(false);
      continue;
    }
    if (exactly_once()) {
      if (Error e = begin_transaction()) {
        rewind(batch);
        stop_with(std::move(e));
        return;
      }
    }
    end_batch(batch, step(batch));
  }
}

Processor::Impl::Outcome Processor::Impl::each_record(std::span<const Message> records,
                                                      const MessageHandler& handler) {
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (stop_requested.load()) return {.handled = i};
    const Message& m = records[i];
    for (int attempt = 1;; ++attempt) {
      // One call in 16 is timed: two clock reads cost a good part of a small handler.
      const bool timed = (++sample_tick & 15U) == 0;
      const auto started =
          timed ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
      Error failure = invoke([&] { handler(m); }, [&] { return where(m); });
      if (timed) process_duration.record(std::chrono::steady_clock::now() - started);
      if (!failure) break;
      failures.fetch_add(1, std::memory_order_relaxed);
      if (attempt <= options.error_policy.retries && failure.code() != errc::bad_message) {
        if (back_off(attempt)) continue;
        return {.handled = i};  // stopped while waiting: not processed
      }
      if (Error fatal = give_up(m, failure, attempt)) return {.handled = i, .stop = fatal};
      break;  // dead-lettered: the stream goes on
    }
    processed.fetch_add(1, std::memory_order_relaxed);
  }
  return {.handled = records.size()};
}

Processor::Impl::Outcome Processor::Impl::whole_batch(std::span<const Message> records,
                                                      const BatchHandler& handler) {
  const auto what = [&] {
    return std::to_string(records.size()) + " records from " + where(records[0]);
  };
  for (int attempt = 1;; ++attempt) {
    const auto started = std::chrono::steady_clock::now();
    Error failure = invoke([&] { handler(records); }, what);
    process_duration.record(std::chrono::steady_clock::now() - started);
    if (!failure) break;
    failures.fetch_add(1, std::memory_order_relaxed);
    if (attempt <= options.error_policy.retries) {
      if (back_off(attempt)) continue;
      return {};
    }
    // Retries exhausted: each record of the batch goes through the policy.
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (Error fatal = give_up(records[i], failure, attempt)) return {.handled = i, .stop = fatal};
      processed.fetch_add(1, std::memory_order_relaxed);
    }
    return {.handled = records.size()};
  }
  processed.fetch_add(records.size(), std::memory_order_relaxed);
  return {.handled = records.size()};
}

bool Processor::Impl::back_off(int attempt) {
  std::unique_lock lock{stop_mutex};
  return !stop_signal.wait_for(lock, options.error_policy.backoff(attempt),
                               [this] { return stop_requested.load(); });
}

Error Processor::Impl::give_up(const Message& m, const Error& why, int attempts) {
  if (options.error_policy.exhausted == ErrorPolicy::Exhausted::stop) return why;
  return send_dead_letter(m, why, attempts);
}

Error Processor::Impl::send_dead_letter(const Message& m, const Error& why, int attempts) {
  if (options.dead_letter_suffix.empty()) {
    return why.with_message(why.message() + "; no dead-letter topic is set, so the loop stops");
  }
  dead_letter::Headers headers;
  for (std::size_t i = 0; i < m.header_count(); ++i) {
    const Header h = m.header(i);
    headers.emplace_back(h.key, h.value);
  }
  dead_letter::append_headers(headers, {.topic = m.topic(),
                                        .partition = m.partition(),
                                        .offset = m.offset(),
                                        .group = consumer.group_id(),
                                        .error = why,
                                        .attempts = attempts});
  const std::vector<Header> views = dead_letter::views_of(headers);
  const std::string topic = dead_letter::topic_for(m.topic(), options.dead_letter_suffix);
  // Wait for it: the record counts as processed only once its dead letter is safe (in a
  // transaction: written, and committed with the batch).
  auto delivery = producer.send({.topic = topic,
                                 .key = m.key(),
                                 .value = m.value(),
                                 .headers = std::span<const Header>{views}});
  if (delivery.wait_for(options.commit_timeout) != std::future_status::ready) {
    return why.with_message(why.message() + "; its dead letter to '" + topic +
                            "' was not delivered within " +
                            std::to_string(options.commit_timeout.count()) + "ms");
  }
  const DeliveryReport report = delivery.get();
  if (!report.ok()) {
    return why.with_message(why.message() + "; its dead letter to '" + topic +
                            "' failed too: " + report.error.message());
  }
  dead_lettered.fetch_add(1, std::memory_order_relaxed);
  return {};
}

Processor::Processor(Consumer& consumer, Producer& producer, ProcessorOptions options)
    : impl_(std::make_unique<Impl>(consumer, producer, std::move(options))) {}

Processor::~Processor() {
  stop();
  wait();
}

void Processor::run(MessageHandler handler) {
  impl_->start([impl = impl_.get(), h = std::move(handler)](std::span<const Message> records) {
    return impl->each_record(records, h);
  });
}

void Processor::run_batches(BatchHandler handler) {
  impl_->start([impl = impl_.get(), h = std::move(handler)](std::span<const Message> records) {
    return impl->whole_batch(records, h);
  });
}

void Processor::stop() {
  impl_->stop_requested.store(true);
  const std::lock_guard lock{impl_->stop_mutex};
  impl_->stop_signal.notify_all();
}

Error Processor::wait() {
  Impl& i = *impl_;
  if (i.worker.joinable() && i.worker.get_id() != std::this_thread::get_id()) i.worker.join();
  return i.run_error;
}

bool Processor::running() const {
  return impl_->loop_running.load() && !impl_->stop_requested.load();
}

ProcessorMetrics Processor::Impl::metrics_view() const {
  return {.records_processed_total = processed.load(std::memory_order_relaxed),
          .batches_total = batches.load(std::memory_order_relaxed),
          .failures_total = failures.load(std::memory_order_relaxed),
          .dead_letters_total = dead_lettered.load(std::memory_order_relaxed),
          .transactions_aborted_total = aborted.load(std::memory_order_relaxed),
          .process_duration = process_duration.snapshot()};
}

ProcessorMetrics Processor::metrics() const {
  return impl_->metrics_view();
}

}  // namespace mib
