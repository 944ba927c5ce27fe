// What the bench programs share: command-line handling, the market-data-like records,
// librdkafka handles, a scratch topic made and deleted through the Admin API, counting
// delivery reports, and printing runs. Each program is a single translation unit, so
// everything here is inline (and alloc_counter.hpp's allocation functions are defined
// once per program).
#pragma once

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
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
#include <vector>

#include "alloc_counter.hpp"
#include "mib/config/config.hpp"
#include "mib/kafka/properties.hpp"
#include "mib/market/synthetic_feed.hpp"
#include "mib/producer/producer.hpp"
#include "mib/serde/json.hpp"

namespace mib::bench {

using SteadyClock = std::chrono::steady_clock;

constexpr int topic_partitions = 6;
constexpr std::int64_t warm_up_records = 1'000;
constexpr auto flush_timeout = std::chrono::seconds{120};

// ---------------------------------------------------------------------------- options

// The brokers when --brokers is not given: $MIB_TEST_BROKERS, else the local broker.
inline std::string default_brokers() {
  const char* env = std::getenv("MIB_TEST_BROKERS");
  return env != nullptr && *env != '\0' ? env : "127.0.0.1:9092";
}

// The value of option `name`, which must be a positive whole number.
inline std::int64_t parse_positive(std::string_view name, const std::string& text) {
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

// The options every bench takes: where to send, how many records of what size, how many
// runs.
struct RunOptions {
  std::string brokers = default_brokers();
  std::int64_t messages = 2'000'000;
  std::int64_t size = 100;
  std::int64_t runs = 3;
};

// Reads "--name value" pairs: --brokers, --messages, --size and --runs into `common`, any
// other to `set`, which returns false for a name it does not know; --help or -h prints
// `usage` and exits. Throws std::invalid_argument for an unknown name or a missing value.
template <class Set>
void parse_command_line(int argc, char** argv, std::string_view usage, RunOptions& common,
                        Set set) {
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
      common.brokers = value;
    } else if (name == "--messages") {
      common.messages = parse_positive(name, value);
    } else if (name == "--size") {
      common.size = parse_positive(name, value);
    } else if (name == "--runs") {
      common.runs = parse_positive(name, value);
    } else if (!set(name, value)) {
      throw std::invalid_argument("unknown option: " + std::string{name});
    }
  }
}

inline std::vector<std::string> split_brokers(const std::string& list) {
  std::vector<std::string> brokers;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    if (comma > start) brokers.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return brokers;
}

// A bench's main(): exit status 2 with the usage for bad options, 1 for any other failure,
// else what `run` returns.
template <class Run>
int run_main(const char* program, std::string_view usage, Run run) {
  try {
    return run();
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "%s: %s\n%s", program, e.what(), usage.data());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
    return 1;
  }
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
      if (mib::Error e = mib::json::encode(quote, json)) throw mib::Exception{e};
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

inline void on_raw_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
  const bool ok = message->err == RD_KAFKA_RESP_ERR_NO_ERROR;
  static_cast<ReportSink*>(message->_private)
      ->on_report(ok, ok ? std::string_view{} : rd_kafka_message_errstr(message));
}

// A librdkafka handle of `type` with every property given, after `prepare` (a callable
// taking the rd_kafka_conf_t*) has set what else the caller needs.
template <class Prepare>
RawHandle make_raw_handle(rd_kafka_type_t type, const mib::KafkaProperties& properties,
                          Prepare prepare) {
  std::array<char, 512> errstr{};
  Owned<rd_kafka_conf_t, rd_kafka_conf_destroy> conf{rd_kafka_conf_new()};
  for (const auto& [name, value] : properties) {
    if (rd_kafka_conf_set(conf.get(), name.c_str(), value.c_str(), errstr.data(), errstr.size()) !=
        RD_KAFKA_CONF_OK) {
      throw std::runtime_error("property " + name + "=" + value + ": " + errstr.data());
    }
  }
  prepare(conf.get());
  rd_kafka_t* handle = rd_kafka_new(type, conf.get(), errstr.data(), errstr.size());
  if (handle == nullptr) throw std::runtime_error(std::string{"rd_kafka_new: "} + errstr.data());
  (void)conf.release();  // the handle owns it now
  return RawHandle{handle};
}

// A librdkafka producer with every property given, reporting deliveries to on_raw_delivery.
inline RawHandle make_raw_handle(const mib::KafkaProperties& properties) {
  return make_raw_handle(RD_KAFKA_PRODUCER, properties, [](rd_kafka_conf_t* conf) {
    rd_kafka_conf_set_dr_msg_cb(conf, &on_raw_delivery);
  });
}

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

inline void check_topic_results(const rd_kafka_topic_result_t* const* results, std::size_t count,
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
  // `program` prefixes the one line the destructor may print to stderr.
  ScratchTopic(std::string_view program, const mib::KafkaProperties& admin_properties,
               std::string name, int partitions)
      : handle_(make_raw_handle(admin_properties)), program_(program), name_(std::move(name)) {
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
      std::fprintf(stderr, "%s: %s\n", program_.c_str(), e.what());
    }
  }

  ScratchTopic(const ScratchTopic&) = delete;
  ScratchTopic& operator=(const ScratchTopic&) = delete;

  const std::string& name() const { return name_; }

 private:
  RawHandle handle_;
  std::string program_;
  std::string name_;
};

