#include "mib/consumer/consumer.hpp"

#include <algorithm>

#include "consumer/consumer_impl.hpp"
#include "kafka/connection_watch.hpp"
#include "kafka/user_callback.hpp"
#include "mib/log.hpp"

namespace mib {
namespace {

// Where a partition without a committed offset starts, from librdkafka's applied
// auto.offset.reset (it accepts several names for each).
StartWhenUnknown start_of(std::string_view reset) {
  return reset == "earliest" || reset == "smallest" || reset == "beginning"
             ? StartWhenUnknown::earliest
             : StartWhenUnknown::latest;
}

}  // namespace

Consumer::Impl::Impl(KafkaProperties properties, ConsumerOptions opts) : options(std::move(opts)) {
  if (!options.group_id.empty()) properties["group.id"] = options.group_id;
  if (options.max_poll_records == 0) {
    options.max_poll_records = ConsumerOptions::default_max_poll_records;
  }
  // Offsets are stored when the application is done with a record, not when librdkafka
  // hands it out (see "Offsets" in consumer.hpp).
  properties["enable.auto.offset.store"] = "false";

  auto conf = kafka::make_conf(properties);
  // The settings the consumer acts on, as librdkafka applied them (its defaults, its
  // aliases), rather than parsed again here.
  group_id = kafka::property_value(conf.get(), "group.id").value_or("");
  if (group_id.empty()) {
    throw Exception{Error{errc::invalid_argument,
                          "consumer: librdkafka property 'group.id' (or ConsumerOptions::group_id) "
                          "is required"}};
  }
  auto_commit = kafka::property_value(conf.get(), "enable.auto.commit") != "false";
  start_when_unknown =
      start_of(kafka::property_value(conf.get(), "auto.offset.reset").value_or(""));
  rd_kafka_conf_set_rebalance_cb(conf.get(), &Impl::on_rebalance);
  rd_kafka_conf_set_error_cb(conf.get(), &Impl::on_error);
  rd_kafka_conf_set_offset_commit_cb(conf.get(), &Impl::on_commit);
  rd_kafka_conf_set_stats_cb(conf.get(), &Impl::on_statistics);
  rd_kafka_conf_set_opaque(conf.get(), this);
  handle =
      kafka::make_handle(RD_KAFKA_CONSUMER, std::move(conf), options.oauthbearer_token_provider);
  // Serve rebalances, errors and statistics from the polls, on the polling thread.
  rd_kafka_poll_set_consumer(handle.get());
  queue = rd_kafka_queue_get_consumer(handle.get());
  if (auto_commit) {
    // Auto-commit commits what librdkafka's store holds: keep it a fifth of the commit
    // interval behind the application at most.
    const std::chrono::milliseconds interval{
        std::stoll(kafka::property_value(rd_kafka_conf(handle.get()), "auto.commit.interval.ms")
                       .value_or("5000"))};
    done.start(handle.get(), std::clamp(interval / 5, std::chrono::milliseconds{10},
                                        std::chrono::milliseconds{1000}));
  }
  name = rd_kafka_name(handle.get());
  registration = metrics::registry().add([this](metrics::Collection& out) {
    collect_consumer_metrics(out, name, metrics_view(), received, cached_lags());
    statistics.collect(out, name);
  });
}

Consumer::Impl::~Impl() {
  close();
}

void Consumer::Impl::report(const Error& error) {
  errors.fetch_add(1, std::memory_order_relaxed);
  if (options.on_error) {
    kafka::call_user("ConsumerOptions::on_error", [&] { options.on_error(error); });
  } else {
    const std::string message = "group " + group_id + ": " + error.message();
    log::write({.level = log::Level::error, .source = "mib::Consumer", .message = message});
  }
}

void Consumer::Impl::on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  static_cast<Impl*>(opaque)->report(kafka::describe_error_event(rk, err, reason));
}

