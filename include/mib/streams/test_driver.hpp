// mib::streams::TestDriver: runs a Topology in the test's own thread, without a broker, on
// the event times and wall-clock time the test gives: every run gives the same outputs.
//
//   st::TestDriver driver{topology};
//   auto trades = driver.input<mib::Trade>("market_intel.trades");
//   auto vwap = driver.output<st::Windowed<std::string, double>>("market_intel.vwap_1s");
//   trades.pipe({.symbol = "AAPL", .quantity = 100, .price = 10.0}, st::at(0ms));
//   trades.pipe({.symbol = "AAPL", .quantity = 300, .price = 11.0}, st::at(500ms));
//   driver.advance_to(st::at(1200ms));                  // past the window's end + grace
//   EXPECT_EQ(vwap.read_value().value, 10.75);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mib/serde/serde.hpp"
#include "mib/streams/topology.hpp"

namespace mib::streams {

// Pipes records into one source of the topology.
template <typename K, typename V>
class TestInput {
 public:
  explicit TestInput(detail::Source<K, V>& source) : source_(&source) {}

  // The key is key_of(value) for the market types (the symbol, ...), else K{}.
  void pipe(V value, Timestamp time, std::int32_t partition = 0) {
    K key{};
    if constexpr (Keyed<V> && std::is_constructible_v<K, std::string_view>) {
      key = K{key_of(value)};
    }
    pipe(std::move(key), std::move(value), time, partition);
  }
  void pipe(K key, V value, Timestamp time, std::int32_t partition = 0) {
    source_->push(Record<K, V>{std::move(key), std::move(value), time}, partition);
  }
  // A record as bytes, decoded by the source's serde as the Engine would: the Error says
  // why it did not decode (the Engine sends such a record to the dead-letter topic).
  Error pipe_bytes(std::string_view key, std::string_view value, Timestamp time,
                   std::int32_t partition = 0) {
    return source_->push_encoded(key, value, time, partition);
  }

 private:
  detail::Source<K, V>* source_;
};

// Reads what reached one sink, oldest first.
template <typename K, typename V>
class TestOutput {
 public:
  explicit TestOutput(detail::Sink<K, V>& sink) : sink_(&sink) {}

  bool empty() const noexcept { return sink_->captured.empty(); }
  std::size_t size() const noexcept { return sink_->captured.size(); }
  // Throws mib::Exception when nothing is there.
  Record<K, V> read_record() {
    if (empty()) {
      throw Exception{Error{errc::state, "no record is waiting in '" + sink_->topic() + "'"}};
    }
    Record<K, V> r = std::move(sink_->captured.front());
    sink_->captured.pop_front();
    return r;
  }
  V read_value() { return read_record().value; }
  std::vector<Record<K, V>> read_records() {
    std::vector<Record<K, V>> all;
    while (!empty()) all.push_back(read_record());
    return all;
  }
  std::vector<V> read_values() {
    std::vector<V> all;
    while (!empty()) all.push_back(read_value());
    return all;
  }

 private:
  detail::Sink<K, V>* sink_;
};

class TestDriver {
 public:
  // Wall-clock time starts at `wall_clock` and moves only by advance_wall_clock().
  explicit TestDriver(Topology& topology, Timestamp wall_clock = at(Millis{0}));

  template <typename V, typename K = std::string>
  TestInput<K, V> input(std::string_view topic) {
    return TestInput<K, V>{topology_->typed_source<K, V>(topic)};
  }
  template <typename V, typename K = std::string>
  TestOutput<K, V> output(std::string_view topic) {
    detail::SinkBase* sink = topology_->graph().find_sink(topic);
    auto* typed = dynamic_cast<detail::Sink<K, V>*>(sink);
    if (typed == nullptr) {
      throw Exception{Error{errc::invalid_argument,
                            sink == nullptr
                                ? "the topology sends nothing to '" + std::string{topic} + "'"
                                : "sink '" + std::string{topic} + "' carries another record type"}};
    }
    return TestOutput<K, V>{*typed};
  }

  // Moves every source partition's event time to at least `time`, as if each had sent a
  // record that late: windows whose end + grace it passes close.
  void advance_to(Timestamp time);
  // Moves wall-clock time on: idle partitions, windows closed by wall-clock time.
  void advance_wall_clock(Millis by);
  Timestamp wall_clock() const noexcept;

  // Records the named operator found later than its grace period.
  std::uint64_t late_records(std::string_view operator_name) const;
  // Bytes the topology's state holds (an estimate, see Node::state_bytes).
  std::size_t state_bytes() const;

 private:
  Topology* topology_;
};

}  // namespace mib::streams
