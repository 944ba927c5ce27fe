// consumer_bench: mib::Consumer against a raw librdkafka C loop with the very same
// properties, in the same run, reading the same pre-filled topic (issue 5, item 7).
//
//   consumer_bench [--brokers HOST:PORT,...] [--messages 2000000] [--size 100] [--runs 3]
//                  [--sides raw,raw_batch,poll,poll_batch,run] [--property NAME=VALUE]...
//
// Makes a fresh topic and fills it once with --messages records (not timed). Then each run
// lets every side read the whole topic from the beginning in a consumer group of its own:
// raw librdkafka one record at a time (rd_kafka_consumer_poll), raw librdkafka in batches
// (rd_kafka_consume_batch_queue), mib::Consumer::poll(), poll_batch() and run(). poll() is
// compared with the first, poll_batch() and run() with the second.
// Each side is timed from the first record it receives to the last (the group join is not
// timed), with the CPU time and heap allocations per record of the whole process and the
// CPU time of the polling thread.
// Every side must see every record
// (each partition's offsets, and a checksum of the payloads); exit status 1 if one missed
// any (a record received twice is reported, not failed). --property (repeatable)
// overrides a librdkafka property on every consumer side, for experiments.
// Figures and how to read them: bench/RESULTS.md.
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench_common.hpp"
#include "mib/config/config.hpp"
#include "mib/consumer/consumer.hpp"
#include "mib/processor/processor.hpp"
#include "mib/producer/producer.hpp"

namespace {

using namespace mib::bench;
using namespace std::chrono_literals;

// A side that sees no record for this long gives up (the first wait includes the join).
constexpr auto idle_limit = 60s;
constexpr auto poll_timeout = 100ms;

// ---------------------------------------------------------------------------- options

enum class Side { raw, raw_batch, poll, poll_batch, run };

constexpr std::array all_sides{Side::raw, Side::raw_batch, Side::poll, Side::poll_batch, Side::run};

// The raw side a mib side is compared with: one record per call, or batches.
constexpr Side reference_of(Side side) {
  return side == Side::poll_batch || side == Side::run ? Side::raw_batch : Side::raw;
}

const char* name_of(Side side) {
  switch (side) {
    case Side::raw: return "raw librdkafka";
    case Side::raw_batch: return "raw batch";
    case Side::poll: return "mib poll()";
    case Side::poll_batch: return "mib poll_batch()";
    case Side::run: return "mib run()";
  }
  return "?";
}

// The short name of --sides and of the consumer groups.
const char* key_of(Side side) {
  switch (side) {
    case Side::raw: return "raw";
    case Side::raw_batch: return "raw_batch";
    case Side::poll: return "poll";
    case Side::poll_batch: return "poll_batch";
    case Side::run: return "run";
  }
  return "?";
}

struct Options : RunOptions {
  std::vector<Side> sides{all_sides.begin(), all_sides.end()};
  mib::KafkaProperties overrides;  // --property, for every consumer side
};

constexpr std::string_view usage =
    "usage: consumer_bench [--brokers HOST:PORT,...] [--messages N] [--size BYTES]\n"
    "                      [--runs N] [--sides raw,raw_batch,poll,poll_batch,run]\n"
    "                      [--property NAME=VALUE]...\n";

std::vector<Side> parse_sides(const std::string& text) {
  std::vector<Side> sides;
  for (const std::string& name : split_brokers(text)) {  // a comma-separated list
    const auto* found =
        std::find_if(all_sides.begin(), all_sides.end(), [&](Side s) { return name == key_of(s); });
    if (found == all_sides.end()) {
      throw std::invalid_argument("--sides takes raw, raw_batch, poll, poll_batch and run, not '" +
                                  name + "'");
    }
    if (std::find(sides.begin(), sides.end(), *found) == sides.end()) sides.push_back(*found);
  }
  if (sides.empty()) throw std::invalid_argument("--sides needs at least one side");
  return sides;
}

Options parse_options(int argc, char** argv) {
  Options options;
  const auto set = [&](std::string_view name, const std::string& value) {
    if (name == "--sides") {
      options.sides = parse_sides(value);
    } else if (name == "--property") {
      const std::size_t equals = value.find('=');
      if (equals == 0 || equals == std::string::npos) {
        throw std::invalid_argument("--property needs NAME=VALUE, not '" + value + "'");
      }
      options.overrides[value.substr(0, equals)] = value.substr(equals + 1);
    } else {
      return false;
    }
    return true;
  };
  parse_command_line(argc, argv, usage, options, set);
  return options;
}

// ---------------------------------------------------------------------------- counting

// What every side does with a record: reads its key and value (their sizes and a byte at
// each end of the value, so that the payload is really loaded). Summed over the topic it
// must match what the fill wrote.
std::uint64_t touch(std::string_view key, std::string_view value) {
  std::uint64_t sum = key.size() + value.size();
  if (!value.empty()) {
    sum += static_cast<unsigned char>(value.front()) + static_cast<unsigned char>(value.back());
  }
  return sum;
}

// What one side read in one run.
struct ConsumeResult {
  RunResult run;                  // records expected, missing ones as `failed`, the timed span
  double poller_cpu_seconds = 0;  // the polling thread's CPU time over the same span
  double wait_seconds = 0;        // consumer made to the first record (the group join), not timed
  std::uint64_t checksum = 0;
  std::int64_t duplicates = 0;  // records received more than once
};

// Counts the records of one side, each (partition, offset) once: the topic's offsets run
// from 0 without gaps (no transactions), so `expected` distinct ones are every record.
// record() is called by one thread (the polling thread, or run()'s); received() may be
// read from any.
class Receiver {
 public:
  explicit Receiver(std::int64_t expected) : expected_(expected) {}

