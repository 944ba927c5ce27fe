// mib::streams::Stream: a typed stream of records, built from a Topology's sources.
//
//   topology.stream<mib::Trade>("market_intel.trades")
//       .filter([](const mib::Trade& t) { return t.quantity >= 100; })
//       .key_by(&mib::Trade::symbol)
//       .window(st::Tumbling{1s}.grace(200ms))
//       .aggregate(st::vwap(&mib::Trade::price, &mib::Trade::quantity), "vwap-1s")
//       .to("market_intel.vwap_1s");
//
// The stateless steps (filter, map, key_by, flat_map, peek) are fused at compile time into
// one function per chain. A function given to them takes the value, the key and the value,
// or the whole Record. A Stream is a cheap value: build several chains from one stream and
// each gets every record.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>

#include "mib/streams/detail/asof_join.hpp"
#include "mib/streams/detail/graph.hpp"
#include "mib/streams/detail/process_node.hpp"
#include "mib/streams/detail/session_aggregate.hpp"
#include "mib/streams/detail/sliding_aggregate.hpp"
#include "mib/streams/detail/stages.hpp"
#include "mib/streams/detail/window_aggregate.hpp"
#include "mib/streams/detail/window_join.hpp"
#include "mib/streams/join.hpp"
#include "mib/streams/result_serde.hpp"
#include "mib/streams/window.hpp"

namespace mib::streams {

template <typename In, typename K, typename V, typename Pipe, typename Spec>
class WindowedStream;
template <typename K, typename V>
class Table;
namespace detail {
template <typename Table, typename F, bool KeepUnmatched>
struct LookupStage;
}  // namespace detail

// In: the record type of the node this chain starts at; K, V: the records it carries now.
template <typename In, typename K, typename V, typename Pipe = detail::Identity>
class Stream {
 public:
  using key_type = K;
  using value_type = V;
  using record_type = Record<K, V>;

  Stream(detail::Graph& graph, detail::Outlet<In>& entry, detail::Node& origin, Pipe pipe = {})
      : graph_(&graph), entry_(&entry), origin_(&origin), pipe_(std::move(pipe)) {}

  // Keeps the records for which `pred` is true.
  template <typename P>
  auto filter(P pred) const {
    return then<K, V>(detail::FilterStage<P>{std::move(pred)});
  }
  // A new value per record (the key and time stay).
  template <typename F>
  auto map(F f) const {
    return then<K, detail::call_result_t<F, K, V>>(detail::MapStage<F>{std::move(f)});
  }
  // A new key per record: a member pointer (&Trade::symbol) or a function. Keys that view
  // text (string_view, const char*) become strings.
  template <typename F>
  auto key_by(F f) const {
    using K2 = detail::owned_key_t<detail::call_result_t<F, K, V>>;
    return then<K2, V>(detail::KeyStage<F>{std::move(f)});
  }
  // Zero or more values per record, from a function returning a range (vector, array,
  // optional...); or, with the value type given, from one that calls emit(value) for
  // each, which needs no container: flat_map<Quote>([](const Trade& t, auto& emit) {...}).
  template <typename V2 = void, typename F>
  auto flat_map(F f) const {
    if constexpr (std::is_void_v<V2>) {
      using Range = detail::call_result_t<F, K, V>;
      using Out = std::remove_cvref_t<decltype(*std::begin(std::declval<Range&>()))>;
      return then<K, Out>(detail::FlatMapStage<F>{std::move(f)});
    } else {
      return then<K, V2>(detail::EmitStage<V2, F>{std::move(f)});
    }
  }
  // Calls `f` for each record and passes the record on unchanged.
  template <typename F>
  auto peek(F f) const {
    return then<K, V>(detail::PeekStage<F>{std::move(f)});
  }

  // One stream per predicate: each record goes to the first branch whose predicate it
  // meets (a record meeting none is dropped; end with [](auto&) { return true; } to keep
  // the rest).  auto [big, small] = trades.branch(is_big, is_small);
  template <typename... P>
  auto branch(P... preds) const {
    constexpr std::size_t n = sizeof...(P);
    auto& branches = graph_->keep<detail::Branches<Record<K, V>, n>>();
    attach(detail::Branching<Record<K, V>, P...>{{std::move(preds)...}, &branches});
    return make_branches(branches, std::make_index_sequence<n>{});
  }