void Consumer::Impl::on_commit(rd_kafka_t*, rd_kafka_resp_err_t err,
                               rd_kafka_topic_partition_list_t*, void* opaque) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__NO_OFFSET) return;
  static_cast<Impl*>(opaque)->report(
      kafka::to_error(err, std::string{"offset commit failed: "} + rd_kafka_err2str(err)));
}

int Consumer::Impl::on_statistics(rd_kafka_t*, char* json, size_t size, void* opaque) {
  auto* self = static_cast<Impl*>(opaque);
  if (auto parsed = kafka::parse_statistics({json, size}))
    self->statistics.update(std::move(*parsed));
  if (self->options.on_statistics) {
    kafka::call_user("ConsumerOptions::on_statistics", [&] {
      self->options.on_statistics(std::string_view{json, size});
    });
  }
  return 0;  // librdkafka frees the JSON
}

void Consumer::Impl::check_open(const char* call) const {
  if (closed) {
    throw Exception{
        Error{errc::invalid_argument, std::string{"consumer: "} + call + "() after close()"}};
  }
}

rd_kafka_topic_t* Consumer::Impl::topic_ref(rd_kafka_topic_t* topic) {
  for (rd_kafka_topic_t* t : topic_refs) {
    if (t == topic) return t;
  }
  // Our own reference keeps the topic object valid after the message that named it is
  // gone; librdkafka hands back the same object it already has.
  rd_kafka_topic_t* ref = rd_kafka_topic_new(handle.get(), rd_kafka_topic_name(topic), nullptr);
  topic_refs.push_back(ref);
  return ref;
}

void Consumer::Impl::accept(rd_kafka_message_t* m, bool note, Message& out) {
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    errors.fetch_add(1, std::memory_order_relaxed);
    kafka::wrap_message(m, handle, out);
    return;
  }
  if (m->rkt != counted_topic) {
    topic_ref(m->rkt);  // pins it
    counted = &received.of(m->rkt);
    counted_topic = m->rkt;
    counted_name = rd_kafka_topic_name(m->rkt);
  }
  // Only the polling thread counts: no locked instruction per record.
  counted->add_from_one_thread(m->len + m->key_len);
  record_size.record_from_one_thread(m->len + m->key_len);
  if (note) note_consumed(m);
  kafka::wrap_message(m, handle, out, counted_name);
}

void Consumer::Impl::note_consumed(rd_kafka_message_t* m) {
  for (auto it = consumed.rbegin(); it != consumed.rend(); ++it) {
    if (it->slot->topic == m->rkt && it->slot->partition == m->partition) {
      it->next_offset = m->offset + 1;
      return;
    }
  }
  DoneOffsets::Slot* slot = done.last(m->rkt, m->partition);
  if (slot == nullptr) slot = done.slot(topic_ref(m->rkt), m->partition);
  consumed.push_back({slot, m->offset + 1});
}

void Consumer::Impl::done_with_consumed() {
  if (holding) return;
  for (const Consumed& c : consumed) DoneOffsets::note(c.slot, c.next_offset);
  consumed.clear();
}

void Consumer::Impl::store_consumed() {
  done_with_consumed();
  done.store(handle.get());
}

void Consumer::Impl::store_now() {
  for (const Consumed& c : consumed) DoneOffsets::note(c.slot, c.next_offset);
  consumed.clear();
  done.store(handle.get());
}

void Consumer::Impl::set_floors(const rd_kafka_topic_partition_list_t* partitions) {
  for (int i = 0; i < partitions->cnt; ++i) {
    const auto& p = partitions->elems[i];
    if (p.offset >= 0) floors.push_back({p.topic, p.partition, p.offset});
  }
}

bool Consumer::Impl::below_floor(const rd_kafka_message_t* m) {
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) return false;
  const char* topic = rd_kafka_topic_name(m->rkt);
  for (auto it = floors.begin(); it != floors.end(); ++it) {
    if (it->partition != m->partition || it->topic != topic) continue;
    if (m->offset < it->offset) return true;
    floors.erase(it);  // reading from the floor on: nothing more to drop
    return false;
  }
  return false;
}