  void record(std::int32_t partition, std::int64_t offset, std::string_view key,
              std::string_view value) {
    if (!first_time(partition, offset)) {
      ++duplicates_;
      return;
    }
    const std::int64_t n = received_.load(std::memory_order_relaxed);
    if (n == 0) {
      first_ = SteadyClock::now();
      cpu_first_ = process_cpu_seconds();
      thread_cpu_first_ = thread_cpu_seconds();
      allocations_first_ = allocations();
    }
    checksum_ += touch(key, value);
    received_.store(n + 1, std::memory_order_release);
    if (n + 1 == expected_) {
      last_ = SteadyClock::now();
      cpu_last_ = process_cpu_seconds();
      thread_cpu_last_ = thread_cpu_seconds();
      allocations_last_ = allocations();
    }
  }

  void error(std::string_view what) {
    if (errors_++ == 0) first_error_ = what;
  }

  // Distinct records so far.
  std::int64_t received() const { return received_.load(std::memory_order_acquire); }
  bool done() const { return received() >= expected_; }

  // After the polling thread is done with the receiver.
  ConsumeResult result() const {
    ConsumeResult r;
    const std::int64_t n = received();
    r.run.records = expected_;
    r.run.failed = std::max<std::int64_t>(expected_ - n, 0);
    const bool complete = n >= expected_;
    r.run.seconds =
        n == 0 ? 0 : std::chrono::duration<double>((complete ? last_ : first_) - first_).count();
    r.run.cpu_seconds = complete ? cpu_last_ - cpu_first_ : 0;
    r.poller_cpu_seconds = complete ? thread_cpu_last_ - thread_cpu_first_ : 0;
    if (complete) r.run.allocations = allocations_last_ - allocations_first_;
    if (!complete) r.run.first_error = "not every record was received";
    if (duplicates_ > 0) {
      r.run.first_error += (r.run.first_error.empty() ? "" : "; ") + std::to_string(duplicates_) +
                           " records received twice";
    }
    if (!first_error_.empty()) {
      r.run.first_error += (r.run.first_error.empty() ? "" : "; ") + std::to_string(errors_) +
                           " errors, the first: " + first_error_;
    }
    r.wait_seconds = n == 0 ? 0 : std::chrono::duration<double>(first_ - made_).count();
    r.checksum = checksum_;
    r.duplicates = duplicates_;
    return r;
  }

  // Just before the consumer is made: wait_seconds starts here.
  void mark_made() { made_ = SteadyClock::now(); }

 private:
  // Marks (partition, offset) seen; false if it was already.
  bool first_time(std::int32_t partition, std::int64_t offset) {
    if (partition < 0 || offset < 0) return true;  // not expected; counted, not checked
    const auto p = static_cast<std::size_t>(partition);
    const auto o = static_cast<std::size_t>(offset);
    if (p >= seen_.size()) seen_.resize(p + 1);
    std::vector<std::uint8_t>& seen = seen_[p];
    if (o >= seen.size()) seen.resize(std::max<std::size_t>(o + 1, 2 * seen.size()));
    const bool first = seen[o] == 0;
    seen[o] = 1;
    return first;
  }

