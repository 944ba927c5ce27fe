// producer_bench: mib::Producer against a raw librdkafka C loop with the very same
// properties, in the same run, on the same fresh topic (issue 4, item 10).
//
//   producer_bench [--brokers HOST:PORT,...] [--messages 2000000] [--size 100] [--runs 3]
//                  [--latency-rate 10000] [--latency-seconds 5] [--sides raw,threaded,mib]
//
// Throughput: --messages records per run and side, the sides alternating, timed from the
// first send to the last delivery report, with this process's CPU time per record.
// Latency: --latency-rate records/s for --latency-seconds per run and side with
// linger.ms=0, send -> delivery report for each record. --sides runs one side alone (for a
// profiler); the ratio needs both. Exit status 1 if any record failed.
// Figures and how to read them: bench/RESULTS.md.
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench_common.hpp"
#include "mib/config/config.hpp"
#include "mib/producer/producer.hpp"

namespace {

using namespace mib::bench;
using namespace std::chrono_literals;

// ---------------------------------------------------------------------------- options

struct Options : RunOptions {
  std::int64_t latency_rate = 10'000;
  std::int64_t latency_seconds = 5;
  bool raw_side = true;
  bool threaded_side = true;  // throughput only
  bool mib_side = true;
};

constexpr std::string_view usage =
    "usage: producer_bench [--brokers HOST:PORT,...] [--messages N] [--size BYTES]\n"
    "                      [--runs N] [--latency-rate MSG_PER_S] [--latency-seconds S]\n"
    "                      [--sides raw,threaded,mib]\n";

Options parse_options(int argc, char** argv) {
  Options options;
  const auto set = [&](std::string_view name, const std::string& value) {
    if (name == "--latency-rate") {
      options.latency_rate = parse_positive(name, value);
    } else if (name == "--latency-seconds") {
      options.latency_seconds = parse_positive(name, value);
    } else if (name == "--sides") {
      const std::vector<std::string> sides = split_brokers(value);  // a comma-separated list
      const auto has = [&](const char* side) {
        return std::find(sides.begin(), sides.end(), side) != sides.end();
      };
      options.raw_side = has("raw");
      options.threaded_side = has("threaded");
      options.mib_side = has("mib");
      if (!options.raw_side && !options.threaded_side && !options.mib_side) {
        throw std::invalid_argument("--sides takes raw, threaded and mib, not '" + value + "'");
      }
    } else {
      return false;
    }
    return true;
  };
  parse_command_line(argc, argv, usage, options, set);
  return options;
}

// ---------------------------------------------------------------------------- librdkafka

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

// The plain C loop: produce, poll(0) after each record to serve delivery reports, flush.
RunResult raw_throughput(const mib::KafkaProperties& properties, const std::string& topic,
                         const Payloads& payloads, std::int64_t records) {
  Tally tally{records};  // before the handle, which must not outlive it
  const RawHandle handle = make_raw_handle(properties);
  warm_up_raw(handle.get(), topic, payloads);
  const Meter meter;
  const auto start = SteadyClock::now();
  for (std::int64_t i = 0; i < records; ++i) {
    raw_send(handle.get(), topic, payloads.key(i), payloads.value(i), &tally);
    rd_kafka_poll(handle.get(), 0);
  }
  rd_kafka_flush(handle.get(), static_cast<int>(std::chrono::milliseconds{flush_timeout}.count()));
  RunResult result = tally.result(start);
  meter.stop(result);
  return result;
}

// The same loop with the reports served on a thread of its own (RawPoller), the shape of
// mib::Producer and of rust-rdkafka's ThreadedProducer: no poll after each record.
RunResult raw_threaded_throughput(const mib::KafkaProperties& properties, const std::string& topic,
                                  const Payloads& payloads, std::int64_t records) {
  Tally tally{records};
  const RawHandle handle = make_raw_handle(properties);
  warm_up_raw(handle.get(), topic, payloads);
  const RawPoller poller{handle.get()};
  const Meter meter;
  const auto start = SteadyClock::now();
  for (std::int64_t i = 0; i < records; ++i) {
    raw_send(handle.get(), topic, payloads.key(i), payloads.value(i), &tally);
  }
  rd_kafka_flush(handle.get(), static_cast<int>(std::chrono::milliseconds{flush_timeout}.count()));
  RunResult result = tally.result(start);
  meter.stop(result);
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
  const Meter meter;
  const auto start = SteadyClock::now();
  for (std::int64_t i = 0; i < records; ++i) {
    producer.send({.topic = topic, .key = payloads.key(i), .value = payloads.value(i)},
                  on_delivery);
  }
  producer.flush(flush_timeout);
  RunResult result = tally.result(start);
  meter.stop(result);
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
    producer.send({.topic = topic, .key = payloads.key(i), .value = payloads.value(i)},
                  [slot](const mib::DeliveryReport& r) { slot->on_report(r.ok(), {}); });
  });
  producer.flush(flush_timeout);
  return summarise(slots, std::chrono::duration<double>(SteadyClock::now() - start).count());
}

