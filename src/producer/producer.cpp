#include "mib/producer/producer.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "kafka/handle.hpp"

namespace mib {
namespace {

// Travels with each record through librdkafka as its opaque; the delivery report
// callback completes it and frees it. Exactly one of the two ways is used.
struct PendingDelivery {
  std::promise<DeliveryReport> promise;
  DeliveryCallback callback;
  bool use_callback = false;

  void complete(const DeliveryReport& report) {
    if (use_callback) {
      try {
        callback(report);
      } catch (...) {
        // An exception must not cross librdkafka's C frames; the report was delivered.
      }
    } else {
      promise.set_value(report);
    }
  }
};

DeliveryReport make_report(const rd_kafka_message_t* m) {
  DeliveryReport report;
  report.topic = rd_kafka_topic_name(m->rkt);
  report.partition = m->partition;
  report.offset = m->offset;
  rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
  const std::int64_t ms = rd_kafka_message_timestamp(m, &type);
  if (ms >= 0) report.timestamp = Timestamp{std::chrono::milliseconds{ms}};
  report.timestamp_type = kafka::to_timestamp_type(type);
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    report.error =
        kafka::to_error(m->err, std::string{rd_kafka_err2str(m->err)} + " (topic '" + report.topic +
                                    "', partition " + std::to_string(m->partition) + ")");
  }
  return report;
}

}  // namespace

struct Producer::Impl {
  kafka::KafkaHandle handle;
  ProducerOptions settings;
  std::thread poller;
  std::atomic<bool> stopping{false};
  bool closed = false;
  // Records accepted by librdkafka and not yet reported. Counted here rather than read
  // from rd_kafka_outq_len(), which also counts librdkafka's own requests.
  std::atomic<std::int64_t> unreported{0};
  std::mutex drained_mutex;
  std::condition_variable drained;