  const std::int64_t expected_;
  std::atomic<std::int64_t> received_{0};
  std::vector<std::vector<std::uint8_t>> seen_;  // [partition][offset]
  std::int64_t duplicates_ = 0;
  std::uint64_t checksum_ = 0;
  std::int64_t errors_ = 0;
  std::string first_error_;
  SteadyClock::time_point made_, first_, last_;
  double cpu_first_ = 0;
  double cpu_last_ = 0;
  double thread_cpu_first_ = 0;  // of the polling thread, which calls record()
  double thread_cpu_last_ = 0;
  Allocations allocations_first_{};  // of the whole process
  Allocations allocations_last_{};
};

// Says when a side has waited too long: no new record for idle_limit.
class Watchdog {
 public:
  bool expired(std::int64_t received) {
    const auto now = SteadyClock::now();
    if (received != seen_) {
      seen_ = received;
      deadline_ = now + idle_limit;
    }
    return now > deadline_;
  }

 private:
  std::int64_t seen_ = -1;
  SteadyClock::time_point deadline_;
};

// ---------------------------------------------------------------------------- sides

// A raw librdkafka consumer subscribed to `topic`, every librdkafka property as given,
// reading on the application thread: `read` (rd_kafka_t*, its consumer queue, Receiver&)
// takes what is there,
// up to poll_timeout, and returns the number of records it passed on (0 on a timeout or
// an error), until every record is in or the watchdog expires.
template <class Read>
ConsumeResult raw_read(const mib::KafkaProperties& properties, const std::string& topic,
                       std::int64_t expected, Read read) {
  Receiver receiver{expected};
  receiver.mark_made();
  const RawHandle handle = make_raw_handle(RD_KAFKA_CONSUMER, properties, [](rd_kafka_conf_t*) {});
  rd_kafka_t* rk = handle.get();
  rd_kafka_poll_set_consumer(rk);
  {
    Owned<rd_kafka_topic_partition_list_t, rd_kafka_topic_partition_list_destroy> list{
        rd_kafka_topic_partition_list_new(1)};
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
    if (const auto err = rd_kafka_subscribe(rk, list.get())) {
      throw std::runtime_error(std::string{"rd_kafka_subscribe: "} + rd_kafka_err2str(err));
    }
  }
  // After the handle, so destroyed before it.
  const Owned<rd_kafka_queue_t, rd_kafka_queue_destroy> queue{rd_kafka_queue_get_consumer(rk)};
  Watchdog watchdog;
  while (!receiver.done()) {
    if (read(rk, queue.get(), receiver) == 0 && watchdog.expired(receiver.received())) break;
  }
  if (const auto err = rd_kafka_consumer_close(rk)) {
    std::fprintf(stderr, "consumer_bench: rd_kafka_consumer_close: %s\n", rd_kafka_err2str(err));
  }
  return receiver.result();
}

// Passes one raw message on to `receiver` and destroys it; 1 if it was a record.
int take(rd_kafka_message_t* m, Receiver& receiver) {
  int records = 0;
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    receiver.record(m->partition, m->offset, {static_cast<const char*>(m->key), m->key_len},
                    {static_cast<const char*>(m->payload), m->len});
    records = 1;
  } else {
    receiver.error(rd_kafka_message_errstr(m));
  }
  rd_kafka_message_destroy(m);
  return records;
}

constexpr int poll_timeout_ms = static_cast<int>(poll_timeout.count());

// rd_kafka_consumer_poll: one record per call.
ConsumeResult raw_consume(const mib::KafkaProperties& properties, const std::string& topic,
                          std::int64_t expected) {
  return raw_read(properties, topic, expected,
                  [](rd_kafka_t* rk, rd_kafka_queue_t*, Receiver& receiver) {
                    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, poll_timeout_ms);
                    return m == nullptr ? 0 : take(m, receiver);
                  });
}

