// Consumer::run(): a loop on the consumer's own thread that hands each record to the
// application's handler and counts it consumed only once the handler is done with it.
#include "consumer/consumer_impl.hpp"
#include "kafka/dead_letter.hpp"

namespace mib {
namespace {

constexpr std::chrono::milliseconds poll_wait{100};  // how soon stop() is noticed when idle

std::string where(const Message& m) {
  return "topic '" + std::string{m.topic()} + "' partition " + std::to_string(m.partition()) +
         " offset " + std::to_string(m.offset());
}

// Calls the handler; what it threw becomes an Error naming the record (`record()` is only
// called then: building the name for every record would cost more than the call).
template <typename Call, typename Describe>
Error invoke(Call&& call, Describe&& record) {
  try {
    call();
    return {};
  } catch (const std::exception& e) {
    return Error{errc::application, "handler failed on " + record() + ": " + e.what()};
  } catch (...) {
    return Error{errc::application, "handler failed on " + record() + ": unknown exception"};
  }
}

}  // namespace

void Consumer::Impl::start(std::function<void()> loop, const ErrorPolicy& run_policy) {
  check_open("run");
  if (worker.joinable()) {
    throw Exception{Error{errc::state,
                          "consumer: run() while a loop is already running; "
                          "stop() and wait() first"}};
  }
  stop_requested.store(false);
  run_error = {};
  policy = run_policy;
  worker = std::thread(std::move(loop));
}

void Consumer::Impl::stop_with(Error error) {
  run_error = std::move(error);
  stop_requested.store(true);
}

void Consumer::Impl::join_worker() {
  stop_requested.store(true);
  {
    const std::lock_guard lock{stop_mutex};
    stop_signal.notify_all();
  }
  if (worker.joinable() && worker.get_id() != std::this_thread::get_id()) worker.join();
}

bool Consumer::Impl::back_off(int attempt) {
  std::unique_lock lock{stop_mutex};
  return !stop_signal.wait_for(lock, policy.backoff(attempt),
                               [this] { return stop_requested.load(); });
}

Error Consumer::Impl::send_dead_letter(const Message& m, const Error& why, int attempts) {
  if (options.dead_letter_suffix.empty()) {
    return why.with_message(why.message() + "; no dead-letter topic is set, so the loop stops");
  }
  if (!dead_letters) {
    ProducerOptions settings;
    settings.dead_letter_suffix.clear();  // a dead letter's own failure is reported, not nested
    dead_letters = std::make_unique<Producer>(options.dead_letter_properties, std::move(settings));
  }
  dead_letter::Headers headers;
  for (std::size_t i = 0; i < m.header_count(); ++i) {
    const Header h = m.header(i);
    headers.emplace_back(h.key, h.value);
  }
  dead_letter::append_headers(headers, {.topic = m.topic(),
                                        .partition = m.partition(),
                                        .offset = m.offset(),
                                        .group = group_id,
                                        .error = why,
                                        .attempts = attempts});
  std::vector<Header> views;
  views.reserve(headers.size());
  for (const auto& [k, v] : headers) views.push_back({k, v});
  const std::string topic = std::string{m.topic()} + options.dead_letter_suffix;
  // Wait for it: the record counts as consumed only once its dead letter is safe.
  const DeliveryReport report = dead_letters
                                    ->send({.topic = topic,
                                            .key = m.key(),
                                            .value = m.value(),
                                            .headers = std::span<const Header>{views}})
                                    .get();
  if (!report.ok()) {
    return why.with_message(why.message() + "; its dead letter to '" + topic +
                            "' failed too: " + report.error.message());
  }
  dead_lettered.add(1);
  return {};
}

Error Consumer::Impl::give_up(const Message& m, const Error& why, int attempts) {
  if (policy.exhausted == ErrorPolicy::Exhausted::stop) return why;
  return send_dead_letter(m, why, attempts);
}

void Consumer::Impl::rewind(std::span<const Message> unhandled) {
  std::vector<TopicPartition> starts;
  for (const Message& m : unhandled) {
    if (!m.ok()) continue;
    const bool seen = std::any_of(starts.begin(), starts.end(), [&](const TopicPartition& tp) {
      return tp.partition == m.partition() && tp.topic == m.topic();
    });
    if (!seen) starts.push_back({std::string{m.topic()}, m.partition(), m.offset()});
  }
  if (starts.empty()) return;
  auto list = kafka::to_partition_list(starts);
  if (Error e = seek(list.get(), std::chrono::seconds{10})) {
    report(e.with_message("stopping: could not rewind to the first unhandled record (" +
                          e.message() + "); they will be read again after a restart"));
  }
}

void Consumer::Impl::commit_if_manual() {
  if (auto_commit) return;  // librdkafka commits the stored offsets on its own
  const auto err = rd_kafka_commit(handle.get(), nullptr, 1);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
    report(kafka::to_error(err, std::string{"commit: "} + rd_kafka_err2str(err)));
  }
}

