// The end of a Processor batch: what was processed is committed, at least once or in a
// transaction, and what was not is read again next.
#include <algorithm>

#include "mib/consumer/group_metadata.hpp"
#include "processor/processor_impl.hpp"

namespace mib {
namespace {

// The next offset to read of each partition in `records`.
std::vector<TopicPartition> next_offsets(std::span<const Message> records) {
  std::vector<TopicPartition> out;
  for (const Message& m : records) {
    auto it = std::find_if(out.begin(), out.end(), [&](const TopicPartition& tp) {
      return tp.partition == m.partition() && tp.topic == m.topic();
    });
    if (it == out.end()) {
      out.push_back({std::string{m.topic()}, m.partition(), m.offset() + 1});
    } else {
      it->offset = std::max(it->offset, m.offset() + 1);
    }
  }
  return out;
}

// librdkafka's transactional calls may be retried while they say so; a few times, then
// the batch is rolled back instead.
constexpr int transaction_attempts = 3;

}  // namespace

void Processor::Impl::end_batch(std::span<const Message> records, Outcome outcome) {
  if (exactly_once()) {
    end_transaction(records, outcome);
  } else {
    end_at_least_once(records, outcome);
  }
  if (outcome.stop) stop_with(std::move(outcome.stop));
}

void Processor::Impl::end_at_least_once(std::span<const Message> records, const Outcome& outcome) {
  rewind(records.subspan(outcome.handled));
  if (outcome.handled == 0) return;
  if (holding) {
    add_first_offsets(records.first(outcome.handled), held_from);
    batches.fetch_add(1, std::memory_order_relaxed);
    release_held(false);
    return;
  }
  // What the handler sent must be safe before its input counts as done.
  if (producer.in_flight() > 0) {
    if (Error e = producer.flush(options.commit_timeout)) {
      report(e.with_context(
          "processor: the handler's sends were not all reported, so the batch is read again"));
      rewind(records);
      return;
    }
  }
  batches.fetch_add(1, std::memory_order_relaxed);
  // poll_batch() stores the offsets of records it handed out at the next call; with
  // auto-commit that is enough. Otherwise commit them now, without waiting.
  if (!consumer.auto_commit()) consumer.commit_async();
}

void Processor::Impl::release_held(bool now_or_never) {
  if (!holding) return;
  const auto now = std::chrono::steady_clock::now();
  if (!now_or_never && now - last_release < options.commit_interval) return;
  // The interval counts from the end of this release: a flush that waits out the
  // producer's linger does not make the next batch flush again at once.
  struct Restart {
    std::chrono::steady_clock::time_point& at;
    ~Restart() { at = std::chrono::steady_clock::now(); }
  } restart{last_release};
  if (held_from.empty()) return;
  if (producer.in_flight() > 0) {
    if (Error e = producer.flush(options.commit_timeout)) {
      report(
          e.with_context("processor: the handler's sends were not all reported, so what "
                         "was read since the last commit is read again"));
      seek_back(held_from);
      held_from.clear();
      return;
    }
  }
  consumer.release_offsets();
  held_from.clear();
  if (now_or_never) {  // the loop ends: committed before it says it has stopped
    if (Error e = consumer.commit()) report(e.with_context("processor"));
  } else if (!consumer.auto_commit()) {
    consumer.commit_async();
  }
}

void Processor::Impl::end_transaction(std::span<const Message> records, const Outcome& outcome) {
  if (outcome.handled == records.size() && !outcome.stop) {
    const Error e = commit_transaction(records);
    if (!e) {
      batches.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    report(e.with_context("processor: the batch's transaction failed and is rolled back"));
    if (e.fatal()) {
      rewind(records);
      stop_with(e);
      return;
    }
  } else {
    // Stopped part-way: librdkafka 2.0.2 can refuse for good to abort while records are
    // still queued (its issue #4849), so let them out first.
    (void)producer.flush(options.commit_timeout);
  }
  aborted.fetch_add(1, std::memory_order_relaxed);
  if (Error e = producer.abort_transaction(options.commit_timeout)) {
    report(e.with_context("processor"));
    if (e.fatal() || !e.retriable()) stop_with(e);
  }
  rewind(records);  // the whole batch again: its output was rolled back with it
}

Error Processor::Impl::begin_transaction() {
  if (Error e = producer.begin_transaction()) return e.with_context("processor");
  return {};
}

Error Processor::Impl::commit_transaction(std::span<const Message> records) {
  const std::vector<TopicPartition> offsets = next_offsets(records);
  // Taken after the batch was polled: it names the generation that owns these offsets.
  const GroupMetadata group = consumer.group_metadata();
  Error e;
  for (int attempt = 1; attempt <= transaction_attempts; ++attempt) {
    e = producer.send_offsets_to_transaction(offsets, group, options.commit_timeout);
    if (!e.retriable()) break;
  }
  if (e) return e;
  for (int attempt = 1; attempt <= transaction_attempts; ++attempt) {
    e = producer.commit_transaction(options.commit_timeout);
    if (!e.retriable()) break;
  }
  return e;
}

void Processor::Impl::rewind(std::span<const Message> unprocessed) {
  std::vector<TopicPartition> starts;
  add_first_offsets(unprocessed, starts);
  seek_back(starts);
}

void Processor::Impl::add_first_offsets(std::span<const Message> records,
                                        std::vector<TopicPartition>& starts) {
  for (const Message& m : records) {
    const bool seen = std::any_of(starts.begin(), starts.end(), [&](const TopicPartition& tp) {
      return tp.partition == m.partition() && tp.topic == m.topic();
    });
    if (!seen) starts.push_back({std::string{m.topic()}, m.partition(), m.offset()});
  }
}

void Processor::Impl::seek_back(const std::vector<TopicPartition>& starts) {
  for (const TopicPartition& start : starts) {
    if (Error e = consumer.seek(start, options.commit_timeout)) {
      report(e.with_message("could not rewind to the first unprocessed record (" + e.message() +
                            "); it will be read again after a restart"));
      stop_with(e);
    }
  }
}

}  // namespace mib