// Batches of up to max_poll_records (500), as mib::Consumer::poll_batch() reads them
// (src/consumer/consumer.cpp): rd_kafka_consumer_poll waits up to poll_timeout for the
// first record, then rd_kafka_consume_batch_queue takes what else the consumer queue holds
// without waiting (given a timeout, it would wait for a full batch, and the last, short one
// would add that timeout to the measured span).
ConsumeResult raw_consume_batch(const mib::KafkaProperties& properties, const std::string& topic,
                                std::int64_t expected) {
  const std::size_t batch_size = mib::ConsumerOptions::default_max_poll_records;
  std::vector<rd_kafka_message_t*> batch(batch_size);
  return raw_read(properties, topic, expected,
                  [&](rd_kafka_t* rk, rd_kafka_queue_t* queue, Receiver& receiver) {
                    rd_kafka_message_t* first = rd_kafka_consumer_poll(rk, poll_timeout_ms);
                    if (first == nullptr) return 0;
                    const ssize_t got =
                        rd_kafka_consume_batch_queue(queue, 0, batch.data(), batch_size - 1);
                    int records = take(first, receiver);
                    for (ssize_t i = 0; i < got; ++i)
                      records += take(batch[static_cast<std::size_t>(i)], receiver);
                    return records;
                  });
}

mib::ConsumerOptions options_for(const std::string& topic) {
  mib::ConsumerOptions options;
  options.topics = {topic};  // subscribed by the constructor
  return options;
}

// One record from poll() at a time.
ConsumeResult mib_poll(const mib::KafkaProperties& properties, const std::string& topic,
                       std::int64_t expected) {
  Receiver receiver{expected};
  receiver.mark_made();
  mib::Consumer consumer{properties, options_for(topic)};
  Watchdog watchdog;
  while (!receiver.done()) {
    const std::optional<mib::Message> m = consumer.poll(poll_timeout);
    if (!m) {
      if (watchdog.expired(receiver.received())) break;
      continue;
    }
    if (m->ok()) {
      receiver.record(m->partition(), m->offset(), m->key(), m->value());
    } else {
      receiver.error(m->error().message());
      if (watchdog.expired(receiver.received())) break;
    }
  }
  consumer.close();
  return receiver.result();
}

// Up to max_poll_records (500) records from each poll_batch().
ConsumeResult mib_poll_batch(const mib::KafkaProperties& properties, const std::string& topic,
                             std::int64_t expected) {
  Receiver receiver{expected};
  receiver.mark_made();
  mib::Consumer consumer{properties, options_for(topic)};
  Watchdog watchdog;
  while (!receiver.done()) {
    const std::vector<mib::Message> batch = consumer.poll_batch(poll_timeout);
    bool progress = false;
    for (const mib::Message& m : batch) {
      if (m.ok()) {
        receiver.record(m.partition(), m.offset(), m.key(), m.value());
        progress = true;
      } else {
        receiver.error(m.error().message());
      }
    }
    if (!progress && watchdog.expired(receiver.received())) break;
  }
  consumer.close();
  return receiver.result();
}

// mib::Processor::run() with a handler that counts and stops the loop at the last record;
// this thread only waits. (Its producer, for dead letters, idles.)
ConsumeResult mib_run(const mib::KafkaProperties& properties, const std::string& topic,
                      std::int64_t expected) {
  Receiver receiver{expected};
  receiver.mark_made();
  mib::ConsumerOptions options = options_for(topic);
  options.on_error = [&receiver](const mib::Error& e) { receiver.error(e.message()); };
  mib::Consumer consumer{properties, std::move(options)};
  mib::Producer producer{{{"bootstrap.servers", properties.at("bootstrap.servers")}}};
  mib::Processor processor{consumer, producer};
  processor.run([&](const mib::Message& m) {
    receiver.record(m.partition(), m.offset(), m.key(), m.value());
    if (receiver.done()) processor.stop();
  });
  Watchdog watchdog;
  while (processor.running() && !watchdog.expired(receiver.received())) {
    std::this_thread::sleep_for(poll_timeout);
  }
  processor.stop();
  if (const mib::Error e = processor.wait()) receiver.error(e.message());
  consumer.close();
  return receiver.result();
}

ConsumeResult consume(Side side, const mib::KafkaProperties& properties, const std::string& topic,
                      std::int64_t expected) {
  switch (side) {
    case Side::raw: return raw_consume(properties, topic, expected);
    case Side::raw_batch: return raw_consume_batch(properties, topic, expected);
    case Side::poll: return mib_poll(properties, topic, expected);
    case Side::poll_batch: return mib_poll_batch(properties, topic, expected);
    case Side::run: return mib_run(properties, topic, expected);
  }
  throw std::logic_error("unknown side");
}

