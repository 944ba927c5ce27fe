// mib::streams::Table: the latest value per key of a topic (or of a join of two tables).
//
//   auto reference = topology.table<mib::Event>("market_intel.reference");
//   trades.left_join(reference, [](const mib::Trade& t, const mib::Event* e) { ... });
//   auto book = bids.join(asks, [](const Quote& b, const Quote& a) { ... }, "book");
//
// A stream joined with a table looks the key up when the stream's record arrives (the
// table as it is then, as Kafka Streams' tables without versions do); a table joined with
// a table emits a new result whenever either side of a key changes. A record with an empty
// (or null) value on a table's topic, a tombstone, deletes its key.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mib/streams/detail/window_aggregate.hpp"
#include "mib/streams/stream.hpp"

namespace mib::streams {

namespace detail {

template <typename K, typename V>
class TableNode : public Node {
 public:
  using Node::Node;
  Outlet<Record<K, V>> out;  // every update

  // Who follows deletions (table-table joins): the key, and the tombstone's time.
  std::vector<std::function<void(const K&, Timestamp)>> erased;

  void push(Record<K, V>&& r) {
    latest_.insert_or_assign(r.key, r.value);
    out.push(std::move(r));
  }
  void erase(const K& key, Timestamp time) {
    if (latest_.erase(key) == 0) return;
    for (auto& follower : erased) follower(key, time);
  }
  const V* find(const K& key) const {
    auto it = latest_.find(key);
    return it == latest_.end() ? nullptr : &it->second;
  }
  std::size_t state_bytes() const override { return bytes_of(latest_); }

 private:
  std::unordered_map<K, V> latest_;
};

// Stream-table join, fused into the stream's chain: a lookup per record.
template <typename Table, typename F, bool KeepUnmatched, typename Down>
struct LookingUp {
  const Table* table;
  F joiner;
  Down down;
  template <typename R>
  void operator()(R&& r) {
    using K = typename std::remove_cvref_t<R>::key_type;
    const auto* match = table->find(r.key);
    if constexpr (KeepUnmatched) {
      auto value = joiner(std::as_const(r.value), match);
      down(Record<K, decltype(value)>{std::move(r.key), std::move(value), r.time});
    } else {
      if (match == nullptr) return;
      auto value = joiner(std::as_const(r.value), *match);
      down(Record<K, decltype(value)>{std::move(r.key), std::move(value), r.time});
    }
  }
};
template <typename Table, typename F, bool KeepUnmatched>
struct LookupStage {
  const Table* table;
  F joiner;
  template <typename Down>
  auto operator()(Down down) const {
    return LookingUp<Table, F, KeepUnmatched, Down>{table, joiner, std::move(down)};
  }
};

// Table-table join: a new result for a key whenever either side of it changes.
template <typename K, typename L, typename R, typename F, bool KeepUnmatched, typename Result>
struct TableJoin {
  TableJoin(const TableNode<K, L>* l, const TableNode<K, R>* r, F f, TableNode<K, Result>* out)
      : left(l), right(r), joiner(std::move(f)), result(out) {}
  const TableNode<K, L>* left;
  const TableNode<K, R>* right;
  F joiner;
  TableNode<K, Result>* result;

  void left_changed(const Record<K, L>& r) {
    const R* other = right->find(r.key);
    if constexpr (KeepUnmatched) {
      result->push({r.key, Result(joiner(r.value, other)), r.time});
    } else {
      if (other != nullptr) result->push({r.key, Result(joiner(r.value, *other)), r.time});
    }
  }
  // A side's key deleted: so is the result, but for a left join whose right side went,
  // which now has no right value.
  void left_erased(const K& key, Timestamp time) { result->erase(key, time); }
  void right_erased(const K& key, Timestamp time) {
    const L* other = left->find(key);
    if constexpr (KeepUnmatched) {
      if (other != nullptr) result->push({key, Result(joiner(*other, nullptr)), time});
    } else {
      result->erase(key, time);
    }
  }
  void right_changed(const Record<K, R>& r) {
    const L* other = left->find(r.key);
    if (other == nullptr) return;
    if constexpr (KeepUnmatched) {
      result->push({r.key, Result(joiner(*other, &r.value)), r.time});
    } else {
      result->push({r.key, Result(joiner(*other, r.value)), r.time});
    }
  }
};

}  // namespace detail

template <typename K, typename V>
class Table {
 public:
  using key_type = K;
  using value_type = V;

  Table(detail::Graph& graph, detail::TableNode<K, V>& node) : graph_(&graph), node_(&node) {}

  // Every update of the table, as a stream.
  Stream<Record<K, V>, K, V> updates() const { return {*graph_, node_->out, *node_}; }
  // Sends every update to `topic`.
  template <typename S = default_serde_t<V>>
  void to(const std::string& topic, S serde = {}) const {
    updates().to(topic, std::move(serde));
  }

  // The table of both tables' values for the keys both have: joiner(const V&, const R&).
  template <typename R, typename F>
  auto join(const Table<K, R>& other, F joiner, std::string name) const {
    return joined<false>(other, std::move(joiner), std::move(name));
  }
  // The table of this table's keys, with the other's value where it has one:
  // joiner(const V&, const R*), nullptr where it has none.
  template <typename R, typename F>
  auto left_join(const Table<K, R>& other, F joiner, std::string name) const {
    return joined<true>(other, std::move(joiner), std::move(name));
  }

  detail::TableNode<K, V>& node() const noexcept { return *node_; }

 private:
  template <bool KeepUnmatched, typename R, typename F>
  auto joined(const Table<K, R>& other, F joiner, std::string name) const {
    using Arg = std::conditional_t<KeepUnmatched, const R*, const R&>;
    using Result = std::remove_cvref_t<std::invoke_result_t<F&, const V&, Arg>>;
    graph_->claim_name(name);
    auto& result = graph_->add<detail::TableNode<K, Result>>(std::move(name));
    result.add_input(*node_);
    result.add_input(other.node());
    using Join = detail::TableJoin<K, V, R, F, KeepUnmatched, Result>;
    auto& join = graph_->keep<Join>(node_, &other.node(), std::move(joiner), &result);
    node_->out.add([&join](Record<K, V>&& r) { join.left_changed(r); });
    other.node().out.add([&join](Record<K, R>&& r) { join.right_changed(r); });
    node_->erased.push_back([&join](const K& key, Timestamp t) { join.left_erased(key, t); });
    other.node().erased.push_back(
        [&join](const K& key, Timestamp t) { join.right_erased(key, t); });
    return Table<K, Result>{*graph_, result};
  }

  detail::Graph* graph_;
  detail::TableNode<K, V>* node_;
};

}  // namespace mib::streams