rd_kafka_message_t* Consumer::Impl::poll_one(std::chrono::milliseconds timeout) {
  rd_kafka_message_t* m = rd_kafka_consumer_poll(handle.get(), kafka::timeout_ms(timeout));
  if (m == nullptr || floors.empty()) return m;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (m != nullptr && below_floor(m)) {
    rd_kafka_message_destroy(m);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    m = rd_kafka_consumer_poll(handle.get(), kafka::timeout_ms(std::max(left, {})));
  }
  return m;
}

void Consumer::Impl::read(std::vector<Message>& out, std::size_t max,
                          std::chrono::milliseconds timeout, bool note) {
  out.clear();
  const auto started = std::chrono::steady_clock::now();
  // Wait for the first record only; then take whatever else is already fetched.
  // (rd_kafka_consume_batch_queue with a timeout would wait for all `max`.)
  rd_kafka_message_t* first = poll_one(timeout);
  if (first != nullptr) {
    thread_local std::vector<rd_kafka_message_t*> more;
    more.resize(max);
    more[0] = first;
    std::size_t n = 1;
    if (max > 1) {
      const ssize_t got = rd_kafka_consume_batch_queue(queue, 0, more.data() + 1, max - 1);
      if (got > 0) n += static_cast<std::size_t>(got);
    }
    if (!floors.empty()) {
      n = static_cast<std::size_t>(std::remove_if(more.begin() + 1,
                                                  more.begin() + static_cast<std::ptrdiff_t>(n),
                                                  [&](rd_kafka_message_t* m) {
                                                    if (!below_floor(m)) return false;
                                                    rd_kafka_message_destroy(m);
                                                    return true;
                                                  }) -
                                   more.begin());
    }
    out.resize(n);
    for (std::size_t i = 0; i < n; ++i) accept(more[i], note, out[i]);
  }
  poll_duration.record_from_one_thread(std::chrono::steady_clock::now() - started);
}

void Consumer::Impl::close() {
  if (closed || !handle) return;
  if (closing) return;  // a listener called close() while leaving the group
  closing = true;
  registration.reset();  // a closed consumer leaves the scrape
  done.stop();
  store_consumed();
  // Leaves the group: revokes the assignment. The listener's on_revoked runs inside and
  // may still commit, so the consumer counts as open until this returns.
  if (auto err = rd_kafka_consumer_close(handle.get())) {
    report(kafka::to_error(err, std::string{"leaving the group failed: "} + rd_kafka_err2str(err)));
  }
  closed = true;
  assigned.store(0);
  for (rd_kafka_topic_t* t : topic_refs) rd_kafka_topic_destroy(t);
  topic_refs.clear();
  rd_kafka_queue_destroy(queue);
  queue = nullptr;
  handle.reset();
}

Consumer::Consumer(const KafkaProperties& properties, ConsumerOptions options)
    : impl_(std::make_unique<Impl>(properties, std::move(options))) {
  impl_->owner = this;
  if (!impl_->options.topics.empty()) subscribe(impl_->options.topics);
}

Consumer::Consumer(const Config& config, ConsumerOptions options)
    : Consumer(config.consumer_properties(), [&] {
        if (options.max_poll_records == 0) {
          options.max_poll_records = static_cast<std::size_t>(config.consumer.max_poll_records);
        }
        if (!options.oauthbearer_token_provider) {
          options.oauthbearer_token_provider = config.security.sasl.oauthbearer_token_provider;
        }
        return std::move(options);
      }()) {}

