// producer_bench: mib::Producer against a raw librdkafka C loop with the very same
// properties, in the same run, on the same fresh topic (issue 4, item 10).
//
//   producer_bench [--brokers HOST:PORT,...] [--messages 2000000] [--size 100] [--runs 3]
//                  [--latency-rate 10000] [--latency-seconds 5]
//
// Throughput: --messages records per run and side, the sides alternating, timed from the
// first send to the last delivery report, with this process's CPU time per record.
// Latency: --latency-rate records/s for --latency-seconds per run and side with
// linger.ms=0, send -> delivery report for each record. Exit status 1 if any record failed.
// Figures and how to read them: bench/RESULTS.md.
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "mib/config/config.hpp"
#include "mib/market/synthetic_feed.hpp"
#include "mib/producer/producer.hpp"
#include "mib/serde/json.hpp"

namespace {

using SteadyClock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int topic_partitions = 6;
constexpr std::int64_t warm_up_records = 1'000;
constexpr auto flush_timeout = 120s;

// ---------------------------------------------------------------------------- options

struct Options {
  std::string brokers;
  std::int64_t messages = 2'000'000;
  std::int64_t size = 100;
  std::int64_t runs = 3;
  std::int64_t latency_rate = 10'000;
  std::int64_t latency_seconds = 5;
};

constexpr std::string_view usage =
    "usage: producer_bench [--brokers HOST:PORT,...] [--messages N] [--size BYTES]\n"
    "                      [--runs N] [--latency-rate MSG_PER_S] [--latency-seconds S]\n";

std::int64_t parse_positive(std::string_view name, const std::string& text) {
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || value <= 0) {
    throw std::invalid_argument(std::string{name} + " needs a positive whole number, not '" + text +
                                "'");
  }
  return value;
}

Options parse_options(int argc, char** argv) {
  Options options;
  const char* env = std::getenv("MIB_TEST_BROKERS");
  options.brokers = env != nullptr && *env != '\0' ? env : "127.0.0.1:9092";
  for (int i = 1; i < argc; ++i) {
    const std::string_view name = argv[i];
    if (name == "--help" || name == "-h") {
      std::fputs(usage.data(), stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) {
      throw std::invalid_argument("unknown option or missing value: " + std::string{name});
    }
    const std::string value = argv[++i];
    if (name == "--brokers") {
      options.brokers = value;
    } else if (name == "--messages") {
      options.messages = parse_positive(name, value);
    } else if (name == "--size") {
      options.size = parse_positive(name, value);
    } else if (name == "--runs") {
      options.runs = parse_positive(name, value);
    } else if (name == "--latency-rate") {
      options.latency_rate = parse_positive(name, value);
    } else if (name == "--latency-seconds") {
      options.latency_seconds = parse_positive(name, value);
    } else {
      throw std::invalid_argument("unknown option: " + std::string{name});
    }
  }
  return options;
}

std::vector<std::string> split_brokers(const std::string& list) {
  std::vector<std::string> brokers;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    if (comma > start) brokers.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return brokers;
}

// ---------------------------------------------------------------------------- payloads

// Market-data-like records, made before any timing so that neither side pays for them:
// JSON quotes from the synthetic feed, padded with spaces or cut to the requested size,
// keyed by symbol. A pool of distinct quotes is cycled through, so lz4 sees realistic data.
class Payloads {
 public:
  explicit Payloads(std::size_t value_size) {
    // Up to 65536 quotes, and no more than 64 MiB of them.
    const std::size_t distinct = std::clamp<std::size_t>((64u << 20) / value_size, 1, 1u << 16);
    mib::SyntheticFeed feed{{"AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "META", "TSLA", "JPM", "V",
                             "XOM", "UNH", "JNJ", "WMT", "PG", "MA", "HD"}};
    keys_.reserve(distinct);
    values_.reserve(distinct);
    std::string json;
    for (std::size_t i = 0; i < distinct; ++i) {
      const mib::MarketData quote = feed.next();
      json.clear();
      mib::json::encode(quote, json);
      json.resize(value_size, ' ');
      keys_.push_back(quote.symbol);
      values_.push_back(json);
    }
  }

  const std::string& key(std::int64_t i) const { return keys_[index(i)]; }
  const std::string& value(std::int64_t i) const { return values_[index(i)]; }

 private:
  std::size_t index(std::int64_t i) const { return static_cast<std::size_t>(i) % values_.size(); }

  std::vector<std::string> keys_;
  std::vector<std::string> values_;
};

// ---------------------------------------------------------------------------- librdkafka

// unique_ptr for librdkafka's C objects, each with its own destroy function.
template <auto Destroy>
struct Destroyer {
  template <class T>
  void operator()(T* object) const noexcept {
    Destroy(object);
  }
};
template <class T, auto Destroy>
using Owned = std::unique_ptr<T, Destroyer<Destroy>>;

using RawHandle = Owned<rd_kafka_t, rd_kafka_destroy>;

// What a raw record's opaque points to: it hears of the record's delivery report. The
// mib::Producer side reports to the same sinks from its callback.
class ReportSink {
 public:
  virtual ~ReportSink() = default;
  virtual void on_report(bool ok, std::string_view error) = 0;
};

void on_raw_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
  const bool ok = message->err == RD_KAFKA_RESP_ERR_NO_ERROR;
  static_cast<ReportSink*>(message->_private)
      ->on_report(ok, ok ? std::string_view{} : rd_kafka_message_errstr(message));
}

