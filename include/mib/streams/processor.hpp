// Processors: a step of one's own with state stores and punctuators, for what the DSL's
// operators do not say. stream.process<Out>(processor, "name") takes either a function
// (record, context), or a type with process(record, context) and, optionally,
// init(context), where it opens its stores and schedules its punctuators:
//
//   struct Spikes {
//     st::KeyValueStore<std::string, double>* last = nullptr;
//     void init(st::ProcessorContext<std::string, Alert>& ctx) {
//       last = &ctx.key_value_store<std::string, double>("last-price");
//       ctx.schedule(1min, st::Punctuation::wall_clock, [](st::Timestamp now) { ... });
//     }
//     void process(st::Record<std::string, mib::Trade>&& r,
//                  st::ProcessorContext<std::string, Alert>& ctx) {
//       if (auto before = last->get(r.key); before && r.value.price > *before * 1.05)
//         ctx.forward({r.key, Alert{...}, r.time});
//       last->put(r.key, r.value.price);
//     }
//   };
//   trades.key_by(&mib::Trade::symbol).process<Alert>(Spikes{}, "spikes").to("alerts");
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "mib/streams/detail/graph.hpp"
#include "mib/streams/detail/memory_store.hpp"
#include "mib/streams/detail/window_aggregate.hpp"
#include "mib/streams/store.hpp"

namespace mib::streams {

namespace detail {
template <typename K, typename V, typename K2, typename V2, typename P>
class ProcessNode;
}  // namespace detail

// What a punctuator's time is.
enum class Punctuation {
  event_time,  // stream time: the processor's input watermark
  wall_clock,  // the runner's clock: each poll in the Engine, advance_wall_clock() in tests
};

// A processor's view of its place in the topology; K, V: the records it forwards.
template <typename K, typename V>
class ProcessorContext {
 public:
  using Punctuator = std::function<void(Timestamp now)>;

  ProcessorContext(const ProcessorContext&) = delete;
  ProcessorContext& operator=(const ProcessorContext&) = delete;

  const std::string& name() const noexcept { return name_; }
  void forward(Record<K, V> record) { out_->push(std::move(record)); }
  // The processor's input watermark: no record older than this is still to come (records
  // it forwards older than this are late for the operators after it).
  Timestamp stream_time() const noexcept { return stream_time_; }
  Timestamp wall_clock() const noexcept { return context_->wall_now; }

  // A store of this processor, made on the first call (from init()); the name is unique
  // in the topology (it will name the store's changelog topic). Throws mib::Exception when
  // the name is taken by another operator or store.
  template <typename SK, typename SV>
  KeyValueStore<SK, SV>& key_value_store(const std::string& store, StoreOptions options = {}) {
    graph_->claim_name(store);
    auto owned = std::make_unique<detail::MemoryKeyValueStore<SK, SV>>(store, options);
    auto& ref = *owned;
    stores_.push_back(std::move(owned));
    return ref;
  }
  // Windows are kept `retention` of stream time after their start.
  template <typename SK, typename SV>
  WindowStore<SK, SV>& window_store(const std::string& store, Millis retention,
                                    StoreOptions options = {}) {
    graph_->claim_name(store);
    auto owned = std::make_unique<detail::MemoryWindowStore<SK, SV>>(store, options);
    auto& ref = *owned;
    retained_.push_back({[&ref](Timestamp before) { ref.expire(before); }, retention});
    stores_.push_back(std::move(owned));
    return ref;
  }

  // Calls `punctuator` each time the time of `type` crosses a multiple of `interval`
  // (counted from the epoch, as windows are): once per crossing, with the time then, even
  // when one step crosses several.
  void schedule(Millis interval, Punctuation type, Punctuator punctuator) {
    schedules_.push_back({detail::positive(interval, "punctuation interval").count(), type,
                          std::move(punctuator), no_next});
  }

 private:
  template <typename, typename, typename, typename, typename>
  friend class detail::ProcessNode;

  static constexpr std::int64_t no_next = INT64_MIN;
  struct Schedule {
    std::int64_t interval;
    Punctuation type;
    Punctuator punctuator;
    std::int64_t next;
  };

  ProcessorContext(std::string name, detail::Graph& graph, detail::Outlet<Record<K, V>>& out)
      : name_(std::move(name)), graph_(&graph), context_(&graph.context), out_(&out) {}

  void punctuate(Punctuation type, Timestamp now) {
    if (now == no_time) return;
    const std::int64_t t = detail::ms(now);
    for (std::size_t i = 0; i < schedules_.size(); ++i) {  // a punctuator may schedule more
      Schedule& s = schedules_[i];
      if (s.type != type) continue;
      const std::int64_t next = detail::floor_to(t, s.interval) + s.interval;
      if (s.next == no_next) {
        s.next = next;  // the first time seen: the first crossing comes after it
        continue;
      }
      if (t < s.next) continue;
      s.next = next;
      s.punctuator(now);
    }
  }
  void advance_stream_time(Timestamp now) {
    stream_time_ = now;
    for (auto& [expire, retention] : retained_) expire(minus(now, retention));
    punctuate(Punctuation::event_time, now);
  }
  std::size_t state_bytes() const {
    std::size_t bytes = 0;
    for (const auto& store : stores_) bytes += store->bytes();
    return bytes;
  }

  std::string name_;
  detail::Graph* graph_;
  detail::Context* context_;
  detail::Outlet<Record<K, V>>* out_;
  Timestamp stream_time_ = no_time;
  std::vector<std::unique_ptr<StateStore>> stores_;
  std::vector<std::pair<std::function<void(Timestamp)>, Millis>> retained_;  // window stores
  std::deque<Schedule> schedules_;  // a deque: scheduling from a punctuator moves nothing
};

}  // namespace mib::streams