GroupMetadata Consumer::group_metadata() const {
  rd_kafka_t* rk = impl_ ? impl_->handle.get() : nullptr;
  if (rk == nullptr) return {};
  rd_kafka_consumer_group_metadata_t* group = rd_kafka_consumer_group_metadata(rk);
  if (group == nullptr) return {};
  void* buffer = nullptr;
  std::size_t size = 0;
  rd_kafka_error_t* error = rd_kafka_consumer_group_metadata_write(group, &buffer, &size);
  rd_kafka_consumer_group_metadata_destroy(group);
  if (error != nullptr) {
    rd_kafka_error_destroy(error);
    return {};
  }
  GroupMetadata metadata = GroupMetadata::from_bytes(
      impl_->group_id, std::string{static_cast<const char*>(buffer), size});
  rd_kafka_mem_free(rk, buffer);
  return metadata;
}

Consumer::~Consumer() {
  if (impl_) impl_->close();
}

Consumer::Consumer(Consumer&& other) noexcept : impl_(std::move(other.impl_)) {
  if (impl_) impl_->owner = this;
}

Consumer& Consumer::operator=(Consumer&& other) noexcept {
  if (this != &other) {
    if (impl_) impl_->close();
    impl_ = std::move(other.impl_);
    if (impl_) impl_->owner = this;
  }
  return *this;
}

void Consumer::subscribe(const std::vector<std::string>& topics) {
  impl_->check_open("subscribe");
  kafka::PartitionList list{rd_kafka_topic_partition_list_new(static_cast<int>(topics.size()))};
  for (const auto& topic : topics) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  }
  if (auto err = rd_kafka_subscribe(impl_->handle.get(), list.get())) {
    throw Exception{kafka::to_error(err, std::string{"subscribe: "} + rd_kafka_err2str(err))};
  }
  impl_->manual_assignment.clear();
  impl_->floors.clear();
}

void Consumer::unsubscribe() {
  impl_->check_open("unsubscribe");
  impl_->store_consumed();
  if (auto err = rd_kafka_unsubscribe(impl_->handle.get())) {
    throw Exception{kafka::to_error(err, std::string{"unsubscribe: "} + rd_kafka_err2str(err))};
  }
}

std::vector<std::string> Consumer::subscription() const {
  impl_->check_open("subscription");
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (auto err = rd_kafka_subscription(impl_->handle.get(), &raw)) {
    throw Exception{kafka::to_error(err, std::string{"subscription: "} + rd_kafka_err2str(err))};
  }
  kafka::PartitionList list{raw};
  std::vector<std::string> out;
  for (const TopicPartition& tp : kafka::to_partitions(list.get())) out.push_back(tp.topic);
  return out;
}

void Consumer::assign(const std::vector<TopicPartition>& partitions) {
  impl_->check_open("assign");
  impl_->store_consumed();
  auto list = kafka::to_partition_list(partitions);
  if (auto err = rd_kafka_assign(impl_->handle.get(), list.get())) {
    throw Exception{kafka::to_error(err, std::string{"assign: "} + rd_kafka_err2str(err))};
  }
  impl_->manual_assignment = partitions;
  impl_->floors.clear();
  impl_->count_assignment();
}

void Consumer::Impl::count_assignment() {
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (rd_kafka_assignment(handle.get(), &raw) != RD_KAFKA_RESP_ERR_NO_ERROR) return;
  kafka::PartitionList list{raw};
  assigned.store(static_cast<std::size_t>(list->cnt));
}

std::size_t Consumer::assigned_partitions() const noexcept {
  return impl_->assigned.load();
}

std::vector<TopicPartition> Consumer::assignment() const {
  impl_->check_open("assignment");
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (auto err = rd_kafka_assignment(impl_->handle.get(), &raw)) {
    throw Exception{kafka::to_error(err, std::string{"assignment: "} + rd_kafka_err2str(err))};
  }
  kafka::PartitionList list{raw};
  return kafka::to_partitions(list.get());
}

std::optional<Message> Consumer::poll(std::chrono::milliseconds timeout) {
  Impl& i = *impl_;
  i.check_open("poll");
  i.done_with_consumed();
  // One poll in 16 is timed: two clock reads would cost a quarter of a poll that finds
  // its record already fetched.
  const bool timed = i.sample();
  const auto started =
      timed ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  rd_kafka_message_t* m = i.poll_one(timeout);
  if (timed) i.poll_duration.record_from_one_thread(std::chrono::steady_clock::now() - started);
  // Filled in place: a Message moved into the optional would cost a fifth of this call.
  std::optional<Message> out;
  if (m != nullptr) i.accept(m, true, out.emplace());
  return out;
}

