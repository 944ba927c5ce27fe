// streams_vs_kafka_streams: our side of bench/streams_vs_kafka_streams, the side-by-side run
// of the same two topologies in mib::streams and in Kafka Streams on the same broker (issue
// 15, item 9). One program with subcommands, each a process of its own (so that a run's
// peak memory is its own):
//
//   streams_vs_kafka_streams topics --brokers B --partitions P [--retention-ms MS] TOPIC...
//       Makes the topics (replication 1, retention.ms -1 by default: the trades' event times
//       are an hour old, and nothing may age out before it is counted).
//   streams_vs_kafka_streams delete --brokers B --prefix PREFIX
//       Deletes every topic and consumer group whose name starts with PREFIX (a run's
//       topics, Kafka Streams' internal topics of its application ids, the groups).
//   streams_vs_kafka_streams fill --brokers B --topic T [--records 2000000] [--symbols 500]
//       Pre-fills T with trades (mib::Trade, our JSON, key = symbol): 10,000 trades per
//       second of event time from an hour ago, symbols round-robin, quantities 1-199 (the
//       filter, quantity >= 100, keeps about half), then one sentinel per partition an hour
//       after the last trade (symbol "~END", quantity 1: the filter drops it, and its own
//       windows never close) so that every window of every real symbol closes in both
//       engines. Prints the figures both outputs must have.
//   streams_vs_kafka_streams run --brokers B --topology filter|vwap --input T --output O
//                                --group G --expect N [--set PATH=VALUE]...
//       Runs one topology in a mib::streams::Engine (consumer group G, from the earliest
//       offsets) until it has processed N input records, then stop() (flush, commit).
//       --set changes a setting of our Config (consumer.max_poll_records=2000), for
//       experiments; the comparison runs with the defaults.
//   streams_vs_kafka_streams count --brokers B --topic O --kind filter|vwap
//       Reads O from its beginning to its end offsets: the records, and a digest of their
//       content that does not depend on their order or their JSON's bytes (filter: the
//       trade ids and quantities; vwap: each key and window, and the values to 1e-6).
//
// Each subcommand prints one line "RESULT name=value ..." for the script to read.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "mib/mib.hpp"
#include "mib/streams.hpp"
#include "mib/streams/engine.hpp"

namespace st = mib::streams;
using namespace std::chrono_literals;

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::int64_t trades_per_second = 10'000;
constexpr std::uint64_t filter_min_quantity = 100;  // the filter keeps quantity >= 100
constexpr std::string_view sentinel_symbol = "~END";
// A run or a count that sees no new record for this long gives up.
constexpr auto stall_limit = 120s;

constexpr std::string_view usage =
    "usage: streams_vs_kafka_streams topics --brokers B --partitions P [--retention-ms MS] "
    "TOPIC...\n"
    "       streams_vs_kafka_streams delete --brokers B --prefix PREFIX\n"
    "       streams_vs_kafka_streams fill --brokers B --topic T [--records N] [--symbols S]\n"
    "       streams_vs_kafka_streams run --brokers B --topology filter|vwap --input T "
    "--output O --group G --expect N [--set PATH=VALUE]...\n"
    "       streams_vs_kafka_streams count --brokers B --topic O --kind filter|vwap\n";

// ---------------------------------------------------------------------------- options

// "--name value" pairs, and the words that are not options (topics' topic names).
struct Args {
  std::map<std::string, std::string, std::less<>> options;
  std::vector<std::string> words;
  std::vector<std::string> settings;  // --set PATH=VALUE, repeatable