// <prefix><seconds since the epoch>: a name no earlier run used.
inline std::string scratch_topic_name(std::string_view prefix) {
  return std::string{prefix} +
         std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

// ---------------------------------------------------------------------------- counting

// The outcome of a batch of sends.
struct RunResult {
  std::int64_t records = 0;
  std::int64_t failed = 0;
  double seconds = 0;
  double cpu_seconds = 0;     // this process's CPU time (every thread) over the same span
  Allocations allocations{};  // heap allocations (every thread) over the same span
  std::string first_error;

  double records_per_second() const { return static_cast<double>(records) / seconds; }
  double cpu_microseconds_per_record() const {
    return cpu_seconds * 1e6 / static_cast<double>(records);
  }
  double per_record(std::uint64_t count) const {
    return static_cast<double>(count) / static_cast<double>(records);
  }
};

// CPU time of the calling thread.
inline double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// CPU time of the whole process: our threads and librdkafka's (not the broker's).
inline double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// The process's CPU time and heap allocations from when it is made to stop().
class Meter {
 public:
  // Sets `r`'s cpu_seconds and allocations.
  void stop(RunResult& r) const {
    r.cpu_seconds = process_cpu_seconds() - cpu_start_;
    r.allocations = allocations() - allocations_start_;
  }

 private:
  double cpu_start_ = process_cpu_seconds();
  Allocations allocations_start_ = allocations();
};

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
inline void require_all_delivered(const Tally& tally, std::string_view side) {
  const RunResult r = tally.result(SteadyClock::now());
  if (r.failed > 0) {
    throw std::runtime_error(std::string{side} + ": warm-up failed: " + r.first_error);
  }
}

// Connects, learns the topic's partitions and gets the idempotent producer id before any
// timing, so that runs measure sending, not start-up.
inline void warm_up_mib(mib::Producer& producer, const std::string& topic,
                        const Payloads& payloads) {
  Tally tally{warm_up_records};
  for (std::int64_t i = 0; i < warm_up_records; ++i) {
    producer.send(
        {.topic = topic, .key = payloads.key(i), .value = payloads.value(i)},
        [&tally](const mib::DeliveryReport& r) { tally.on_report(r.ok(), r.error.message()); });
  }
  if (producer.flush(flush_timeout)) {
    producer.close(std::chrono::milliseconds{
        0});  // purged records are reported now, while `tally` still exists
  }
  require_all_delivered(tally, "mib::Producer");
}

inline double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

inline double megabytes_per_second(double records_per_second, std::int64_t size) {
  return records_per_second * static_cast<double>(size) / 1e6;
}

// "properties (<who>): name=value ...", every property the producers get.
inline void print_properties(const char* who, const mib::KafkaProperties& properties) {
  std::printf("properties (%s):", who);
  for (const auto& [name, value] : properties) std::printf(" %s=%s", name.c_str(), value.c_str());
  std::printf("\n");
}

// What the allocation columns count, for a bench's preamble.
inline const char* allocations_legend() {
  return counting_allocations()
             ? "allocs/rec: heap allocations per record by every thread (malloc, calloc, realloc "
               "and operator new; new/rec: operator new alone)"
             : "allocs/rec, new/rec: not counted in this build (a sanitizer owns malloc)";
}

// The column heads of print_run(), `first` naming the first column.
inline void print_run_header(const char* first) {
  std::printf("%-16s %4s %12s %9s %9s %11s %10s %8s %8s\n", first, "run", "records/s", "MB/s",
              "seconds", "cpu_us/rec", "allocs/rec", "new/rec", "failed");
}

inline void print_run(const char* side, std::int64_t run, const RunResult& r, std::int64_t size) {
  std::printf("%-16s %4lld %12.0f %9.2f %9.3f %11.2f %10.2f %8.2f %8lld%s%s\n", side,
              static_cast<long long>(run), r.records_per_second(),
              megabytes_per_second(r.records_per_second(), size), r.seconds,
              r.cpu_microseconds_per_record(), r.per_record(r.allocations.total()),
              r.per_record(r.allocations.cxx), static_cast<long long>(r.failed),
              r.failed > 0 ? "  " : "", r.first_error.c_str());
  std::fflush(stdout);
}

// ---------------------------------------------------------------------------- workload

// What a bench run sends, and where: the producer properties of mib::Config's defaults
// with the brokers set (acks=all, idempotent, lz4, linger.ms=5, ...), the records, and a
// fresh topic. Printed when made, so that every output says what it measured.
struct Workload {
  // `who` says which producers get the properties ("both sides").
  Workload(const char* program, const RunOptions& options, std::string_view topic_prefix,
           const char* who)
      : config(config_for(options.brokers)),
        properties(config.producer_properties()),
        payloads(static_cast<std::size_t>(options.size)),
        topic(program, config.admin_properties(), scratch_topic_name(topic_prefix),
              topic_partitions) {
    std::printf("%s: librdkafka %s, brokers %s, topic %s (%d partitions)\n", program,
                rd_kafka_version_str(), options.brokers.c_str(), topic.name().c_str(),
                topic_partitions);
    print_properties(who, properties);
    std::printf("records: key '%s', value '%.*s'%s\n", payloads.key(0).c_str(),
                static_cast<int>(std::min<std::size_t>(payloads.value(0).size(), 120)),
                payloads.value(0).c_str(), payloads.value(0).size() > 120 ? "..." : "");
  }

  static mib::Config config_for(const std::string& brokers) {
    mib::Config c;
    c.brokers.addresses = split_brokers(brokers);
    return c;
  }

  const mib::Config config;
  const mib::KafkaProperties properties;
  const Payloads payloads;
  const ScratchTopic topic;
};

// Says whether every record was delivered; returns the exit status (1 if not).
inline int report_delivery(std::int64_t failed) {
  if (failed > 0) {
    std::printf("\nFAILED: %lld records were not delivered\n", static_cast<long long>(failed));
    return 1;
  }
  std::printf("\nevery record was delivered\n");
  return 0;
}

}  // namespace mib::bench
