#include "mib/producer/producer.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "kafka/statistics.hpp"
#include "kafka/user_callback.hpp"
#include "producer/producer_impl.hpp"

namespace mib {

Producer::Impl::Impl(const KafkaProperties& properties, ProducerOptions options)
    : settings(std::move(options)), transactional(properties.contains("transactional.id")) {
  auto conf = kafka::make_conf(properties);
  // The producer's own resends stop when librdkafka would (delivery.timeout.ms is an
  // alias of message.timeout.ms; its default applies when neither is given).
  delivery_timeout = std::chrono::milliseconds{
      std::stoll(kafka::property_value(conf.get(), "message.timeout.ms").value_or("300000"))};
  // Events rather than callbacks, so that served delivery reports can be destroyed on a
  // sending thread (SpentReports says why).
  rd_kafka_conf_set_events(conf.get(),
                           RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR | RD_KAFKA_EVENT_STATS);
  // OAUTHBEARER token refreshes would come to the main queue as events too, where nothing
  // calls the refresh callback: make_handle gives them a queue of their own.
  handle =
      kafka::make_handle(RD_KAFKA_PRODUCER, std::move(conf), settings.oauthbearer_token_provider);
  events.reset(rd_kafka_queue_get_main(handle.get()));
  // A transaction's commit waits until every record is destroyed: none waits for a send.
  if (transactional) spent.begin_draining();
  name = rd_kafka_name(handle.get());
  registration = metrics::registry().add([this](metrics::Collection& out) {
    collect_producer_metrics(out, name, metrics_view(), delivered);
    statistics.collect(out, name);
  });
  poller.start([this] {
    const std::int64_t served_before = served_reported.load(std::memory_order_relaxed);
    const bool served =
        serve_event(spent.next_due(time_to_next_retry(std::chrono::milliseconds{100})));
    while (served && serve_event(std::chrono::milliseconds{0})) {
    }
    gather_reports(served_reported.load(std::memory_order_relaxed) - served_before);
    spent.destroy_stale();
    if (served && room_waiters.load(std::memory_order_acquire) > 0 &&
        unreported() <= room_at.load(std::memory_order_acquire)) {
      const std::lock_guard lock{room_mutex};
      room.notify_all();
    }
    resend_due_retries();
  });
}

Producer::Impl::~Impl() {
  close(settings.close_timeout);
}

void Producer::Impl::gather_reports(std::int64_t just_served) {
  // Under load, a wait on librdkafka's queue returns for each event, a batch of one
  // partition's reports: thousands of wake-ups a second, each a futex call from the broker
  // thread and a context switch here, which cost the producer a fifth of a raw loop's
  // throughput on two cores (bench/RESULTS.md). After a busy round the poller sleeps a
  // moment instead, and the next round takes everything that came meanwhile. Not while a
  // flush() or close() waits for the last reports, nor at low rates, where each report goes
  // out as soon as it comes (the latency runs of producer_bench). A sender waiting for
  // room in a full queue gets no exception: it is woken once a quarter of the queue is
  // served, which bigger rounds reach no later (measured: skipping the pause for it cost
  // 0.15 of the ratio, since a fast sender keeps the queue full).
  if (just_served < busy_round_reports || drain_waiters.load(std::memory_order_relaxed) > 0) {
    return;
  }
  std::this_thread::sleep_for(busy_round_pause);
}

bool Producer::Impl::serve_event(std::chrono::milliseconds wait) {
  rd_kafka_event_t* event = rd_kafka_queue_poll(events.get(), kafka::timeout_ms(wait));
  if (event == nullptr) return false;
  switch (rd_kafka_event_type(event)) {
    case RD_KAFKA_EVENT_DR: {
      ReportBatch batch;
      while (const rd_kafka_message_t* m = rd_kafka_event_message_next(event)) {
        if (m->_private != nullptr) handle_report(m, batch);
      }
      end_of_served();
      spent.keep(event);
      return true;
    }
    case RD_KAFKA_EVENT_ERROR:
      on_error_event(rd_kafka_event_error_is_fatal(event) ? RD_KAFKA_RESP_ERR__FATAL
                                                          : rd_kafka_event_error(event),
                     rd_kafka_event_error_string(event));
      break;
    case RD_KAFKA_EVENT_STATS: on_statistics(rd_kafka_event_stats(event)); break;
    default: break;
  }
  rd_kafka_event_destroy(event);
  return true;
}

void Producer::Impl::on_statistics(std::string_view json) {
  if (auto parsed = kafka::parse_statistics(json)) statistics.update(std::move(*parsed));
  if (settings.on_statistics) {
    kafka::call_user("ProducerOptions::on_statistics", [&] { settings.on_statistics(json); });
  }
}

void Producer::Impl::on_error_event(int code, const char* reason) {
  const Error event = kafka::describe_error_event(handle.get(), code, reason);
  connection.observe(event);
  if (event.fatal()) failed.store(true);
  if (settings.on_error) {
    kafka::call_user("ProducerOptions::on_error", [&] { settings.on_error(event); });
  }
}

rd_kafka_resp_err_t Producer::Impl::produce(const char* topic, std::string_view key, bool has_key,
                                            std::string_view value, bool borrow, HeaderList headers,
                                            std::int32_t partition, std::int64_t timestamp_ms,
                                            PendingDelivery* pending, bool may_wait) {
  rd_kafka_headers_t* hdrs = nullptr;
  if (!headers.empty()) {
    hdrs = rd_kafka_headers_new(headers.size());
    for (const Header& h : headers) {
      rd_kafka_header_add(hdrs, h.key.data(), static_cast<ssize_t>(h.key.size()), h.value.data(),
                          static_cast<ssize_t>(h.value.size()));
    }
  }
  std::array<rd_kafka_vu_t, 8> fields;  // each one used is set below: no zeroing per record
  fields[0].vtype = RD_KAFKA_VTYPE_TOPIC;
  fields[0].u.cstr = topic;
  fields[1].vtype = RD_KAFKA_VTYPE_PARTITION;
  fields[1].u.i32 = partition;
  fields[2].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
  fields[2].u.i = borrow ? 0 : RD_KAFKA_MSG_F_COPY;
  fields[3].vtype = RD_KAFKA_VTYPE_KEY;
  fields[3].u.mem = {has_key ? const_cast<char*>(key.data()) : nullptr, has_key ? key.size() : 0};
  fields[4].vtype = RD_KAFKA_VTYPE_VALUE;
  fields[4].u.mem = {const_cast<char*>(value.data()), value.size()};
  fields[5].vtype = RD_KAFKA_VTYPE_TIMESTAMP;
  fields[5].u.i64 = timestamp_ms;
  fields[6].vtype = RD_KAFKA_VTYPE_OPAQUE;
  fields[6].u.ptr = pending;
  std::size_t field_count = 7;
  if (hdrs != nullptr) {
    fields[7].vtype = RD_KAFKA_VTYPE_HEADERS;
    fields[7].u.headers = hdrs;
    field_count = 8;
  }

  std::optional<std::chrono::steady_clock::time_point> give_up_at;  // set on the first refusal
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__DESTROY;
  while (!closed) {
    err = RD_KAFKA_RESP_ERR_NO_ERROR;
    if (rd_kafka_error_t* error = rd_kafka_produceva(handle.get(), fields.data(), field_count)) {
      err = rd_kafka_error_code(error);
      rd_kafka_error_destroy(error);
    }
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || !may_wait) break;
    const auto now = std::chrono::steady_clock::now();
    if (!give_up_at) {
      give_up_at = now + settings.queue_full_wait;
      // The wait counts towards its send duration (only send() waits, on the first try).
      pending->first_sent = now;
    }
    if (now >= *give_up_at) break;
    spent.destroy_all();  // served records still count in librdkafka's queue
    wait_for_room(*give_up_at);
  }
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR && hdrs != nullptr) {
    rd_kafka_headers_destroy(hdrs);  // not accepted: the headers are still ours
  }
  return err;
}