std::vector<Message> Consumer::poll_batch(std::chrono::milliseconds timeout) {
  impl_->check_open("poll_batch");
  impl_->done_with_consumed();
  std::vector<Message> out;
  impl_->read(out, impl_->options.max_poll_records, timeout, true);
  return out;
}

Error Consumer::commit() {
  impl_->check_open("commit");
  impl_->store_consumed();
  const auto err = rd_kafka_commit(impl_->handle.get(), nullptr, 0);
  if (err == RD_KAFKA_RESP_ERR__NO_OFFSET) return {};  // nothing consumed since last time
  return kafka::to_error(err, err ? std::string{"commit: "} + rd_kafka_err2str(err) : "");
}

Error Consumer::commit(const std::vector<TopicPartition>& offsets) {
  impl_->check_open("commit");
  auto list = kafka::to_partition_list(offsets);
  const auto err = rd_kafka_commit(impl_->handle.get(), list.get(), 0);
  return kafka::to_error(err, err ? std::string{"commit: "} + rd_kafka_err2str(err) : "");
}

void Consumer::hold_offsets(bool on) {
  impl_->holding = on;
}

void Consumer::release_offsets() {
  impl_->check_open("release_offsets");
  impl_->store_now();
}

void Consumer::commit_async() {
  impl_->check_open("commit_async");
  impl_->store_consumed();
  const auto err = rd_kafka_commit(impl_->handle.get(), nullptr, 1);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
    impl_->report(kafka::to_error(err, std::string{"commit_async: "} + rd_kafka_err2str(err)));
  }
}

std::vector<PartitionLag> Consumer::Impl::cached_lags() const {
  std::vector<PartitionLag> out;
  if (closed) return out;
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (rd_kafka_assignment(handle.get(), &raw) != RD_KAFKA_RESP_ERR_NO_ERROR) return out;
  kafka::PartitionList list{raw};
  rd_kafka_position(handle.get(), list.get());
  for (int k = 0; k < list->cnt; ++k) {
    const auto& p = list->elems[k];
    std::int64_t low = -1, high = -1;
    if (rd_kafka_get_watermark_offsets(handle.get(), p.topic, p.partition, &low, &high) !=
            RD_KAFKA_RESP_ERR_NO_ERROR ||
        high < 0) {
      continue;  // nothing fetched yet: unknown, not 0
    }
    PartitionLag lag{.topic = p.topic,
                     .partition = p.partition,
                     .low_watermark = low,
                     .high_watermark = high,
                     .position = p.offset >= 0 ? std::optional{p.offset} : std::nullopt};
    lag.lag = compute_lag(low, high, lag.position, std::nullopt, start_when_unknown);
    out.push_back(std::move(lag));
  }
  return out;
}

ConsumerMetrics Consumer::Impl::metrics_view() const {
  ConsumerMetrics m;
  m.messages_received_total = received.total_records();
  m.bytes_received_total = received.total_bytes();
  m.errors_total = errors.load(std::memory_order_relaxed);
  m.rebalances_total = rebalances.get();
  m.poll_duration = poll_duration.snapshot();
  m.record_size = record_size.snapshot();
  return m;
}

ConsumerMetrics Consumer::metrics() const {
  ConsumerMetrics m = impl_->metrics_view();
  for (const PartitionLag& p : impl_->cached_lags()) m.lag += p.lag;
  return m;
}

const std::string& Consumer::name() const {
  return impl_->name;
}

const std::string& Consumer::group_id() const {
  return impl_->group_id;
}

bool Consumer::auto_commit() const {
  return impl_->auto_commit;
}

void Consumer::close() {
  impl_->close();
}

}  // namespace mib