  // The records of both streams as one; its event time is the lower of the two.
  template <typename In2, typename Pipe2>
  auto merge(const Stream<In2, K, V, Pipe2>& other) const {
    struct Merge : detail::Node {
      using detail::Node::Node;
      detail::Outlet<Record<K, V>> out;
    };
    auto& node = graph_->add<Merge>("merge");
    node.add_input(*origin_);
    node.add_input(other.origin());
    attach(detail::Into<detail::Outlet<Record<K, V>>>{&node.out});
    other.attach(detail::Into<detail::Outlet<Record<K, V>>>{&node.out});
    return Stream<Record<K, V>, K, V>{*graph_, node.out, node};
  }

  // Sends the records through a topic of the topology's own, `<engine>-<name>-repartition`,
  // so that they are partitioned by their key as it is now: put it between a key_by() and
  // a stateful step when more than one engine instance shares the group (each then holds
  // the state of its own keys). The Engine makes the topic with as many partitions as the
  // most of its source topics; run in process (the TestDriver), records go straight on.
  // Keys must be text or integers, values have a serde (JSON by default).
  template <typename S = default_serde_t<V>>
  Stream<Record<K, V>, K, V> repartition(std::string name, S serde = {}) const {
    struct Repartitioned : detail::Node {
      using detail::Node::Node;
      detail::Outlet<Record<K, V>> out;
      void push(Record<K, V>&& r) { out.push(std::move(r)); }
    };
    graph_->claim_name(name);
    const std::string topic = name + "-repartition";
    auto& node = graph_->add<Repartitioned>(name);
    auto& sink = sink_for(topic, serde);
    sink.make_internal();
    sink.in_process = [&node](Record<K, V>&& r) { node.push(std::move(r)); };
    sink.watermark_of = origin_;
    attach(detail::Into<detail::Sink<K, V>>{&sink});
    auto& source = graph_->add<detail::Source<K, V>>(
        topic, Millis{std::chrono::seconds{10}},
        [serde](std::string_view key, std::string_view value, K& k, V& v) {
          if (Error e = key_from_bytes(key, k)) return e;
          return serde.decode(value, v);
        },
        typename detail::Source<K, V>::EventTime{});
    source.make_internal();
    graph_->add_source(source);
    source.out.add([&node](Record<K, V>&& r) { node.push(std::move(r)); });
    // Through the topic, the records in flight hold the watermark back; in process the
    // source stands aside (idle) and the upstream's watermark goes on.
    node.add_input(*origin_);
    node.add_input(source);
    return {*graph_, node.out, node};
  }

  // Sends the records to `topic`, values encoded by `serde` (JSON by default: the market
  // types' own JSON, or ResultSerde for windowed results and numbers). Keys are strings
  // or numbers (written in decimal).
  template <typename S = default_serde_t<V>>
  void to(const std::string& topic, S serde = {}) const {
    auto& sink = sink_for(topic, serde);
    attach(detail::Into<detail::Sink<K, V>>{&sink});
  }

  // Calls `f` for each record, at the end of a chain (what a sink does, in process).
  template <typename F>
  void for_each(F f) const {
    attach(detail::PeekStage<F>{std::move(f)}([](Record<K, V>&&) {}));
  }

  // Cuts the stream into windows of event time, per key (see window.hpp).
  template <typename Spec>
  WindowedStream<In, K, V, Pipe, Spec> window(Spec spec) const {
    return {*this, std::move(spec)};
  }

  // Windowed joins with a stream of the same key type (see join.hpp). The joiner takes
  // (const V&, const R&) for join(); a side that may have no partner comes as a pointer,
  // nullptr when it found none: (const V&, const R*) for left_join(), (const V*, const R&)
  // for right_join(), (const V*, const R*) for outer_join(). A pair is timed at the later
  // of its two records, a record alone at its own time.
  template <typename In2, typename R, typename Pipe2, typename F>
  auto join(const Stream<In2, K, R, Pipe2>& right, const JoinWindow& window, F joiner,
            std::string name) const {
    return joined<detail::JoinKind::inner>(right, window, std::move(joiner), std::move(name));
  }
  template <typename In2, typename R, typename Pipe2, typename F>
  auto left_join(const Stream<In2, K, R, Pipe2>& right, const JoinWindow& window, F joiner,
                 std::string name) const {
    return joined<detail::JoinKind::left>(right, window, std::move(joiner), std::move(name));
  }
  template <typename In2, typename R, typename Pipe2, typename F>
  auto right_join(const Stream<In2, K, R, Pipe2>& right, const JoinWindow& window, F joiner,
                  std::string name) const {
    return joined<detail::JoinKind::right>(right, window, std::move(joiner), std::move(name));
  }
  template <typename In2, typename R, typename Pipe2, typename F>
  auto outer_join(const Stream<In2, K, R, Pipe2>& right, const JoinWindow& window, F joiner,
                  std::string name) const {
    return joined<detail::JoinKind::outer>(right, window, std::move(joiner), std::move(name));
  }