void Producer::Impl::wait_for_room(std::chrono::steady_clock::time_point until) {
  // Wake when a quarter of the queue has drained, not at every served report: waking
  // the sender for each few records cost more in context switches than the sends.
  const std::int64_t queued = unreported();
  room_at.store(queued - std::max<std::int64_t>(1, queued / 4), std::memory_order_release);
  room_waiters.fetch_add(1, std::memory_order_acq_rel);
  {
    // A short cap: a report served between the refusal and this wait would otherwise go
    // unnoticed until `until`.
    std::unique_lock lock{room_mutex};
    room.wait_until(
        lock, std::min(until, std::chrono::steady_clock::now() + std::chrono::milliseconds{10}));
  }
  room_waiters.fetch_sub(1, std::memory_order_acq_rel);
}

void Producer::Impl::enqueue(const Record& record, bool borrow, PendingDelivery* pending) {
  // librdkafka wants a C string; a per-thread buffer keeps its capacity from send to send.
  thread_local std::string topic_name;
  topic_name.assign(record.topic);
  spent.destroy_all();  // records reported since the last send: freed where they were made
  pending->explicit_partition = record.partition.has_value();
  accepted.fetch_add(1, std::memory_order_acq_rel);
  const auto err =
      produce(topic_name.c_str(), record.key, true, record.value, borrow, record.headers,
              record.partition.value_or(RD_KAFKA_PARTITION_UA),
              record.timestamp ? record.timestamp->time_since_epoch().count() : 0, pending, true);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    // Not accepted: the caller hears about it now, on its own thread.
    DeliveryReport report;
    report.topic = topic_name;
    report.partition = record.partition.value_or(-1);
    report.error = kafka::to_error(
        err, "send to topic '" + topic_name + "' refused: " + rd_kafka_err2str(err));
    errors.fetch_add(1, std::memory_order_relaxed);
    finish(pending, report);
  }
}

