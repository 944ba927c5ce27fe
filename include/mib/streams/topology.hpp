// mib::streams::Topology: what a stream job does, built once and run by an Engine (on a
// cluster) or a TestDriver (in a test, without one).
//
//   namespace st = mib::streams;
//   st::Topology topology;
//   auto trades = topology.stream<mib::Trade>("market_intel.trades",
//                                             {.event_time =
//                                             st::event_time(&mib::Trade::timestamp)});
//   trades.filter([](const mib::Trade& t) { return t.quantity >= 100; }).to("big_trades");
#pragma once

#include <chrono>
#include <concepts>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "mib/serde/serde.hpp"
#include "mib/streams/stream.hpp"
#include "mib/streams/table.hpp"

namespace mib::streams {

template <typename V>
struct SourceOptions {
  // A record's event time. Empty: its Kafka timestamp (the producer's create time, or the
  // broker's log-append time).
  std::function<Timestamp(const V&)> event_time{};
  // A partition that sent nothing for this long (wall-clock time) stops holding back the
  // watermark until it sends again; so does an assigned partition that never sent. 0: a
  // partition always holds it back.
  Millis idle_partition_after{std::chrono::seconds{10}};
};

// An event time read from a field: a time point of any precision (mib::UtcTime, as the
// market types carry) or milliseconds since the epoch.
//   {.event_time = st::event_time(&mib::Trade::timestamp)}
template <typename F>
auto event_time(F field) {
  return [field = std::move(field)](const auto& value) -> Timestamp {
    const auto& t = std::invoke(field, value);
    using T = std::remove_cvref_t<decltype(t)>;
    if constexpr (std::is_integral_v<T>) {
      return Timestamp{Millis{t}};
    } else {
      return std::chrono::floor<Millis>(std::chrono::time_point_cast<Clock::duration>(t));
    }
  };
}

class Topology {
 public:
  Topology() = default;
  Topology(const Topology&) = delete;
  Topology& operator=(const Topology&) = delete;

  // The records of a topic, values decoded by `serde` (JSON by default), keyed by the
  // record key. A topic is a source once per topology (build several chains on the
  // returned stream instead).
  template <typename V, typename S = JsonSerde<V>>
  requires Serde<S, V>
  auto stream(std::string topic, SourceOptions<V> options = {}, S serde = {}) {
    auto decode = [serde = std::move(serde)](std::string_view key, std::string_view value,
                                             std::string& k, V& v) {
      k.assign(key);
      return serde.decode(value, v);
    };
    return add_source<std::string, V>(std::move(topic), std::move(options), std::move(decode));
  }

  // The latest value per key of a topic, as a Table (table.hpp); a record with an empty
  // value (a tombstone) deletes its key.
  template <typename V, typename S = JsonSerde<V>>
  requires Serde<S, V> Table<std::string, V> table(std::string topic, SourceOptions<V> options = {},
                                                   S serde = {}) {
    auto updates = stream<V, S>(topic, std::move(options), std::move(serde));
    auto table = as_table(updates, "table " + topic);
    auto& node = table.node();
    static_cast<detail::SourceBase&>(updates.origin())
        .on_tombstone(
            [&node](std::string_view key, Timestamp t) { node.erase(std::string{key}, t); });
    return table;
  }
  // A table of a stream (in process, or of a topic already read as a stream).
  template <typename In, typename K, typename V, typename Pipe>
  Table<K, V> as_table(const Stream<In, K, V, Pipe>& updates, std::string name) {
    auto& node = graph_.add<detail::TableNode<K, V>>(std::move(name));
    node.add_input(updates.origin());
    updates.attach(detail::Into<detail::TableNode<K, V>>{&node});
    return Table<K, V>{graph_, node};
  }

  // A source fed in process (TestDriver::input, or push()), with keys of any type.
  template <typename K, typename V>
  auto source(std::string name, SourceOptions<V> options = {}) {
    return add_source<K, V>(std::move(name), std::move(options), {});
  }

  // Feeds a record to an in-process source by name (on the thread that runs the topology).
  template <typename K, typename V>
  void push(std::string_view name, Record<K, V> record, std::int32_t partition = 0) {
    typed_source<K, V>(name).push(std::move(record), partition);
  }

  // Topics read and written, for an Engine to subscribe to and a reader to check.
  std::vector<std::string> source_topics() const;
  std::vector<std::string> sink_topics() const;

  // For the Engine and the TestDriver.
  detail::Graph& graph() noexcept { return graph_; }
  const detail::Graph& graph() const noexcept { return graph_; }
  template <typename K, typename V>
  detail::Source<K, V>& typed_source(std::string_view name) {
    detail::SourceBase* base = graph_.source(name);
    if (base == nullptr) {
      throw Exception{
          Error{errc::invalid_argument, "the topology has no source '" + std::string{name} + "'"}};
    }
    auto* typed = dynamic_cast<detail::Source<K, V>*>(base);
    if (typed == nullptr) {
      throw Exception{Error{errc::invalid_argument,
                            "source '" + std::string{name} + "' carries another record type"}};
    }
    return *typed;
  }

 private:
  template <typename K, typename V>
  auto add_source(std::string topic, SourceOptions<V> options,
                  typename detail::Source<K, V>::Decode decode) {
    if (topic.empty()) {
      throw Exception{Error{errc::invalid_argument, "a source needs a topic name"}};
    }
    typename detail::Source<K, V>::EventTime event_time;
    if (options.event_time) {
      event_time = [f = std::move(options.event_time)](const V& v, Timestamp) { return f(v); };
    }
    auto& source = graph_.add<detail::Source<K, V>>(std::move(topic), options.idle_partition_after,
                                                    std::move(decode), std::move(event_time));
    graph_.add_source(source);
    return Stream<Record<K, V>, K, V>{graph_, source.out, source};
  }

  detail::Graph graph_;
};

}  // namespace mib::streams
