// Internal: the graph a Topology is made of. Stateless steps are fused into the function
// an Outlet calls; Nodes are where time is kept (sources, stateful operators, merges), and
// watermarks flow from node to node along the graph.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "mib/streams/record.hpp"

namespace mib::streams::detail {

// What every node of one topology shares.
struct Context {
  // The wall-clock time the runner last set: at each poll in the Engine, by
  // advance_wall_clock() in the TestDriver. Read per record instead of the clock.
  Timestamp wall_now = no_time;
};

class Node {
 public:
  Node(Context& context, std::string name) : context_(&context), name_(std::move(name)) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  const std::string& name() const noexcept { return name_; }
  // No record this node emits from now on is older than this.
  Timestamp watermark() const noexcept { return watermark_; }
  // A node whose inputs are all idle does not hold back the nodes it feeds.
  bool idle() const noexcept { return idle_; }

  void add_input(Node& input) {
    inputs_.push_back(&input);
    input.downstream_.push_back(this);
  }

  // An input's watermark moved or it went idle: take the lowest of the inputs that are
  // not idle (of all of them when every one is).
  void input_moved() {
    Timestamp low = no_time;
    bool found = false;
    bool all_idle = true;
    for (const Node* in : inputs_) all_idle = all_idle && in->idle();
    for (const Node* in : inputs_) {
      if (!all_idle && in->idle()) continue;
      low = found ? std::min(low, in->watermark()) : in->watermark();
      found = true;
    }
    const bool idle_changed = (all_idle && !inputs_.empty()) != idle_;
    idle_ = all_idle && !inputs_.empty();
    if (found && low > input_watermark_) {
      input_watermark_ = low;
      const Timestamp out = on_watermark(low);
      if (out > watermark_) {
        watermark_ = out;
        notify();
        return;
      }
    }
    if (idle_changed) notify();
  }

  // Wall-clock time moved to context().wall_now: idle partitions, wall-clock window close,
  // wall-clock punctuators.
  virtual void on_wall_clock() {}
  // Bytes this node's state holds (an estimate: entries times their size, plus the heap
  // their keys use); 0 when it keeps none.
  virtual std::size_t state_bytes() const { return 0; }
  // Records this node found later than its grace period (stateful operators).
  virtual std::uint64_t late_records() const { return 0; }

 protected:
  // The input watermark moved to `in`: close what it closes. Returns this node's own
  // watermark (what it may still emit is no older than that).
  virtual Timestamp on_watermark(Timestamp in) { return in; }
  // This node's watermark moved to `out` (outside on_watermark: a source, or a window
  // closed by wall-clock time).
  void publish(Timestamp out) {
    if (out <= watermark_) return;
    watermark_ = out;
    notify();
  }
  // A source's partitions all went idle, or one came back.
  void set_idle(bool idle) {
    if (idle == idle_) return;
    idle_ = idle;
    notify();
  }
  Context& context() const noexcept { return *context_; }
  Timestamp input_watermark() const noexcept { return input_watermark_; }

 private:
  void notify() {
    for (Node* d : downstream_) d->input_moved();
  }

  Context* context_;
  std::string name_;
  std::vector<Node*> inputs_;
  std::vector<Node*> downstream_;
  Timestamp input_watermark_ = no_time;
  Timestamp watermark_ = no_time;
  bool idle_ = false;
};

// Where records of type R leave a node: every chain attached to it gets each record (a
// copy for all but the last one).
template <typename R>
class Outlet {
 public:
  using Target = std::function<void(R&&)>;

  void add(Target target) { targets_.push_back(std::move(target)); }
  bool empty() const noexcept { return targets_.empty(); }

  void push(R&& record) {
    const std::size_t n = targets_.size();
    if (n == 0) return;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      R copy = record;
      targets_[i](std::move(copy));
    }
    targets_[n - 1](std::move(record));
  }

 private:
  std::vector<Target> targets_;
};

}  // namespace mib::streams::detail