std::int64_t Producer::Impl::unreported() const {
  // The reports first: every record they count was accepted before, so `accepted`, read
  // after, counts it too. Read the other way round, a record sent and reported in between
  // would hide one that is still unreported.
  const std::int64_t done = served_reported.load(std::memory_order_seq_cst) +
                            other_reported.load(std::memory_order_seq_cst);
  return accepted.load(std::memory_order_seq_cst) - done;
}

bool Producer::Impl::wait_drained(std::chrono::milliseconds timeout) {
  // Announced before the count is read (seq_cst, as in notify_if_drained()): either the
  // reporting side sees a waiter and notifies, or this wait sees its report counted.
  drain_waiters.fetch_add(1, std::memory_order_seq_cst);
  bool done = false;
  {
    std::unique_lock lock{drained_mutex};
    done = drained.wait_for(lock, timeout, [this] { return unreported() == 0; });
  }
  drain_waiters.fetch_sub(1, std::memory_order_relaxed);
  return done;
}

// A counter only one thread writes: a plain load and store, no locked instruction.
static void bump(std::atomic<std::int64_t>& counter) noexcept {
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

void Producer::Impl::finish_served(PendingDelivery* pending, const DeliveryReport& report) {
  // `begun` goes up before the report reaches the caller and `reported` once the callback
  // has returned, so that in_flight() is 0 once every future is ready, while flush()
  // still waits for the last callback to return.
  bump(served_begun);
  pending->complete(report);
  served_returns.add(pending);
  bump(served_reported);
}

void Producer::Impl::end_of_served() {
  served_returns.give_all();
  notify_if_drained();
}

void Producer::Impl::finish(PendingDelivery* pending, const DeliveryReport& report) {
  other_begun.fetch_add(1, std::memory_order_acq_rel);
  pending->complete(report);
  PendingPool::give(pending);
  other_reported.fetch_add(1, std::memory_order_seq_cst);
  notify_if_drained();
}

void Producer::Impl::notify_if_drained() {
  // Orders the reports counted before it against the read of drain_waiters, as
  // wait_drained()'s seq_cst announcement does on its side.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (drain_waiters.load(std::memory_order_seq_cst) > 0 && unreported() == 0) {
    const std::lock_guard lock{drained_mutex};
    drained.notify_all();
  }
}

std::int64_t Producer::Impl::in_flight() const {
  // The reports first, as in unreported(): read the other way round, a record sent and
  // reported in between would hide one still in flight.
  const std::int64_t begun =
      served_begun.load(std::memory_order_acquire) + other_begun.load(std::memory_order_acquire);
  return std::max<std::int64_t>(0, accepted.load(std::memory_order_acquire) - begun);
}

