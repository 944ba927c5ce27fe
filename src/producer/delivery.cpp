// Delivery reports: a record is delivered, sent again, dead-lettered, or reported failed.
#include <algorithm>

#include "kafka/dead_letter.hpp"
#include "producer/producer_impl.hpp"

namespace mib {
namespace {

// Overwrites every field of `report` but its topic.
void fill_report(DeliveryReport& report, const rd_kafka_message_t* m) {
  report.partition = m->partition;
  report.offset = m->offset;
  rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
  const std::int64_t ms = rd_kafka_message_timestamp(m, &type);
  report.timestamp = ms >= 0 ? Timestamp{std::chrono::milliseconds{ms}} : Timestamp{};
  report.timestamp_type = kafka::to_timestamp_type(type);
  report.error = m->err == RD_KAFKA_RESP_ERR_NO_ERROR
                     ? Error{}
                     : kafka::to_error(m->err, std::string{rd_kafka_err2str(m->err)} + " (topic '" +
                                                   report.topic + "', partition " +
                                                   std::to_string(m->partition) + ")");
  report.attempts = 1;
  report.dead_letter.reset();
}

// Errors that mean "the producer is going away", not "this record is bad".
bool is_shutdown(const DeliveryReport& report) {
  return report.purged() || report.error.code() == errc::destroyed;
}

// Failures a record gets when no broker took it, rather than a broker's verdict on it.
bool could_be_the_cluster(errc code) {
  return code == errc::message_timed_out || code == errc::timed_out || code == errc::transport ||
         code == errc::all_brokers_down;
}

}  // namespace

OutgoingRecord OutgoingRecord::copy_of(const rd_kafka_message_t* m, bool keep_partition) {
  OutgoingRecord r;
  r.topic = rd_kafka_topic_name(m->rkt);
  r.has_key = m->key != nullptr;
  if (m->key != nullptr) r.key.assign(static_cast<const char*>(m->key), m->key_len);
  if (m->payload != nullptr) r.value.assign(static_cast<const char*>(m->payload), m->len);
  r.partition = keep_partition ? m->partition : RD_KAFKA_PARTITION_UA;
  r.timestamp_ms = std::max<std::int64_t>(0, rd_kafka_message_timestamp(m, nullptr));
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(m, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* name = nullptr;
    const void* value = nullptr;
    std::size_t size = 0;
    for (std::size_t i = 0;
         rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
         ++i) {
      r.headers.emplace_back(name, value == nullptr
                                       ? std::string{}
                                       : std::string{static_cast<const char*>(value), size});
    }
  }
  return r;
}

void Producer::Impl::handle_report(const rd_kafka_message_t* m, ReportBatch& batch) {
  auto* pending = static_cast<PendingDelivery*>(m->_private);
  // Reused: it keeps its topic buffer, so a delivery on the callback path allocates
  // nothing for its report. Per thread, since close() may serve the last reports.
  thread_local DeliveryReport report;
  if (m->rkt != batch.topic) {  // the event's first report (all are of one topic, as a rule)
    batch.topic = m->rkt;
    batch.counts = &delivered.of(m->rkt);
    report.topic.assign(rd_kafka_topic_name(m->rkt));
  }
  fill_report(report, m);
  report.attempts = pending->attempts;

  if (pending->failed) {  // this was the dead letter of a failed record
    DeliveryReport original = std::move(*pending->failed);
    if (report.ok()) {
      original.dead_letter = TopicPartition{report.topic, report.partition, report.offset};
      dead_lettered.fetch_add(1, std::memory_order_relaxed);
    } else {
      original.error =
          original.error.with_message(original.error.message() + "; its dead letter to '" +
                                      report.topic + "' failed too: " + report.error.message());
    }
    finish_served(pending, original);
    return;
  }
  if (report.ok()) {
    connection.reached();
    // Reports are served on one thread at a time (the poller, then close()'s, after the
    // poller has stopped): no locked instruction per record.
    batch.counts->add_from_one_thread(m->len + m->key_len);
    record_size.record_from_one_thread(m->len + m->key_len);
    send_duration.record_from_one_thread(pending->age(m));
    finish_served(pending, report);
    return;
  }
  errors.fetch_add(1, std::memory_order_relaxed);
  if (connection.cluster_unreachable() && could_be_the_cluster(report.error.code())) {
    // The cluster itself is away: say why, and do not write a dead letter to it, which
    // could only fail the same way a delivery timeout later.
    if (const auto cause = connection.last_error()) {
      report.error = report.error.with_message(report.error.message() +
                                               "; no broker was reachable: " + cause->message() +
                                               "; not dead-lettered");
    }
    finish_served(pending, report);
    return;
  }
  if (pending->first_sent == std::chrono::steady_clock::time_point{}) {
    pending->first_sent = std::chrono::steady_clock::now() - pending->age(m);  // for retries
  }
  if (schedule_retry(m, pending, report)) return;
  if (send_dead_letter(m, pending, report)) return;
  finish_served(pending, report);
}

bool Producer::Impl::schedule_retry(const rd_kafka_message_t* m, PendingDelivery* pending,
                                    const DeliveryReport& report) {
  const RetryPolicy& policy = settings.retry;
  if (!report.error.retriable() || pending->attempts >= policy.max_attempts || transactional ||
      closing.load(std::memory_order_acquire)) {
    return false;
  }
  // initial * 2^(attempt-1), capped, scaled by a random factor around 1.
  const std::chrono::milliseconds backoff =
      std::min(std::chrono::milliseconds{policy.initial_backoff.count()
                                         << std::min(pending->attempts - 1, 20)},
               policy.max_backoff);
  std::uniform_real_distribution<double> factor{1.0 - policy.jitter, 1.0 + policy.jitter};
  const auto delay = std::chrono::milliseconds{
      static_cast<std::int64_t>(static_cast<double>(backoff.count()) * factor(jitter_rng))};
  const auto now = std::chrono::steady_clock::now();
  if (now + delay - pending->first_sent >= delivery_timeout) return false;

  const std::lock_guard lock{retry_mutex};
  retries.push_back(
      {now + delay, pending, OutgoingRecord::copy_of(m, pending->explicit_partition), report});
  return true;
}

std::chrono::milliseconds Producer::Impl::time_to_next_retry(std::chrono::milliseconds cap) {
  const std::lock_guard lock{retry_mutex};
  const auto now = std::chrono::steady_clock::now();
  for (const Retry& r : retries) {
    cap = std::min(cap, std::chrono::ceil<std::chrono::milliseconds>(
                            std::max(r.due - now, std::chrono::steady_clock::duration::zero())));
  }
  return cap;
}

void Producer::Impl::resend_due_retries() {
  std::vector<Retry> due;
  {
    const std::lock_guard lock{retry_mutex};
    if (retries.empty()) return;
    const auto now = std::chrono::steady_clock::now();
    const auto split = std::partition(retries.begin(), retries.end(),
                                      [now](const Retry& r) { return r.due > now; });
    due.assign(std::make_move_iterator(split), std::make_move_iterator(retries.end()));
    retries.erase(split, retries.end());
  }
  for (Retry& r : due) {
    ++r.pending->attempts;
    retried.fetch_add(1, std::memory_order_relaxed);
    const auto headers = dead_letter::views_of(r.record.headers);
    const auto err = produce(r.record.topic.c_str(), r.record.key, r.record.has_key, r.record.value,
                             false, std::span<const Header>{headers}, r.record.partition,
                             r.record.timestamp_ms, r.pending, false);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      DeliveryReport report = r.last_failure;
      report.attempts = r.pending->attempts;
      report.error = kafka::to_error(
          err, "resend to topic '" + r.record.topic + "' refused: " + rd_kafka_err2str(err));
      finish(r.pending, report);
    }
  }
}

bool Producer::Impl::send_dead_letter(const rd_kafka_message_t* m, PendingDelivery* pending,
                                      const DeliveryReport& report) {
  const std::string& suffix = settings.dead_letter_suffix;
  if (suffix.empty() || transactional || is_shutdown(report) ||
      closing.load(std::memory_order_acquire) || report.topic.ends_with(suffix)) {
    return false;
  }
  OutgoingRecord letter = OutgoingRecord::copy_of(m, false);
  letter.topic = dead_letter::topic_for(letter.topic, suffix);
  dead_letter::append_headers(letter.headers, {.topic = report.topic,
                                               .partition = report.partition,
                                               .error = report.error,
                                               .attempts = pending->attempts});

  pending->failed = std::make_unique<DeliveryReport>(report);
  const auto headers = dead_letter::views_of(letter.headers);
  const auto err = produce(letter.topic.c_str(), letter.key, letter.has_key, letter.value, false,
                           std::span<const Header>{headers}, RD_KAFKA_PARTITION_UA,
                           letter.timestamp_ms, pending, false);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return true;
  pending->failed.reset();
  return false;
}

}  // namespace mib