// A librdkafka handle with every property given, reporting deliveries to on_raw_delivery.
RawHandle make_raw_handle(const mib::KafkaProperties& properties) {
  std::array<char, 512> errstr{};
  Owned<rd_kafka_conf_t, rd_kafka_conf_destroy> conf{rd_kafka_conf_new()};
  for (const auto& [name, value] : properties) {
    if (rd_kafka_conf_set(conf.get(), name.c_str(), value.c_str(), errstr.data(), errstr.size()) !=
        RD_KAFKA_CONF_OK) {
      throw std::runtime_error("property " + name + "=" + value + ": " + errstr.data());
    }
  }
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &on_raw_delivery);
  rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), errstr.data(), errstr.size());
  if (handle == nullptr) throw std::runtime_error(std::string{"rd_kafka_new: "} + errstr.data());
  (void)conf.release();  // the handle owns it now
  return RawHandle{handle};
}

// One record, copied, as src/producer/producer.cpp hands it to librdkafka (produceva,
// because the RD_KAFKA_V_* macros of producev contain old-style casts).
rd_kafka_resp_err_t raw_produce(rd_kafka_t* handle, const std::string& topic,
                                const std::string& key, const std::string& value,
                                ReportSink* sink) {
  std::array<rd_kafka_vu_t, 5> fields{};
  fields[0].vtype = RD_KAFKA_VTYPE_TOPIC;
  fields[0].u.cstr = topic.c_str();
  fields[1].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
  fields[1].u.i = RD_KAFKA_MSG_F_COPY;
  fields[2].vtype = RD_KAFKA_VTYPE_KEY;
  fields[2].u.mem = {const_cast<char*>(key.data()), key.size()};
  fields[3].vtype = RD_KAFKA_VTYPE_VALUE;
  fields[3].u.mem = {const_cast<char*>(value.data()), value.size()};
  fields[4].vtype = RD_KAFKA_VTYPE_OPAQUE;
  fields[4].u.ptr = sink;
  rd_kafka_error_t* error = rd_kafka_produceva(handle, fields.data(), fields.size());
  if (error == nullptr) return RD_KAFKA_RESP_ERR_NO_ERROR;
  const rd_kafka_resp_err_t code = rd_kafka_error_code(error);
  rd_kafka_error_destroy(error);
  return code;
}

// Produces one record, serving delivery reports while librdkafka's queue is full. A record
// librdkafka refuses for another reason gets no delivery report, so the sink hears it here.
void raw_send(rd_kafka_t* handle, const std::string& topic, const std::string& key,
              const std::string& value, ReportSink* sink) {
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  while ((err = raw_produce(handle, topic, key, value, sink)) == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
    rd_kafka_poll(handle, 10);
  }
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) sink->on_report(false, rd_kafka_err2str(err));
}