  std::string get(std::string_view name, std::string_view fallback = {}) const {
    const auto found = options.find(name);
    if (found != options.end()) return found->second;
    if (fallback.empty()) {
      throw std::invalid_argument("missing option " + std::string{name});
    }
    return std::string{fallback};
  }
  std::int64_t number(std::string_view name, std::string_view fallback = {}) const {
    const std::string text = get(name, fallback);
    std::size_t used = 0;
    long long value = 0;
    try {
      value = std::stoll(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != text.size()) {
      throw std::invalid_argument(std::string{name} + " needs a whole number, not '" + text + "'");
    }
    return value;
  }
  std::int64_t positive(std::string_view name, std::string_view fallback = {}) const {
    const std::int64_t value = number(name, fallback);
    if (value <= 0) throw std::invalid_argument(std::string{name} + " must be positive");
    return value;
  }
};

Args parse_args(int argc, char** argv, int first) {
  Args args;
  for (int i = first; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word.starts_with("--")) {
      if (i + 1 >= argc) {
        throw std::invalid_argument("option " + std::string{word} + " needs a value");
      }
      if (word == "--set") {
        args.settings.emplace_back(argv[++i]);
      } else {
        args.options[std::string{word}] = argv[++i];
      }
    } else {
      args.words.emplace_back(word);
    }
  }
  return args;
}

mib::Config config_for(const std::string& brokers) {
  mib::Config config;
  config.set("brokers.addresses", brokers);
  config.set("consumer.auto_offset_reset", "earliest");
  return config;
}