  static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    auto* pending = static_cast<PendingDelivery*>(m->_private);
    if (pending == nullptr) return;
    pending->complete(make_report(m));
    delete pending;
    auto* self = static_cast<Impl*>(opaque);
    if (self->unreported.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      const std::lock_guard lock{self->drained_mutex};
      self->drained.notify_all();
    }
  }

  // Waits, without serving callbacks on this thread, until every record is reported.
  bool wait_drained(std::chrono::milliseconds timeout) {
    std::unique_lock lock{drained_mutex};
    return drained.wait_for(lock, timeout,
                            [this] { return unreported.load(std::memory_order_acquire) == 0; });
  }

  Impl(const KafkaProperties& properties, ProducerOptions opts) : settings(opts) {
    auto conf = kafka::make_conf(properties);
    rd_kafka_conf_set_dr_msg_cb(conf.get(), &Impl::on_delivery);
    rd_kafka_conf_set_opaque(conf.get(), this);
    handle = kafka::make_handle(RD_KAFKA_PRODUCER, std::move(conf));
    poller = std::thread([this] {
      while (!stopping.load(std::memory_order_acquire)) rd_kafka_poll(handle.get(), 100);
    });
  }

  ~Impl() { close(settings.close_timeout); }

  void enqueue(std::string_view topic, std::string_view key, std::string_view value,
               HeaderList headers, const SendOptions& options, PendingDelivery* pending) {
    rd_kafka_headers_t* hdrs = nullptr;
    if (!headers.empty()) {
      hdrs = rd_kafka_headers_new(headers.size());
      for (const Header& h : headers) {
        rd_kafka_header_add(hdrs, h.key.data(), static_cast<ssize_t>(h.key.size()), h.value.data(),
                            static_cast<ssize_t>(h.value.size()));
      }
    }
    const std::string topic_name{topic};
    const std::int64_t ts = options.timestamp ? options.timestamp->time_since_epoch().count() : 0;
    std::array<rd_kafka_vu_t, 8> fields{};
    fields[0].vtype = RD_KAFKA_VTYPE_TOPIC;
    fields[0].u.cstr = topic_name.c_str();
    fields[1].vtype = RD_KAFKA_VTYPE_PARTITION;
    fields[1].u.i32 = options.partition.value_or(RD_KAFKA_PARTITION_UA);
    fields[2].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    fields[2].u.i = RD_KAFKA_MSG_F_COPY;
    fields[3].vtype = RD_KAFKA_VTYPE_KEY;
    fields[3].u.mem = {const_cast<char*>(key.data()), key.size()};
    fields[4].vtype = RD_KAFKA_VTYPE_VALUE;
    fields[4].u.mem = {const_cast<char*>(value.data()), value.size()};
    fields[5].vtype = RD_KAFKA_VTYPE_TIMESTAMP;
    fields[5].u.i64 = ts;
    fields[6].vtype = RD_KAFKA_VTYPE_OPAQUE;
    fields[6].u.ptr = pending;
    std::size_t field_count = 7;
    if (hdrs != nullptr) {
      fields[7].vtype = RD_KAFKA_VTYPE_HEADERS;
      fields[7].u.headers = hdrs;
      field_count = 8;
    }

    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__DESTROY;
    const auto give_up_at = std::chrono::steady_clock::now() + settings.queue_full_wait;
    auto pause = std::chrono::microseconds{50};
    unreported.fetch_add(1, std::memory_order_acq_rel);
    while (!closed) {
      err = RD_KAFKA_RESP_ERR_NO_ERROR;
      if (rd_kafka_error_t* error = rd_kafka_produceva(handle.get(), fields.data(), field_count)) {
        err = rd_kafka_error_code(error);
        rd_kafka_error_destroy(error);
      }
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || std::chrono::steady_clock::now() >= give_up_at) {
        break;
      }
      // The poller frees room as delivery reports come in; back off a little each time.
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::microseconds{5'000});
    }
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      unreported.fetch_sub(1, std::memory_order_acq_rel);
      // Not accepted: the headers are still ours, and the caller hears about it now.
      if (hdrs != nullptr) rd_kafka_headers_destroy(hdrs);
      DeliveryReport report;
      report.topic = topic_name;
      report.partition = options.partition.value_or(-1);
      report.error = kafka::to_error(
          err, std::string{"send to topic '"} + topic_name + "' refused: " + rd_kafka_err2str(err));
      pending->complete(report);
      delete pending;
    }
  }

  void close(std::chrono::milliseconds timeout) {
    if (closed || !handle) return;
    closed = true;
    if (!wait_drained(timeout)) {
      // Whatever did not make it is purged, which produces its delivery report.
      rd_kafka_purge(handle.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
      wait_drained(std::chrono::seconds{5});
    }
    stopping.store(true, std::memory_order_release);
    poller.join();
    // Anything still unreported now (nothing, unless librdkafka was stuck) is served here.
    while (unreported.load() > 0 && rd_kafka_poll(handle.get(), 100) > 0) {
    }
    handle.reset();
  }
};

Producer::Producer(const KafkaProperties& properties, ProducerOptions options)
    : impl_(std::make_unique<Impl>(properties, options)) {}
Producer::Producer(const Config& config)
    : Producer(config.producer_properties(),
               ProducerOptions{.queue_full_wait = config.producer.queue_full_wait,
                               .close_timeout = config.producer.close_timeout}) {}

Producer::~Producer() = default;
Producer::Producer(Producer&&) noexcept = default;
Producer& Producer::operator=(Producer&&) noexcept = default;

std::future<DeliveryReport> Producer::send(std::string_view topic, std::string_view key,
                                           std::string_view value, HeaderList headers,
                                           const SendOptions& options) {
  auto* pending = new PendingDelivery{};
  auto future = pending->promise.get_future();
  impl_->enqueue(topic, key, value, headers, options, pending);
  return future;
}

void Producer::send(std::string_view topic, std::string_view key, std::string_view value,
                    HeaderList headers, const SendOptions& options, DeliveryCallback on_delivery) {
  auto* pending = new PendingDelivery{{}, std::move(on_delivery), true};
  impl_->enqueue(topic, key, value, headers, options, pending);
}

Error Producer::flush(std::chrono::milliseconds timeout) {
  if (impl_->wait_drained(timeout)) return {};
  return Error::from_kafka(errc::timed_out, "flush: " + std::to_string(in_flight()) +
                                                " records still unreported after " +
                                                std::to_string(timeout.count()) + " ms");
}

std::size_t Producer::in_flight() const {
  return static_cast<std::size_t>(impl_->unreported.load(std::memory_order_acquire));
}

void Producer::close(std::chrono::milliseconds timeout) {
  impl_->close(timeout);
}

}  // namespace mib