// ---------------------------------------------------------------------------- fill

// Writes the topic's records once, with mib::Producer (lz4, linger.ms=5, ...); returns
// their checksum (what touch() sums over them).
std::uint64_t fill(const Workload& workload, std::int64_t records) {
  const std::string& topic = workload.topic.name();
  const Payloads& payloads = workload.payloads;
  Tally tally{records};  // before the producer, which must not outlive it
  mib::Producer producer{workload.properties};
  const auto on_delivery = [&tally](const mib::DeliveryReport& r) {
    tally.on_report(r.ok(), r.ok() ? std::string_view{} : r.error.message());
  };
  std::uint64_t checksum = 0;
  const auto start = SteadyClock::now();
  for (std::int64_t i = 0; i < records; ++i) {
    producer.send({.topic = topic, .key = payloads.key(i), .value = payloads.value(i)},
                  on_delivery);
    checksum += touch(payloads.key(i), payloads.value(i));
  }
  if (producer.flush(flush_timeout)) {
    producer.close(0ms);  // purged records are reported now, while `tally` still exists
  }
  const RunResult r = tally.result(start);
  if (r.failed > 0) {
    throw std::runtime_error("filling the topic: " + std::to_string(r.failed) +
                             " records failed: " + r.first_error);
  }
  std::printf("fill: %lld records in %.1f s (%.0f records/s; not part of any figure)\n",
              static_cast<long long>(records), r.seconds, r.records_per_second());
  return checksum;
}

// ---------------------------------------------------------------------------- groups