// ---------------------------------------------------------------------------- report

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

// The sides in turn, the first of each run moving on by one every run, so that drift hits
// every side alike; returns the number of failed records.
std::int64_t throughput_benchmark(const Options& o, const mib::KafkaProperties& properties,
                                  const std::string& topic, const Payloads& payloads) {
  std::printf(
      "\nthroughput: %lld records of %lld bytes per run, first send to last report; "
      "cpu_us/rec: this process's CPU time per record;\n%s\n",
      static_cast<long long>(o.messages), static_cast<long long>(o.size), allocations_legend());
  print_run_header("side");
  struct Side {
    const char* name;
    bool on;
    RunResult (*run)(const mib::KafkaProperties&, const std::string&, const Payloads&,
                     std::int64_t);
    std::vector<double> rates{};
    std::vector<double> allocations{};
  };
  std::array<Side, 3> sides{{{"raw librdkafka", o.raw_side, raw_throughput},
                             {"raw, poll thread", o.threaded_side, raw_threaded_throughput},
                             {"mib::Producer", o.mib_side, mib_throughput}}};
  std::int64_t failed = 0;
  for (std::int64_t run = 1; run <= o.runs; ++run) {
    for (std::size_t turn = 0; turn < sides.size(); ++turn) {
      Side& side = sides[(static_cast<std::size_t>(run - 1) + turn) % sides.size()];
      if (!side.on) continue;
      const RunResult r = side.run(properties, topic, payloads, o.messages);
      print_run(side.name, run, r, o.size);
      side.rates.push_back(r.records_per_second());
      side.allocations.push_back(r.per_record(r.allocations.total()));
      failed += r.failed;
    }
  }
  for (const Side& side : sides) {
    if (!side.on) continue;
    const double rate = median(side.rates);
    std::printf("median %-18s %.0f records/s, %.2f MB/s", (std::string{side.name} + ":").c_str(),
                rate, megabytes_per_second(rate, o.size));
    if (counting_allocations()) {
      std::printf(", %.2f heap allocations per record", median(side.allocations));
    }
    std::printf("\n");
  }
  const Side& raw = sides[0];
  const Side& threaded = sides[1];
  const Side& ours = sides[2];
  if (raw.on && ours.on) {
    std::printf("ratio (mib / raw librdkafka): %.3f  (goal >= 0.95)\n",
                median(ours.rates) / median(raw.rates));
  }
  if (threaded.on && ours.on) {
    std::printf("ratio (mib / raw, poll thread): %.3f  (the same threads as ours)\n",
                median(ours.rates) / median(threaded.rates));
  }
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
      if (!(raw_turn ? o.raw_side : o.mib_side)) continue;
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
  if (o.raw_side) print_latency("raw librdkafka", "all", raw_all);
  if (o.mib_side) print_latency("mib::Producer", "all", mib_all);
  return raw_all.failed + mib_all.failed;
}

int run(const Options& options) {
  const Workload workload{"producer_bench", options, "mib_bench_producer_", "both sides"};
  const mib::KafkaProperties& properties = workload.properties;
  std::int64_t failed =
      throughput_benchmark(options, properties, workload.topic.name(), workload.payloads);
  failed += latency_benchmark(options, properties, workload.topic.name(), workload.payloads);
  return report_delivery(failed);
}

}  // namespace

int main(int argc, char** argv) {
  return run_main("producer_bench", usage, [&] { return run(parse_options(argc, argv)); });
}