// The most memory this process has had resident (VmHWM), in KiB, as the Kafka Streams side
// reads its own.
long peak_rss_kb() {
  std::ifstream status{"/proc/self/status"};
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

double seconds_between(SteadyClock::time_point from, SteadyClock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// FNV-1a: the digests add one per record, so that they do not depend on the order.
std::uint64_t fnv1a(std::string_view text, std::uint64_t h = 14695981039346656037ULL) {
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

// ---------------------------------------------------------------------------- topics

int make_topics(const Args& args) {
  if (args.words.empty()) throw std::invalid_argument("topics needs at least one topic name");
  mib::Client client{config_for(args.get("--brokers"))};
  const mib::Admin admin = client.admin();
  const auto partitions = static_cast<std::int32_t>(args.positive("--partitions"));
  const std::string retention = std::to_string(args.number("--retention-ms", "-1"));
  for (const std::string& name : args.words) {
    admin.create_topic({.name = name,
                        .partitions = partitions,
                        .replication = 1,
                        .configs = {{"retention.ms", retention}}});
  }
  std::printf("RESULT topics=%zu partitions=%d\n", args.words.size(), partitions);
  return 0;
}

int delete_prefixed(const Args& args) {
  const std::string prefix = args.get("--prefix");
  if (prefix.size() < 4) throw std::invalid_argument("--prefix needs at least 4 characters");
  mib::Client client{config_for(args.get("--brokers"))};
  const mib::Admin admin = client.admin();
  std::size_t topics = 0, groups = 0;
  for (const mib::TopicListing& t : admin.list_topics()) {
    if (!t.name.starts_with(prefix)) continue;
    admin.delete_topic(t.name);
    ++topics;
  }
  for (const mib::GroupListing& g : admin.list_groups()) {
    if (!g.id.starts_with(prefix)) continue;
    admin.delete_group(g.id);
    ++groups;
  }
  std::printf("RESULT deleted_topics=%zu deleted_groups=%zu\n", topics, groups);
  return 0;
}

// ---------------------------------------------------------------------------- fill

// splitmix64: the same trades on every run.
class Random {
 public:
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_ = 42;
};

// Four-letter tickers: AAAA, AAAB, ...
std::vector<std::string> make_symbols(std::int64_t count) {
  std::vector<std::string> symbols;
  for (std::int64_t i = 0; i < count; ++i) {
    std::string name(4, 'A');
    std::int64_t n = i;
    for (std::size_t k = 4; k-- > 0;) {
      name[k] = static_cast<char>('A' + n % 26);
      n /= 26;
    }
    symbols.push_back(std::move(name));
  }
  return symbols;
}

// Delivery reports, counted on the producer's poller thread.
class Deliveries {
 public:
  void report(const mib::DeliveryReport& r) {
    if (r.ok()) {
      delivered_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    if (failed_.fetch_add(1, std::memory_order_relaxed) == 0) {
      const std::lock_guard lock{mutex_};
      first_error_ = r.error.message();
    }
  }
  std::uint64_t delivered() const { return delivered_.load(); }
  std::uint64_t failed() const { return failed_.load(); }
  std::string first_error() const {
    const std::lock_guard lock{mutex_};
    return first_error_;
  }

 private:
  std::atomic<std::uint64_t> delivered_{0}, failed_{0};
  mutable std::mutex mutex_;
  std::string first_error_;
};

int fill(const Args& args) {
  const std::string topic = args.get("--topic");
  const std::int64_t records = args.positive("--records", "2000000");
  const std::int64_t symbol_count = args.positive("--symbols", "500");
  mib::Client client{config_for(args.get("--brokers"))};
  const auto partitions =
      static_cast<std::int32_t>(client.admin().describe_topic(topic).partitions.size());
  if (partitions <= 0) throw std::runtime_error("topic '" + topic + "' has no partitions");

  const std::vector<std::string> symbols = make_symbols(symbol_count);
  // Whole minutes, an hour back: every window is [n s, n+1 s), and neither the trades nor
  // the sentinels an hour after them are in the broker's future.
  const mib::UtcTime base =
      std::chrono::floor<std::chrono::minutes>(mib::UtcTime::clock::now()) - 1h;
  constexpr auto step = std::chrono::nanoseconds{1s} / trades_per_second;

  Deliveries deliveries;
  const auto on_delivery = [&deliveries](const mib::DeliveryReport& r) { deliveries.report(r); };
  mib::Producer producer = client.producer();
  Random random;
  mib::Trade t;
  t.venue = "XNAS";
  t.fee_currency = "USD";
  std::uint64_t kept = 0;  // by the filter
  std::uint64_t windows = 0;
  std::vector<std::int64_t> last_second(symbols.size(), -1);  // per symbol: its last window
  char id[32];
  const auto started = SteadyClock::now();
  for (std::int64_t i = 0; i < records; ++i) {
    const std::uint64_t r = random.next();
    const auto k = static_cast<std::size_t>(i % symbol_count);
    std::snprintf(id, sizeof id, "T%010lld", static_cast<long long>(i));
    t.trade_id = id;
    id[0] = 'O';
    t.order_id = id;
    t.symbol = symbols[k];
    t.side = (r & 1) != 0 ? mib::Side::sell : mib::Side::buy;
    t.quantity = 1 + (r >> 1) % 199;
    t.price = 20.0 + static_cast<double>(k) * 0.5 + static_cast<double>((r >> 16) % 200) * 0.01;
    t.timestamp = base + i * step;
    t.fee = static_cast<double>(t.quantity) * 0.0005;
    if (t.quantity >= filter_min_quantity) ++kept;
    const std::int64_t second = i / trades_per_second;
    if (last_second[k] != second) {
      last_second[k] = second;
      ++windows;
    }
    producer.send(topic, t, on_delivery);
  }
  // One sentinel per partition, an hour after the last trade.
  const mib::UtcTime end = base + records * step + 1h;
  std::string bytes;
  for (std::int32_t p = 0; p < partitions; ++p) {
    mib::Trade s;
    s.trade_id = "END" + std::to_string(p);
    s.order_id = s.trade_id;
    s.symbol = sentinel_symbol;
    s.quantity = 1;
    s.price = 1.0;
    s.timestamp = end;
    s.venue = "XNAS";
    bytes.clear();
    if (mib::Error e = mib::json::encode(s, bytes)) throw mib::Exception{e};
    const mib::Header headers[] = {{mib::content_type_header, "application/json"}};
    producer.send({.topic = topic,
                   .key = s.symbol,
                   .value = bytes,
                   .headers = std::span<const mib::Header>{headers},
                   .partition = p},
                  on_delivery);
  }
  if (mib::Error e = producer.flush(300s)) throw mib::Exception{e};
  const double seconds = seconds_between(started, SteadyClock::now());
  if (deliveries.failed() > 0) {
    throw std::runtime_error(std::to_string(deliveries.failed()) +
                             " trades were not delivered; the first: " + deliveries.first_error());
  }
  const auto total = static_cast<std::uint64_t>(records) + static_cast<std::uint64_t>(partitions);
  if (deliveries.delivered() != total) {
    throw std::runtime_error("delivered " + std::to_string(deliveries.delivered()) + " of " +
                             std::to_string(total) + " records");
  }
  std::printf(
      "RESULT records=%lld sentinels=%d input=%llu symbols=%lld filter_expected=%llu "
      "windows_expected=%llu event_seconds=%lld fill_s=%.3f\n",
      static_cast<long long>(records), partitions, static_cast<unsigned long long>(total),
      static_cast<long long>(symbol_count), static_cast<unsigned long long>(kept),
      static_cast<unsigned long long>(windows),
      static_cast<long long>((records + trades_per_second - 1) / trades_per_second), seconds);
  return 0;
}

// ---------------------------------------------------------------------------- run

// Counts the input records at the head of the topology (a peek, on the engine's thread):
// the times of the first and of the expected-th are the processing span.
class Progress {
 public:
  explicit Progress(std::uint64_t expected) : expected_(expected) {}

  void tick() {
    const std::uint64_t n = seen_.load(std::memory_order_relaxed) + 1;
    if (n == 1) first_ = SteadyClock::now();
    if (n == expected_) last_ = SteadyClock::now();
    seen_.store(n, std::memory_order_release);
  }
  std::uint64_t seen() const { return seen_.load(std::memory_order_acquire); }
  // Once seen() has reached the expected count.
  SteadyClock::time_point first() const { return first_; }
  SteadyClock::time_point last() const { return last_; }

 private:
  const std::uint64_t expected_;
  std::atomic<std::uint64_t> seen_{0};
  SteadyClock::time_point first_{}, last_{};
};

std::string property(const mib::KafkaProperties& properties, std::string_view name) {
  const auto found = properties.find(name);
  return found == properties.end() ? "librdkafka-default" : found->second;
}

int run(const Args& args) {
  const std::string kind = args.get("--topology");
  if (kind != "filter" && kind != "vwap") {
    throw std::invalid_argument("--topology takes filter or vwap, not '" + kind + "'");
  }
  const std::string input = args.get("--input");
  const std::string output = args.get("--output");
  const std::string group = args.get("--group");
  const auto expected = static_cast<std::uint64_t>(args.positive("--expect"));
  mib::Config config = config_for(args.get("--brokers"));
  std::string overrides;
  for (const std::string& setting : args.settings) {
    const std::size_t equals = setting.find('=');
    if (equals == 0 || equals == std::string::npos) {
      throw std::invalid_argument("--set needs PATH=VALUE, not '" + setting + "'");
    }
    config.set(std::string_view{setting}.substr(0, equals),
               std::string_view{setting}.substr(equals + 1));
    overrides += (overrides.empty() ? "" : ",") + setting;
  }
  mib::Client client{config};

  Progress progress{expected};
  st::Topology topology;
  auto trades =
      topology.stream<mib::Trade>(input, {.event_time = st::event_time(&mib::Trade::timestamp)})
          .peek([&progress](const mib::Trade&) { progress.tick(); });
  if (kind == "filter") {
    trades.filter([](const mib::Trade& t) { return t.quantity >= filter_min_quantity; }).to(output);
  } else {
    // The record key is the symbol already: windows by it, as Kafka Streams' groupByKey.
    trades.window(st::Tumbling{1s}.grace(0ms))
        .aggregate(st::vwap(&mib::Trade::price, &mib::Trade::quantity), "vwap-1s")
        .to(output);
  }
  st::Engine engine{group, topology, client};

  const auto started = SteadyClock::now();
  engine.start();
  std::uint64_t last_seen = 0;
  auto last_progress = SteadyClock::now();
  while (progress.seen() < expected) {
    std::this_thread::sleep_for(2ms);
    const st::EngineStatus status = engine.status();
    if (status.state == st::EngineState::failed) {
      throw std::runtime_error("the engine failed: " + st::to_string(status));
    }
    const std::uint64_t seen = progress.seen();
    const auto now = SteadyClock::now();
    if (seen != last_seen) {
      last_seen = seen;
      last_progress = now;
    } else if (now - last_progress > stall_limit) {
      throw std::runtime_error("only " + std::to_string(seen) + " of " + std::to_string(expected) +
                               " input records were processed; none for " +
                               std::to_string(stall_limit.count()) + " s");
    }
  }
  const auto processed = SteadyClock::now();
  engine.stop();
  const auto stopped = SteadyClock::now();
  const st::EngineStatus status = engine.status();
  if (status.state != st::EngineState::stopped) {
    throw std::runtime_error("the engine did not stop cleanly: " + st::to_string(status));
  }
  const st::EngineMetrics m = engine.metrics();
  const mib::KafkaProperties producer = config.producer_properties();
  const mib::KafkaProperties consumer = config.consumer_properties();
  std::printf(
      "RESULT side=ours topology=%s processed=%llu first_to_last_s=%.3f start_to_first_s=%.3f "
      "start_to_processed_s=%.3f start_to_closed_s=%.3f peak_rss_kb=%ld records_output=%llu "
      "late_records=%llu dead_letters=%llu errors=%llu engine_threads=1 "
      "producer_linger_ms=%s producer_batch_size=%s producer_compression=%s producer_acks=%s "
      "producer_idempotence=%s consumer_max_poll_records=%lld consumer_isolation=%s "
      "overrides=%s\n",
      kind.c_str(), static_cast<unsigned long long>(progress.seen()),
      seconds_between(progress.first(), progress.last()),
      seconds_between(started, progress.first()), seconds_between(started, processed),
      seconds_between(started, stopped), peak_rss_kb(),
      static_cast<unsigned long long>(m.records_output),
      static_cast<unsigned long long>(m.late_records),
      static_cast<unsigned long long>(m.dead_letters), static_cast<unsigned long long>(m.errors),
      property(producer, "linger.ms").c_str(), property(producer, "batch.size").c_str(),
      property(producer, "compression.type").c_str(), property(producer, "acks").c_str(),
      property(producer, "enable.idempotence").c_str(),
      static_cast<long long>(config.consumer.max_poll_records),
      property(consumer, "isolation.level").c_str(),
      overrides.empty() ? "none" : overrides.c_str());
  return 0;
}

// ---------------------------------------------------------------------------- count

// What an output topic holds, in a form both sides' outputs can be compared by.
struct Tally {
  std::uint64_t records = 0;
  std::uint64_t digest = 0;       // sum of a hash per record (trade id; key and window)
  std::int64_t quantities = 0;    // filter: sum of the quantities
  std::int64_t micro_values = 0;  // vwap: sum of the values in millionths
  std::uint64_t bad = 0;          // records that do not decode or break the topology's rule
  std::string first_bad;

  void fail(const mib::Message& m, const std::string& why) {
    if (bad++ == 0) {
      first_bad = "partition " + std::to_string(m.partition()) + " offset " +
                  std::to_string(m.offset()) + ": " + why;
    }
  }

  void add_filtered(const mib::Message& m) {
    mib::Trade t;
    if (mib::Error e = mib::json::decode(m.value(), t)) return fail(m, e.message());
    if (t.quantity < filter_min_quantity) return fail(m, "quantity " + std::to_string(t.quantity));
    if (m.key() != t.symbol) return fail(m, "key is not the symbol");
    digest += fnv1a(t.trade_id);
    quantities += static_cast<std::int64_t>(t.quantity);
  }

  void add_window(const mib::Message& m) {
    st::Windowed<std::string, double> w;
    const st::ResultSerde<st::Windowed<std::string, double>> serde;
    if (mib::Error e = serde.decode(m.value(), w)) return fail(m, e.message());
    if (m.key() != w.key) return fail(m, "key is not the window's key");
    if (w.window.end - w.window.start != 1s) return fail(m, "not a 1 s window");
    if (w.key == sentinel_symbol) return fail(m, "a sentinel's window");
    const auto start = w.window.start.time_since_epoch().count();
    digest += fnv1a(std::to_string(start), fnv1a(w.key));
    micro_values += std::llround(w.value * 1e6);
  }
};

int count(const Args& args) {
  const std::string topic = args.get("--topic");
  const std::string kind = args.get("--kind");
  if (kind != "filter" && kind != "vwap") {
    throw std::invalid_argument("--kind takes filter or vwap, not '" + kind + "'");
  }
  const std::string brokers = args.get("--brokers");
  mib::Client client{config_for(brokers)};
  // Where each partition ends now: every output was flushed before its engine stopped.
  std::map<std::int32_t, std::int64_t> ends;
  std::int64_t end_total = 0;
  std::vector<mib::TopicPartition> assignment;
  for (const mib::PartitionOffsets& p : client.admin().list_offsets(topic)) {
    assignment.push_back({topic, p.partition, mib::offset::beginning});
    if (p.latest > p.earliest) ends[p.partition] = p.latest;
    end_total += p.latest - p.earliest;
  }
  mib::Consumer consumer{
      mib::KafkaProperties{{"bootstrap.servers", brokers},
                           {"group.id", "svks-count-" + std::to_string(::getpid())},
                           {"enable.auto.commit", "false"},
                           {"auto.offset.reset", "earliest"}}};
  consumer.assign(assignment);
  Tally tally;
  auto last_progress = SteadyClock::now();
  while (!ends.empty()) {
    const std::vector<mib::Message> batch = consumer.poll_batch(200ms);
    if (batch.empty() && SteadyClock::now() - last_progress > stall_limit) {
      throw std::runtime_error("topic '" + topic + "': no record for " +
                               std::to_string(stall_limit.count()) + " s with " +
                               std::to_string(ends.size()) + " partitions not read to the end");
    }
    for (const mib::Message& m : batch) {
      if (!m.ok()) {
        std::fprintf(stderr, "streams_vs_kafka_streams: %s\n", m.error().message().c_str());
        continue;
      }
      last_progress = SteadyClock::now();
      const auto end = ends.find(m.partition());
      if (end == ends.end()) continue;  // past its end offset: came after the count began
      ++tally.records;
      if (kind == "filter") {
        tally.add_filtered(m);
      } else {
        tally.add_window(m);
      }
      if (m.offset() + 1 >= end->second) ends.erase(end);
    }
  }
  consumer.close();
  std::printf(
      "RESULT topic=%s records=%llu end_offsets=%lld digest=%016llx quantities=%lld "
      "micro_values=%lld bad=%llu\n",
      topic.c_str(), static_cast<unsigned long long>(tally.records),
      static_cast<long long>(end_total), static_cast<unsigned long long>(tally.digest),
      static_cast<long long>(tally.quantities), static_cast<long long>(tally.micro_values),
      static_cast<unsigned long long>(tally.bad));
  if (tally.bad > 0) {
    std::fprintf(stderr, "streams_vs_kafka_streams: %llu bad records in '%s', the first: %s\n",
                 static_cast<unsigned long long>(tally.bad), topic.c_str(),
                 tally.first_bad.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc < 2) throw std::invalid_argument("missing subcommand");
    const std::string_view command = argv[1];
    if (command == "--help" || command == "-h") {
      std::fputs(usage.data(), stdout);
      return 0;
    }
    const Args args = parse_args(argc, argv, 2);
    if (command == "topics") return make_topics(args);
    if (command == "delete") return delete_prefixed(args);
    if (command == "fill") return fill(args);
    if (command == "run") return run(args);
    if (command == "count") return count(args);
    throw std::invalid_argument("unknown subcommand '" + std::string{command} + "'");
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "streams_vs_kafka_streams: %s\n%s", e.what(), usage.data());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "streams_vs_kafka_streams: %s\n", e.what());
    return 1;
  }
}