// Deletes the consumer groups the runs made (best effort: a failure is only printed).
void delete_groups(const mib::KafkaProperties& admin_properties,
                   const std::vector<std::string>& groups) {
  if (groups.empty()) return;
  try {
    const RawHandle handle = make_raw_handle(admin_properties);
    std::vector<Owned<rd_kafka_DeleteGroup_t, rd_kafka_DeleteGroup_destroy>> owned;
    std::vector<rd_kafka_DeleteGroup_t*> requests;
    for (const std::string& g : groups) {
      owned.emplace_back(rd_kafka_DeleteGroup_new(g.c_str()));
      requests.push_back(owned.back().get());
    }
    const auto event = run_admin(handle.get(), RD_KAFKA_ADMIN_OP_DELETEGROUPS,
                                 [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                                   rd_kafka_DeleteGroups(handle.get(), requests.data(),
                                                         requests.size(), options, queue);
                                 });
    std::size_t count = 0;
    const rd_kafka_group_result_t* const* results = rd_kafka_DeleteGroups_result_groups(
        rd_kafka_event_DeleteGroups_result(event.get()), &count);
    for (std::size_t i = 0; i < count; ++i) {
      if (const rd_kafka_error_t* e = rd_kafka_group_result_error(results[i])) {
        std::fprintf(stderr, "consumer_bench: deleting group %s: %s\n",
                     rd_kafka_group_result_name(results[i]), rd_kafka_error_string(e));
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "consumer_bench: deleting the consumer groups: %s\n", e.what());
  }
}

// ---------------------------------------------------------------------------- main

void print_consume(Side side, std::int64_t run, const ConsumeResult& c, std::int64_t size,
                   std::uint64_t expected_checksum) {
  const RunResult& r = c.run;
  const double poller_us = c.poller_cpu_seconds * 1e6 / static_cast<double>(r.records);
  std::printf("%-16s %4lld %12.0f %9.2f %9.3f %11.2f %10.2f %10.2f %8.2f %8.2f %8lld%s%s%s\n",
              name_of(side), static_cast<long long>(run), r.records_per_second(),
              megabytes_per_second(r.records_per_second(), size), r.seconds,
              r.cpu_microseconds_per_record(), poller_us, r.per_record(r.allocations.total()),
              r.per_record(r.allocations.cxx), c.wait_seconds, static_cast<long long>(r.failed),
              c.checksum != expected_checksum ? "  checksum differs" : "",
              r.first_error.empty() ? "" : "  ", r.first_error.c_str());
  std::fflush(stdout);
}

int run(const Options& o) {
  // The fill producer's properties are mib::Config's producer defaults (lz4, linger.ms=5).
  const Workload workload{"consumer_bench", o, "mib_bench_consumer_", "the fill producer"};
  const std::string& topic = workload.topic.name();
  // mib::Config's consumer defaults, reading from the beginning: a fresh group has no
  // committed offsets.
  mib::Config config = workload.config;
  config.consumer.auto_offset_reset = mib::OffsetReset::earliest;
  mib::KafkaProperties properties = config.consumer_properties();
  for (const auto& [name, value] : o.overrides) properties[name] = value;
  print_properties("every consumer side, group.id replaced per run and side", properties);
  std::printf(
      "mib::Consumer also sets enable.auto.offset.store=false and stores offsets itself; "
      "ConsumerOptions defaults (max_poll_records=500)\n");
  const std::uint64_t expected_checksum = fill(workload, o.messages);

  std::printf(
      "\nthroughput: %lld records of %lld bytes per run from the beginning of the topic, "
      "fresh group per run and side,\nfirst record to last; cpu_us/rec: this process's CPU "
      "time per record (all threads); poll_us/rec: the CPU time of the thread that polls\n"
      "(the application's, or run()'s), per record; wait_s: consumer made to first record "
      "(group join; not timed);\n%s\n",
      static_cast<long long>(o.messages), static_cast<long long>(o.size), allocations_legend());
  std::printf("%-16s %4s %12s %9s %9s %11s %10s %10s %8s %8s %8s\n", "side", "run", "records/s",
              "MB/s", "seconds", "cpu_us/rec", "poll_us/rec", "allocs/rec", "new/rec", "wait_s",
              "missing");
  std::fflush(stdout);  // the header shows when the timed part starts, also in a file
  std::vector<std::vector<double>> rates(all_sides.size());
  std::vector<std::vector<double>> allocation_rates(all_sides.size());
  std::vector<std::string> groups;
  bool complete = true;
  std::int64_t duplicates = 0;
  for (std::int64_t run = 1; run <= o.runs; ++run) {
    std::vector<Side> order = o.sides;
    if (run % 2 == 0) std::reverse(order.begin(), order.end());  // drift hits every side alike
    for (const Side side : order) {
      mib::KafkaProperties p = properties;
      p["group.id"] = topic + "_" + key_of(side) + "_" + std::to_string(run);
      groups.push_back(p["group.id"]);
      const ConsumeResult c = consume(side, p, topic, o.messages);
      print_consume(side, run, c, o.size, expected_checksum);
      duplicates += c.duplicates;
      if (c.run.failed > 0 || c.checksum != expected_checksum) {
        complete = false;
      } else {
        rates[static_cast<std::size_t>(side)].push_back(c.run.records_per_second());
        allocation_rates[static_cast<std::size_t>(side)].push_back(
            c.run.per_record(c.run.allocations.total()));
      }
    }
  }

  const auto median_of = [](const std::vector<std::vector<double>>& values, Side side) {
    const auto& v = values[static_cast<std::size_t>(side)];
    return v.empty() ? 0.0 : median(v);
  };
  for (const Side side : o.sides) {
    const double m = median_of(rates, side);
    std::printf("median %-17s %9.0f records/s, %.2f MB/s",
                (std::string{name_of(side)} + ":").c_str(), m, megabytes_per_second(m, o.size));
    if (counting_allocations()) {
      std::printf(", %.2f heap allocations per record", median_of(allocation_rates, side));
    }
    std::printf("\n");
  }
  const auto has = [&](Side side) {
    return std::find(o.sides.begin(), o.sides.end(), side) != o.sides.end();
  };
  for (const Side side : o.sides) {
    // poll() against the one-record loop; poll_batch() and run() against the batch loop, or
    // the one-record loop when the batch loop did not run.
    Side reference = reference_of(side);
    if (!has(reference)) reference = Side::raw;
    if (side == Side::raw || side == Side::raw_batch || !has(reference)) continue;
    std::printf("ratio (%s / %s): %.3f  (goal >= 0.95)\n", name_of(side), name_of(reference),
                median_of(rates, side) / median_of(rates, reference));
  }
  delete_groups(workload.config.admin_properties(), groups);

  if (!complete) {
    std::printf("\nFAILED: a side did not receive every record (or not their contents)\n");
    return 1;
  }
  if (duplicates > 0) {
    std::printf("\nevery side received every record; %lld were received twice\n",
                static_cast<long long>(duplicates));
  } else {
    std::printf("\nevery side received every record exactly once\n");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return run_main("consumer_bench", usage, [&] { return run(parse_options(argc, argv)); });
}
