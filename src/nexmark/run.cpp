#include "mib/nexmark/run.hpp"

#include <chrono>
#include <cstring>
#include <functional>
#include <type_traits>
#include <utility>

#include "mib/nexmark/queries.hpp"

namespace mib::nexmark {
namespace {

// FNV-1a over the results' fields (a string by its hash).
struct Digest {
  std::uint64_t h = 0xcbf29ce484222325ULL;

  void add(std::uint64_t x) {
    for (int i = 0; i < 8; ++i) {
      h = (h ^ (x & 0xff)) * 0x100000001b3ULL;
      x >>= 8;
    }
  }
  void add(std::int64_t x) { add(static_cast<std::uint64_t>(x)); }
  void add(double x) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &x, sizeof bits);
    add(bits);
  }
  // Strings by the standard library's hash: many bytes at a time, where FNV takes one.
  void add(const std::string& s) { add(static_cast<std::uint64_t>(std::hash<std::string>{}(s))); }
  void add(Timestamp t) { add(static_cast<std::int64_t>(t.time_since_epoch().count())); }
  void add(const streams::TimeWindow& w) {
    add(w.start);
    add(w.end);
  }
  void add(const Bid& b) {
    add(b.auction);
    add(b.bidder);
    add(b.price);
    add(b.date_time);
    add(b.extra);
  }
  void add(const Q2& q) {
    add(q.auction);
    add(q.price);
  }
  void add(const Q3& q) {
    add(q.name);
    add(q.city);
    add(q.state);
    add(q.auction);
  }
  void add(const Q5& q) {
    add(q.auction);
    add(q.bids);
    add(q.window);
  }
  void add(const Q8& q) {
    add(q.person);
    add(q.name);
    add(q.window_start);
  }
  template <typename K, typename V>
  void add(const streams::Windowed<K, V>& w) {
    add(w.key);
    add(w.window);
    add(w.value);
  }
};

// Counts and digests the records a query emits.
struct Tally {
  std::uint64_t* results;
  Digest* digest;
  template <typename K, typename V>
  void operator()(const streams::Record<K, V>& r) const {
    ++*results;
    digest->add(r.value);
    digest->add(r.time);
  }
};

using Clock = std::chrono::steady_clock;

template <typename Build>
Summary run_query(std::string_view name, const GeneratorConfig& config, Build build) {
  // The time a group of out-of-order events spans, and a millisecond for rounding.
  const auto spread = std::chrono::milliseconds{
      static_cast<std::int64_t>(static_cast<double>(config.out_of_order_group) * 1000.0 /
                                config.rate) +
      1};
  streams::Topology topology;
  const Sources s = sources(topology, config.out_of_order_group > 1 ? spread : streams::Millis{0});
  Summary summary;
  summary.query = std::string{name};
  Digest digest;
  build(s).for_each(Tally{&summary.results, &digest});
  auto& persons = topology.typed_source<std::int64_t, Person>("persons");
  auto& auctions = topology.typed_source<std::int64_t, Auction>("auctions");
  auto& bids = topology.typed_source<std::int64_t, Bid>("bids");

  Generator generator{config};
  const auto start = Clock::now();
  while (generator.has_next()) {
    Event e = generator.next();
    // Each kind into its source, keyed by its id (a bid by its auction), at its own time.
    const auto push = [](auto& source, std::int64_t key, auto& event) {
      const Timestamp t = event.date_time;
      source.push({key, std::move(event), t}, 0);
    };
    if (auto* b = std::get_if<Bid>(&e)) {
      push(bids, b->auction, *b);
    } else if (auto* a = std::get_if<Auction>(&e)) {
      push(auctions, a->id, *a);
    } else {
      auto& p = std::get<Person>(e);
      push(persons, p.id, p);
    }
  }
  for (const auto& node : topology.graph().nodes()) summary.state_bytes += node->state_bytes();
  // The end of the input: every window and auction closes.
  const Timestamp end = Timestamp{std::chrono::milliseconds{INT64_MAX / 2}};
  for (auto* source : topology.graph().sources()) source->advance_to(end);
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  summary.events = generator.made();
  summary.events_per_second =
      summary.seconds > 0 ? static_cast<double>(summary.events) / summary.seconds : 0;
  summary.digest = digest.h;
  return summary;
}

}  // namespace

const std::vector<std::string>& queries() {
  static const std::vector<std::string> all{"q0", "q1", "q2", "q3", "q4", "q5", "q7", "q8", "q11"};
  return all;
}

Summary run(std::string_view query, const GeneratorConfig& config) {
  if (query == "q0") return run_query(query, config, [](const Sources& s) { return q0(s); });
  if (query == "q1") return run_query(query, config, [](const Sources& s) { return q1(s); });
  if (query == "q2") return run_query(query, config, [](const Sources& s) { return q2(s); });
  if (query == "q3") return run_query(query, config, [](const Sources& s) { return q3(s); });
  if (query == "q4") return run_query(query, config, [](const Sources& s) { return q4(s); });
  if (query == "q5") return run_query(query, config, [](const Sources& s) { return q5(s); });
  if (query == "q7") return run_query(query, config, [](const Sources& s) { return q7(s); });
  if (query == "q8") return run_query(query, config, [](const Sources& s) { return q8(s); });
  if (query == "q11") return run_query(query, config, [](const Sources& s) { return q11(s); });
  std::string known;
  for (const auto& q : queries()) {
    if (!known.empty()) known.append(", ");
    known.append(q);
  }
  throw Exception{Error{errc::invalid_argument, "nexmark: no query '" + std::string{query} +
                                                    "' (the queries are " + known + ")"}};
}

}  // namespace mib::nexmark