  // Each record with the table's value for its key when the record arrives (table.hpp):
  // join() drops records whose key the table lacks, joiner(const V&, const R&);
  // left_join() keeps them, joiner(const V&, const R*) with nullptr. A step of the chain,
  // as cheap as a map: one lookup per record.
  template <typename R, typename F>
  auto join(const Table<K, R>& table, F joiner) const {
    using Out = std::remove_cvref_t<std::invoke_result_t<F&, const V&, const R&>>;
    return then<K, Out>(
        detail::LookupStage<std::remove_reference_t<decltype(table.node())>, F, false>{
            &table.node(), std::move(joiner)});
  }
  template <typename R, typename F>
  auto left_join(const Table<K, R>& table, F joiner) const {
    using Out = std::remove_cvref_t<std::invoke_result_t<F&, const V&, const R*>>;
    return then<K, Out>(
        detail::LookupStage<std::remove_reference_t<decltype(table.node())>, F, true>{
            &table.node(), std::move(joiner)});
  }

  // Each record with `right`'s latest record of its key at or before its time (see AsOf):
  // the joiner takes (const V&, const R&); a record with no match is dropped. Records
  // come out in time order, each once the right side has caught up with it.
  template <typename In2, typename R, typename Pipe2, typename F>
  auto asof_join(const Stream<In2, K, R, Pipe2>& right, AsOf options, F joiner,
                 std::string name) const {
    return as_of<false>(right, options, std::move(joiner), std::move(name));
  }
  // As asof_join(), keeping records with no match: the joiner takes (const V&, const R*).
  template <typename In2, typename R, typename Pipe2, typename F>
  auto asof_left_join(const Stream<In2, K, R, Pipe2>& right, AsOf options, F joiner,
                      std::string name) const {
    return as_of<true>(right, options, std::move(joiner), std::move(name));
  }

  // A step of one's own, with state stores and punctuators (processor.hpp): `processor`
  // is a function (Record<K, V>&&, ProcessorContext<K2, V2>&) or a type with process()
  // taking those and, optionally, init(ProcessorContext<K2, V2>&). It forwards Record<K2,
  // V2>s, any number per record. `name` names it (unique in the topology).
  template <typename V2, typename K2 = K, typename P>
  auto process(P processor, std::string name) const {
    graph_->claim_name(name);
    auto& node = graph_->add<detail::ProcessNode<K, V, K2, V2, P>>(std::move(name), *graph_,
                                                                   std::move(processor));
    node.add_input(*origin_);
    attach(detail::Into<std::remove_reference_t<decltype(node)>>{&node});
    return Stream<Record<K2, V2>, K2, V2>{*graph_, node.out, node};
  }

  // The node this chain starts at, and its end: for operators of this library.
  detail::Node& origin() const noexcept { return *origin_; }
  detail::Graph& graph() const noexcept { return *graph_; }
  template <typename Down>
  void attach(Down down) const {
    entry_->add(typename detail::Outlet<In>::Target{pipe_(std::move(down))});
  }

 private:
  template <typename Node>
  struct IntoLeft {
    Node* node;
    template <typename R>
    void operator()(R&& r) {
      node->push_left(std::forward<R>(r));
    }
  };
  template <typename Node>
  struct IntoRight {
    Node* node;
    template <typename R>
    void operator()(R&& r) {
      node->push_right(std::forward<R>(r));
    }
  };