void Consumer::Impl::end_batch(std::span<const Message> unhandled) {
  // Offsets once per partition and batch: the records handled so far are done with.
  store_consumed();
  rewind(unhandled);
  commit_if_manual();
}

void Consumer::Impl::message_loop(const MessageHandler& handler) {
  std::vector<Message> batch;
  while (!stop_requested.load()) {
    read(batch, options.max_poll_records, poll_wait, false);
    if (batch.empty()) continue;
    std::size_t next = 0;
    for (; next < batch.size() && !stop_requested.load(); ++next) {
      const Message& m = batch[next];
      if (!m.ok()) {
        report(m.error());
        if (m.error().fatal()) stop_with(m.error());
        continue;
      }
      bool handled = false;
      for (int attempt = 1; !handled; ++attempt) {
        // One call in 16 is timed, as in poll().
        const bool timed = sample();
        const auto started =
            timed ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
        Error failure = invoke([&] { handler(m); }, [&] { return where(m); });
        if (timed) process_duration.record(std::chrono::steady_clock::now() - started);
        if (!failure) break;
        errors.fetch_add(1, std::memory_order_relaxed);
        if (attempt <= policy.retries) {
          if (back_off(attempt)) continue;
          end_batch(std::span{batch}.subspan(next));  // stopped while waiting: not handled
          return;
        }
        if (Error fatal = give_up(m, failure, attempt)) {
          stop_with(std::move(fatal));
          end_batch(std::span{batch}.subspan(next));
          return;
        }
        handled = true;  // dead-lettered: the stream goes on
      }
      note_consumed(kafka::raw_message(m));
    }
    end_batch(std::span{batch}.subspan(next));
  }
}

void Consumer::Impl::batch_loop(const BatchHandler& handler) {
  std::vector<Message> batch;
  while (!stop_requested.load()) {
    read(batch, options.max_poll_records, poll_wait, false);
    // Errors are not records: report them and hand the handler only records.
    const auto records_end =
        std::stable_partition(batch.begin(), batch.end(), [&](const Message& m) { return m.ok(); });
    for (auto it = records_end; it != batch.end(); ++it) {
      report(it->error());
      if (it->error().fatal()) stop_with(it->error());
    }
    batch.erase(records_end, batch.end());
    if (batch.empty()) continue;
    const std::span<const Message> records{batch};
    const auto what = [&] {
      return std::to_string(records.size()) + " records from " + where(records[0]);
    };
    for (int attempt = 1;; ++attempt) {
      const auto started = std::chrono::steady_clock::now();
      Error failure = invoke([&] { handler(records); }, what);
      process_duration.record(std::chrono::steady_clock::now() - started);
      if (!failure) break;
      errors.fetch_add(1, std::memory_order_relaxed);
      if (attempt <= policy.retries) {
        if (back_off(attempt)) continue;
        end_batch(records);
        return;
      }
      // Retries exhausted: each record of the batch goes through the policy.
      for (std::size_t i = 0; i < records.size(); ++i) {
        if (Error fatal = give_up(records[i], failure, attempt)) {
          stop_with(std::move(fatal));
          end_batch(records.subspan(i));
          return;
        }
        note_consumed(kafka::raw_message(records[i]));
      }
      break;
    }
    for (const Message& m : records) note_consumed(kafka::raw_message(m));
    end_batch({});
  }
}

void Consumer::run(MessageHandler handler) {
  run(std::move(handler), impl_->options.error_policy);
}

void Consumer::run_batches(BatchHandler handler) {
  run_batches(std::move(handler), impl_->options.error_policy);
}

void Consumer::run(MessageHandler handler, const ErrorPolicy& policy) {
  impl_->start([impl = impl_.get(), h = std::move(handler)] { impl->message_loop(h); }, policy);
}

void Consumer::run_batches(BatchHandler handler, const ErrorPolicy& policy) {
  impl_->start([impl = impl_.get(), h = std::move(handler)] { impl->batch_loop(h); }, policy);
}

void Consumer::stop() {
  impl_->stop_requested.store(true);
  const std::lock_guard lock{impl_->stop_mutex};
  impl_->stop_signal.notify_all();
}

Error Consumer::wait() {
  Impl& i = *impl_;
  if (i.worker.joinable() && i.worker.get_id() != std::this_thread::get_id()) i.worker.join();
  return i.run_error;
}

bool Consumer::running() const {
  return impl_->worker.joinable() && !impl_->stop_requested.load();
}

}  // namespace mib