// Serves a handle's delivery reports on a thread of its own, as mib::Producer's poller
// does, so that a report is not held back until the sending thread next polls.
class RawPoller {
 public:
  explicit RawPoller(rd_kafka_t* handle)
      : thread_([handle](const std::stop_token& stop) {
          while (!stop.stop_requested()) rd_kafka_poll(handle, 100);
        }) {}

 private:
  std::jthread thread_;
};

// ---------------------------------------------------------------------------- topic

// Sends one admin request through `submit` and returns its result event; throws if the
// request as a whole failed.
template <class Submit>
Owned<rd_kafka_event_t, rd_kafka_event_destroy> run_admin(rd_kafka_t* handle,
                                                          rd_kafka_admin_op_t op, Submit submit) {
  std::array<char, 512> errstr{};
  Owned<rd_kafka_queue_t, rd_kafka_queue_destroy> queue{rd_kafka_queue_new(handle)};
  Owned<rd_kafka_AdminOptions_t, rd_kafka_AdminOptions_destroy> options{
      rd_kafka_AdminOptions_new(handle, op)};
  // The broker answers once the change is done, not merely accepted.
  rd_kafka_AdminOptions_set_operation_timeout(options.get(), 30'000, errstr.data(), errstr.size());
  submit(options.get(), queue.get());
  Owned<rd_kafka_event_t, rd_kafka_event_destroy> event{rd_kafka_queue_poll(queue.get(), 60'000)};
  if (!event) throw std::runtime_error("admin request: no answer within 60 s");
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw std::runtime_error(std::string{"admin request: "} +
                             rd_kafka_event_error_string(event.get()));
  }
  return event;
}

void check_topic_results(const rd_kafka_topic_result_t* const* results, std::size_t count,
                         std::string_view what) {
  for (std::size_t i = 0; i < count; ++i) {
    if (rd_kafka_topic_result_error(results[i]) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw std::runtime_error(std::string{what} + " topic " +
                               rd_kafka_topic_result_name(results[i]) + ": " +
                               rd_kafka_topic_result_error_string(results[i]));
    }
  }
}

// A topic of its own for this run, so that earlier runs' data cannot slow it; deleted at
// the end so that repeated runs do not fill the broker's disk.
class ScratchTopic {
 public:
  ScratchTopic(const mib::KafkaProperties& admin_properties, std::string name, int partitions)
      : handle_(make_raw_handle(admin_properties)), name_(std::move(name)) {
    std::array<char, 512> errstr{};
    Owned<rd_kafka_NewTopic_t, rd_kafka_NewTopic_destroy> topic{
        rd_kafka_NewTopic_new(name_.c_str(), partitions, 1, errstr.data(), errstr.size())};
    if (!topic) throw std::runtime_error("topic " + name_ + ": " + errstr.data());
    std::array<rd_kafka_NewTopic_t*, 1> topics{topic.get()};
    const auto event =
        run_admin(handle_.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS,
                  [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                    rd_kafka_CreateTopics(handle_.get(), topics.data(), 1, options, queue);
                  });
    std::size_t count = 0;
    const auto* results = rd_kafka_CreateTopics_result_topics(
        rd_kafka_event_CreateTopics_result(event.get()), &count);
    check_topic_results(results, count, "create");
  }

  ~ScratchTopic() {
    try {
      Owned<rd_kafka_DeleteTopic_t, rd_kafka_DeleteTopic_destroy> topic{
          rd_kafka_DeleteTopic_new(name_.c_str())};
      std::array<rd_kafka_DeleteTopic_t*, 1> topics{topic.get()};
      const auto event =
          run_admin(handle_.get(), RD_KAFKA_ADMIN_OP_DELETETOPICS,
                    [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                      rd_kafka_DeleteTopics(handle_.get(), topics.data(), 1, options, queue);
                    });
      std::size_t count = 0;
      const auto* results = rd_kafka_DeleteTopics_result_topics(
          rd_kafka_event_DeleteTopics_result(event.get()), &count);
      check_topic_results(results, count, "delete");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "producer_bench: %s\n", e.what());
    }
  }

  ScratchTopic(const ScratchTopic&) = delete;
  ScratchTopic& operator=(const ScratchTopic&) = delete;

  const std::string& name() const { return name_; }

 private:
  RawHandle handle_;
  std::string name_;
};

// ---------------------------------------------------------------------------- counting

// The outcome of a batch of sends.
struct RunResult {
  std::int64_t records = 0;
  std::int64_t failed = 0;
  double seconds = 0;
  double cpu_seconds = 0;  // this process's CPU time (every thread) over the same span
  std::string first_error;

  double records_per_second() const { return static_cast<double>(records) / seconds; }
  double cpu_microseconds_per_record() const {
    return cpu_seconds * 1e6 / static_cast<double>(records);
  }
};

// CPU time of the whole process: our threads and librdkafka's (not the broker's).
double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// Counts the delivery reports of one batch, from whichever thread serves them, and notes
// when the last one came.
class Tally final : public ReportSink {
 public:
  explicit Tally(std::int64_t expected) : expected_(expected) {}

  void on_report(bool ok, std::string_view error) override {
    if (!ok) note_failure(error);
    if (reported_.fetch_add(1, std::memory_order_acq_rel) + 1 == expected_) {
      last_report_.store(SteadyClock::now(), std::memory_order_release);
    }
  }

  // From `start` to the last report; records not reported count as failed.
  RunResult result(SteadyClock::time_point start) const {
    RunResult r;
    r.records = expected_;
    r.failed = failed_.load() + (expected_ - reported_.load());
    const auto end = reported_.load() == expected_ ? last_report_.load() : SteadyClock::now();
    r.seconds = std::chrono::duration<double>(end - start).count();
    const std::lock_guard lock{error_mutex_};
    r.first_error = reported_.load() == expected_ ? first_error_ : "not every record was reported";
    return r;
  }

 private:
  void note_failure(std::string_view error) {
    if (failed_.fetch_add(1) == 0) {
      const std::lock_guard lock{error_mutex_};
      first_error_ = error;
    }
  }

  const std::int64_t expected_;
  std::atomic<std::int64_t> reported_{0};
  std::atomic<std::int64_t> failed_{0};
  std::atomic<SteadyClock::time_point> last_report_{};
  mutable std::mutex error_mutex_;
  std::string first_error_;
};

// A handle that cannot deliver the warm-up records will not deliver the rest either.
void require_all_delivered(const Tally& tally, std::string_view side) {
  const RunResult r = tally.result(SteadyClock::now());
  if (r.failed > 0) {
    throw std::runtime_error(std::string{side} + ": warm-up failed: " + r.first_error);
  }
}

// ---------------------------------------------------------------------------- throughput

// Connects, learns the topic's partitions and gets the idempotent producer id before any
// timing, so that runs measure sending, not start-up.
void warm_up_raw(rd_kafka_t* handle, const std::string& topic, const Payloads& payloads) {
  Tally tally{warm_up_records};
  for (std::int64_t i = 0; i < warm_up_records; ++i) {
    raw_send(handle, topic, payloads.key(i), payloads.value(i), &tally);
  }
  rd_kafka_flush(handle, static_cast<int>(std::chrono::milliseconds{flush_timeout}.count()));
  require_all_delivered(tally, "raw librdkafka");
}

void warm_up_mib(mib::Producer& producer, const std::string& topic, const Payloads& payloads) {
  Tally tally{warm_up_records};
  for (std::int64_t i = 0; i < warm_up_records; ++i) {
    producer.send(
        topic, payloads.key(i), payloads.value(i), {}, {},
        [&tally](const mib::DeliveryReport& r) { tally.on_report(r.ok(), r.error.message()); });
  }
  if (producer.flush(flush_timeout)) {
    producer.close(0ms);  // purged records are reported now, while `tally` still exists
  }
  require_all_delivered(tally, "mib::Producer");
}

// The plain C loop: produce, poll(0) after each record to serve delivery reports, flush.
RunResult raw_throughput(const mib::KafkaProperties& properties, const std::string& topic,
                         const Payloads& payloads, std::int64_t records) {
  Tally tally{records};  // before the handle, which must not outlive it
  const RawHandle handle = make_raw_handle(properties);
  warm_up_raw(handle.get(), topic, payloads);
  const double cpu_start = process_cpu_seconds();
  const auto start = SteadyClock::now();
  for (std::int64_t i = 0; i < records; ++i) {
    raw_send(handle.get(), topic, payloads.key(i), payloads.value(i), &tally);
    rd_kafka_poll(handle.get(), 0);
  }
  rd_kafka_flush(handle.get(), static_cast<int>(std::chrono::milliseconds{flush_timeout}.count()));
  RunResult result = tally.result(start);
  result.cpu_seconds = process_cpu_seconds() - cpu_start;
  return result;
}

RunResult mib_throughput(const mib::KafkaProperties& properties, const std::string& topic,
                         const Payloads& payloads, std::int64_t records) {
  Tally tally{records};  // before the producer, which must not outlive it
  mib::Producer producer{properties};
  warm_up_mib(producer, topic, payloads);
  const auto on_delivery = [&tally](const mib::DeliveryReport& r) {
    tally.on_report(r.ok(), r.ok() ? std::string_view{} : r.error.message());
  };
  const double cpu_start = process_cpu_seconds();
  const auto start = SteadyClock::now();
  for (std::int64_t i = 0; i < records; ++i) {
    producer.send(topic, payloads.key(i), payloads.value(i), {}, {}, on_delivery);
  }
  producer.flush(flush_timeout);
  RunResult result = tally.result(start);
  result.cpu_seconds = process_cpu_seconds() - cpu_start;
  return result;
}

// ---------------------------------------------------------------------------- latency

// One record of a latency run: when it was sent and when its delivery report came.
class LatencySlot final : public ReportSink {
 public:
  void mark_sent() { sent_ = SteadyClock::now(); }
  void on_report(bool ok, std::string_view) override {
    ok_ = ok;
    reported_ = SteadyClock::now();
  }
  bool ok() const { return ok_; }
  std::chrono::nanoseconds latency() const { return reported_ - sent_; }

 private:
  SteadyClock::time_point sent_;
  SteadyClock::time_point reported_;
  bool ok_ = false;
};

// Calls send(i) for i in [0, count) at `rate` per second on a steady-clock schedule. A send
// that falls behind the schedule goes at once; the schedule does not slip.
template <class Send>
void send_paced(std::int64_t count, std::int64_t rate, Send send) {
  const auto interval = std::chrono::nanoseconds{1'000'000'000 / rate};
  const auto start = SteadyClock::now();
  for (std::int64_t i = 0; i < count; ++i) {
    std::this_thread::sleep_until(start + i * interval);
    send(i);
  }
}

struct LatencyResult {
  std::int64_t records = 0;
  std::int64_t failed = 0;
  double seconds = 0;                      // first send to flush returned
  std::vector<std::int64_t> microseconds;  // delivered records, sorted

  // Pools another run's records into this one.
  void add(const LatencyResult& other) {
    records += other.records;
    failed += other.failed;
    seconds += other.seconds;
    const auto middle = microseconds.insert(microseconds.end(), other.microseconds.begin(),
                                            other.microseconds.end());
    std::inplace_merge(microseconds.begin(), middle, microseconds.end());
  }
};

LatencyResult summarise(const std::vector<LatencySlot>& slots, double seconds) {
  LatencyResult r;
  r.records = static_cast<std::int64_t>(slots.size());
  r.seconds = seconds;
  for (const LatencySlot& slot : slots) {
    if (!slot.ok()) {
      ++r.failed;
      continue;
    }
    r.microseconds.push_back(
        std::chrono::duration_cast<std::chrono::microseconds>(slot.latency()).count());
  }
  std::sort(r.microseconds.begin(), r.microseconds.end());
  return r;
}

// The nearest-rank percentile of sorted values.
std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return -1;
  const auto rank =
      static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

LatencyResult raw_latency(const mib::KafkaProperties& properties, const std::string& topic,
                          const Payloads& payloads, std::int64_t records, std::int64_t rate) {
  std::vector<LatencySlot> slots(static_cast<std::size_t>(records));  // outlives the handle
  const RawHandle handle = make_raw_handle(properties);
  const RawPoller poller{handle.get()};
  warm_up_raw(handle.get(), topic, payloads);
  const auto start = SteadyClock::now();
  send_paced(records, rate, [&](std::int64_t i) {
    LatencySlot& slot = slots[static_cast<std::size_t>(i)];
    slot.mark_sent();
    raw_send(handle.get(), topic, payloads.key(i), payloads.value(i), &slot);
  });
  rd_kafka_flush(handle.get(), static_cast<int>(std::chrono::milliseconds{flush_timeout}.count()));
  return summarise(slots, std::chrono::duration<double>(SteadyClock::now() - start).count());
}

LatencyResult mib_latency(const mib::KafkaProperties& properties, const std::string& topic,
                          const Payloads& payloads, std::int64_t records, std::int64_t rate) {
  std::vector<LatencySlot> slots(static_cast<std::size_t>(records));  // outlives the producer
  mib::Producer producer{properties};
  warm_up_mib(producer, topic, payloads);
  const auto start = SteadyClock::now();
  send_paced(records, rate, [&](std::int64_t i) {
    LatencySlot* slot = &slots[static_cast<std::size_t>(i)];
    slot->mark_sent();
    producer.send(topic, payloads.key(i), payloads.value(i), {}, {},
                  [slot](const mib::DeliveryReport& r) { slot->on_report(r.ok(), {}); });
  });
  producer.flush(flush_timeout);
  return summarise(slots, std::chrono::duration<double>(SteadyClock::now() - start).count());
}

// ---------------------------------------------------------------------------- report

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double megabytes_per_second(double records_per_second, std::int64_t size) {
  return records_per_second * static_cast<double>(size) / 1e6;
}

void print_properties(const mib::KafkaProperties& properties) {
  std::printf("properties (both sides):");
  for (const auto& [name, value] : properties) std::printf(" %s=%s", name.c_str(), value.c_str());
  std::printf("\n");
}

void print_run(const char* side, std::int64_t run, const RunResult& r, std::int64_t size) {
  std::printf("%-16s %4lld %12.0f %9.2f %9.3f %11.2f %8lld%s%s\n", side,
              static_cast<long long>(run), r.records_per_second(),
              megabytes_per_second(r.records_per_second(), size), r.seconds,
              r.cpu_microseconds_per_record(), static_cast<long long>(r.failed),
              r.failed > 0 ? "  " : "", r.first_error.c_str());
  std::fflush(stdout);
}

void print_latency(const char* side, const char* run, const LatencyResult& r) {
  std::printf("%-16s %4s %8lld %8lld %8lld %8lld %10.0f %8lld\n", side, run,
              static_cast<long long>(percentile(r.microseconds, 50)),
              static_cast<long long>(percentile(r.microseconds, 99)),
              static_cast<long long>(percentile(r.microseconds, 99.9)),
              static_cast<long long>(r.microseconds.empty() ? -1 : r.microseconds.back()),
              static_cast<double>(r.records) / r.seconds, static_cast<long long>(r.failed));
  std::fflush(stdout);
}

// ---------------------------------------------------------------------------- main

// Alternating runs (the order flips each run, so that drift hits both sides alike);
// returns the number of failed records.
std::int64_t throughput_benchmark(const Options& o, const mib::KafkaProperties& properties,
                                  const std::string& topic, const Payloads& payloads) {
  std::printf(
      "\nthroughput: %lld records of %lld bytes per run, first send to last report; "
      "cpu_us/rec: this process's CPU time per record\n",
      static_cast<long long>(o.messages), static_cast<long long>(o.size));
  std::printf("%-16s %4s %12s %9s %9s %11s %8s\n", "side", "run", "records/s", "MB/s", "seconds",
              "cpu_us/rec", "failed");
  std::vector<double> raw_rates;
  std::vector<double> mib_rates;
  std::int64_t failed = 0;
  for (std::int64_t run = 1; run <= o.runs; ++run) {
    for (int turn = 0; turn < 2; ++turn) {
      const bool raw_turn = (turn == 0) == (run % 2 == 1);  // raw first in odd runs
      if (raw_turn) {
        const RunResult r = raw_throughput(properties, topic, payloads, o.messages);
        print_run("raw librdkafka", run, r, o.size);
        raw_rates.push_back(r.records_per_second());
        failed += r.failed;
      } else {
        const RunResult r = mib_throughput(properties, topic, payloads, o.messages);
        print_run("mib::Producer", run, r, o.size);
        mib_rates.push_back(r.records_per_second());
        failed += r.failed;
      }
    }
  }
  const double raw = median(raw_rates);
  const double ours = median(mib_rates);
  std::printf("median raw librdkafka: %.0f records/s, %.2f MB/s\n", raw,
              megabytes_per_second(raw, o.size));
  std::printf("median mib::Producer:  %.0f records/s, %.2f MB/s\n", ours,
              megabytes_per_second(ours, o.size));
  std::printf("ratio (mib / raw librdkafka): %.3f  (goal >= 0.95)\n", ours / raw);
  return failed;
}

std::int64_t latency_benchmark(const Options& o, mib::KafkaProperties properties,
                               const std::string& topic, const Payloads& payloads) {
  properties["linger.ms"] = "0";
  const std::int64_t records = o.latency_rate * o.latency_seconds;
  std::printf(
      "\nlatency: %lld records per run at %lld records/s, linger.ms=0, "
      "send -> delivery report in microseconds; 'all' pools every run\n",
      static_cast<long long>(records), static_cast<long long>(o.latency_rate));
  std::printf("%-16s %4s %8s %8s %8s %8s %10s %8s\n", "side", "run", "p50", "p99", "p99.9", "max",
              "records/s", "failed");
  LatencyResult raw_all;
  LatencyResult mib_all;
  for (std::int64_t run = 1; run <= o.runs; ++run) {
    const std::string run_name = std::to_string(run);
    for (int turn = 0; turn < 2; ++turn) {
      const bool raw_turn = (turn == 0) == (run % 2 == 1);  // raw first in odd runs
      if (raw_turn) {
        const LatencyResult r = raw_latency(properties, topic, payloads, records, o.latency_rate);
        print_latency("raw librdkafka", run_name.c_str(), r);
        raw_all.add(r);
      } else {
        const LatencyResult r = mib_latency(properties, topic, payloads, records, o.latency_rate);
        print_latency("mib::Producer", run_name.c_str(), r);
        mib_all.add(r);
      }
    }
  }
  print_latency("raw librdkafka", "all", raw_all);
  print_latency("mib::Producer", "all", mib_all);
  return raw_all.failed + mib_all.failed;
}

int run(const Options& options) {
  mib::Config config;
  config.brokers.addresses = split_brokers(options.brokers);
  const mib::KafkaProperties properties = config.producer_properties();
  const Payloads payloads{static_cast<std::size_t>(options.size)};
  const std::string name = "mib_bench_producer_" +
                           std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count());
  const ScratchTopic topic{config.admin_properties(), name, topic_partitions};

  std::printf("producer_bench: librdkafka %s, brokers %s, topic %s (%d partitions)\n",
              rd_kafka_version_str(), options.brokers.c_str(), topic.name().c_str(),
              topic_partitions);
  print_properties(properties);
  std::printf("records: key '%s', value '%.*s'%s\n", payloads.key(0).c_str(),
              static_cast<int>(std::min<std::size_t>(payloads.value(0).size(), 120)),
              payloads.value(0).c_str(), payloads.value(0).size() > 120 ? "..." : "");
  std::int64_t failed = throughput_benchmark(options, properties, topic.name(), payloads);
  failed += latency_benchmark(options, properties, topic.name(), payloads);
  if (failed > 0) {
    std::printf("\nFAILED: %lld records were not delivered\n", static_cast<long long>(failed));
    return 1;
  }
  std::printf("\nevery record was delivered\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_options(argc, argv));
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "producer_bench: %s\n%s", e.what(), usage.data());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "producer_bench: %s\n", e.what());
    return 1;
  }
}