  template <typename Node, typename In2, typename R, typename Pipe2>
  auto two_sided(Node& node, const Stream<In2, K, R, Pipe2>& right) const {
    node.add_input(*origin_);
    node.add_input(right.origin());
    attach(IntoLeft<Node>{&node});
    right.attach(IntoRight<Node>{&node});
    return Stream<typename Node::Out, K, typename Node::Value>{*graph_, node.out, node};
  }
  template <detail::JoinKind Kind, typename In2, typename R, typename Pipe2, typename F>
  auto joined(const Stream<In2, K, R, Pipe2>& right, const JoinWindow& window, F joiner,
              std::string name) const {
    graph_->claim_name(name);
    auto& node = graph_->add<detail::WindowJoin<K, V, R, F, Kind>>(
        std::move(name), std::move(joiner), window.before(), window.after(), window.grace_period());
    return two_sided(node, right);
  }
  template <bool KeepUnmatched, typename In2, typename R, typename Pipe2, typename F>
  auto as_of(const Stream<In2, K, R, Pipe2>& right, AsOf options, F joiner,
             std::string name) const {
    graph_->claim_name(name);
    auto& node = graph_->add<detail::AsOfJoin<K, V, R, F, KeepUnmatched>>(
        std::move(name), std::move(joiner), *origin_, right.origin(), options.tolerance,
        options.grace);
    return two_sided(node, right);
  }

  template <typename K2, typename V2, typename Stage>
  Stream<In, K2, V2, detail::Then<Pipe, Stage>> then(Stage stage) const {
    return {*graph_, *entry_, *origin_, detail::Then<Pipe, Stage>{pipe_, std::move(stage)}};
  }
  // The sink of `topic` for this stream's records, values encoded by `serde`.
  template <typename S>
  detail::Sink<K, V>& sink_for(const std::string& topic, const S& serde) const {
    return graph_->sink<K, V>(
        topic, [serde](const V& v, std::string& out) { return serde.encode(v, out); },
        [](const K& key, std::string& scratch) { return key_bytes(key, scratch); },
        std::string{serde.content_type()});
  }
  template <std::size_t N, std::size_t... I>
  auto make_branches(detail::Branches<Record<K, V>, N>& b, std::index_sequence<I...>) const {
    return std::array<Stream<Record<K, V>, K, V>, N>{
        Stream<Record<K, V>, K, V>{*graph_, b.outs[I], *origin_}...};
  }

  detail::Graph* graph_;
  detail::Outlet<In>* entry_;
  detail::Node* origin_;
  Pipe pipe_;
};

// A keyed stream cut into windows: aggregate() it; late() is where records later than
// the window's grace go (without a chain on it they are counted and dropped, and the
// Engine logs how many).
template <typename In, typename K, typename V, typename Pipe, typename Spec>
class WindowedStream {
 public:
  WindowedStream(Stream<In, K, V, Pipe> stream, Spec spec)
      : stream_(std::move(stream)),
        spec_(std::move(spec)),
        late_(&stream_.graph().template keep<detail::Outlet<Record<K, V>>>()) {}

  Stream<Record<K, V>, K, V> late() const { return {stream_.graph(), *late_, stream_.origin()}; }

  // One result per key and window: Windowed{key, window, value}, keyed by the key.
  // `name` names the operator's state (unique in the topology).
  template <typename A>
  auto aggregate(A agg, std::string name) const {
    detail::Graph& graph = stream_.graph();
    graph.claim_name(name);
    auto& node = make_node(graph, std::move(agg), std::move(name));
    node.add_input(stream_.origin());
    stream_.attach(detail::Into<std::remove_reference_t<decltype(node)>>{&node});
    using Out = typename std::remove_reference_t<decltype(node)>::Out;
    return Stream<Out, K, typename Out::value_type>{graph, node.out, node};
  }

 private:
  template <typename A>
  auto& make_node(detail::Graph& graph, A agg, std::string name) const {
    if constexpr (std::is_same_v<Spec, Session>) {
      return graph.add<detail::SessionAggregate<K, V, A>>(std::move(name), std::move(agg),
                                                          spec_.gap(), spec_.grace_period(),
                                                          spec_.idle_close(), spec_.emit(), late_);
    } else if constexpr (std::is_same_v<Spec, Sliding>) {
      return graph.add<detail::SlidingAggregate<K, V, A>>(std::move(name), std::move(agg),
                                                          spec_.difference(), spec_.grace_period(),
                                                          spec_.idle_close(), spec_.emit(), late_);
    } else {
      return graph.add<detail::TimeWindowAggregate<K, V, A>>(
          std::move(name), std::move(agg),
          detail::WindowShape{spec_.size(), spec_.advance(), spec_.grace_period(),
                              spec_.idle_close(), spec_.emit()},
          late_);
    }
  }

  Stream<In, K, V, Pipe> stream_;
  Spec spec_;
  detail::Outlet<Record<K, V>>* late_;
};

}  // namespace mib::streams