void Producer::Impl::close(std::chrono::milliseconds timeout) {
  if (closed || !handle) return;
  registration.reset();                            // a closed producer leaves the scrape
  closing.store(true, std::memory_order_release);  // no new retries or dead letters
  if (!wait_drained(timeout)) {
    // Whatever did not make it is purged, which produces its delivery report; records
    // waiting for a retry are reported with their last failure.
    rd_kafka_purge(handle.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    std::vector<Retry> waiting;
    {
      const std::lock_guard lock{retry_mutex};
      waiting.swap(retries);
    }
    for (auto& r : waiting) finish(r.pending, r.last_failure);
    wait_drained(std::chrono::seconds{5});
  }
  closed = true;
  poller.stop();
  // Anything still unreported now (nothing, unless librdkafka was stuck) is served here.
  while (unreported() > 0 && serve_event(std::chrono::milliseconds{100})) {
  }
  spent.destroy_all();
  events.reset();
  handle.reset();
}

Producer::Producer(const KafkaProperties& properties, ProducerOptions options)
    : impl_(std::make_unique<Impl>(properties, std::move(options))) {}

ProducerOptions ProducerOptions::from(const Config& config) {
  ProducerOptions options;
  options.queue_full_wait = config.producer.queue_full_wait;
  options.close_timeout = config.producer.close_timeout;
  options.dead_letter_suffix = config.producer.dead_letter_suffix;
  options.oauthbearer_token_provider = config.security.sasl.oauthbearer_token_provider;
  return options;
}

Producer::Producer(const Config& config)
    : Producer(config.producer_properties(), ProducerOptions::from(config)) {}

Producer::~Producer() = default;
Producer::Producer(Producer&&) noexcept = default;
Producer& Producer::operator=(Producer&&) noexcept = default;

std::future<DeliveryReport> Producer::send(const Record& record) {
  auto* pending = PendingPool::take();
  auto future = pending->reply.emplace<std::promise<DeliveryReport>>().get_future();
  impl_->enqueue(record, false, pending);
  return future;
}

void Producer::send(const Record& record, DeliveryCallback on_delivery) {
  auto* pending = PendingPool::take();
  pending->reply.emplace<DeliveryCallback>(std::move(on_delivery));
  impl_->enqueue(record, false, pending);
}

void Producer::send_borrowed(const Record& record, DeliveryCallback on_delivery) {
  auto* pending = PendingPool::take();
  pending->reply.emplace<DeliveryCallback>(std::move(on_delivery));
  impl_->enqueue(record, true, pending);
}

Error Producer::flush(std::chrono::milliseconds timeout) {
  Impl& i = *impl_;
  if (!i.closed.load() && i.unreported() > 0) {
    // rd_kafka_flush() sends what lingers at once (Java's flush() does the same) and waits
    // until librdkafka holds no record: until the poller has served and destroyed every
    // report, which it does at once while draining (a kept event would wait for a send).
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    i.spent.begin_draining();
    rd_kafka_flush(i.handle.get(), kafka::timeout_ms(timeout));
    i.spent.end_draining();
    // Retries waiting for their backoff and dead letters are not in librdkafka's queue.
    timeout = std::chrono::ceil<std::chrono::milliseconds>(
        std::max(deadline - std::chrono::steady_clock::now(), std::chrono::nanoseconds{0}));
  }
  if (i.wait_drained(timeout)) return {};
  return Error::from_kafka(errc::timed_out, "flush: " + std::to_string(in_flight()) +
                                                " records still unreported after " +
                                                std::to_string(timeout.count()) + " ms");
}

Error Producer::wait_for_cluster(std::chrono::milliseconds timeout,
                                 const std::function<bool()>& cancelled) {
  const auto bootstrap =
      kafka::property_value(rd_kafka_conf(impl_->handle.get()), "bootstrap.servers");
  return kafka::wait_for_cluster(impl_->handle.get(), impl_->connection,
                                 bootstrap.value_or("the bootstrap servers"), timeout, cancelled);
}

std::size_t Producer::in_flight() const {
  return static_cast<std::size_t>(impl_->in_flight());
}

ProducerMetrics Producer::Impl::metrics_view() const {
  const auto last = statistics.last();
  return {delivered.total_records(),
          delivered.total_bytes(),
          errors.load(std::memory_order_relaxed),
          retried.load(std::memory_order_relaxed),
          dead_lettered.load(std::memory_order_relaxed),
          in_flight(),
          send_duration.snapshot(),
          record_size.snapshot(),
          last ? last->compression_ratio().value_or(0) : 0};
}

ProducerMetrics Producer::metrics() const {
  return impl_->metrics_view();
}

const std::string& Producer::name() const {
  return impl_->name;
}

bool Producer::failed() const noexcept {
  return impl_->failed.load();
}

bool Producer::cluster_reachable() const {
  if (impl_->closing.load()) return false;
  // librdkafka's statistics see a connection up before any record is delivered. Any real
  // broker counts, the bootstrap one too: an idle producer may have only that one up.
  if (const auto last = impl_->statistics.last()) {
    return std::any_of(
        last->brokers.begin(), last->brokers.end(),
        [](const kafka::BrokerStatistics& b) { return b.real() && b.state == "UP"; });
  }
  return impl_->connection.ever_reached() && !impl_->connection.cluster_unreachable();
}

void Producer::close(std::chrono::milliseconds timeout) {
  impl_->close(timeout);
}

}  // namespace mib
