// Internal: aggregation over sliding windows (Kafka Streams' definition, window.hpp). Each
// key keeps its records in time order; a window's result is folded from the records it
// holds when it is emitted, so a record is stored once however many windows hold it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mib/streams/detail/window_aggregate.hpp"

namespace mib::streams::detail {

template <typename K, typename V, typename A>
class SlidingAggregate : public WindowOperator {
 public:
  using Acc = accumulator_t<A, V>;
  using Result = result_t<A, V>;
  using Out = Record<K, Windowed<K, Result>>;

  SlidingAggregate(Context& context, std::string name, A agg, Millis difference, Millis grace,
                   std::optional<Millis> idle_close, Emit emit, Outlet<Record<K, V>>* late)
      : WindowOperator(context, std::move(name), idle_close),
        agg_(std::move(agg)),
        d_(difference.count()),
        grace_(grace.count()),
        emit_(emit),
        late_(late) {}

  Outlet<Out> out;

  void push(Record<K, V>&& r) {
    const std::int64_t t = ms(r.time);
    // The newest window holding t is [t, t + d]: once that closed, no window can.
    if (closed(t + d_)) {
      ++late_count_;
      if (late_ != nullptr) late_->push(std::move(r));
      return;
    }
    arrived(r.time);
    auto& records = by_key_[r.key];
    auto at = std::upper_bound(records.begin(), records.end(), t,
                               [](std::int64_t x, const Entry& e) { return x < e.time; });
    records.insert(at, Entry{t, r.value});
    // The windows t anchors: the one it ends, the one it leaves (checked when they close).
    if (!closed(t)) closes_.insert({t, r.key});
    closes_.insert({t + 1 + d_, r.key});
    if (emit_ == Emit::on_update) updated(r.key, records, t, r.time);
  }

  std::size_t state_bytes() const override {
    if (by_key_.empty() && closes_.empty()) return 0;
    std::size_t bytes = by_key_.bucket_count() * sizeof(void*) +
                        closes_.size() * (sizeof(std::pair<std::int64_t, K>) + 4 * sizeof(void*));
    for (const auto& [key, records] : by_key_) {
      bytes += sizeof(K) + sizeof(records) + 2 * sizeof(void*) + records.size() * sizeof(Entry);
    }
    return bytes;
  }

 private:
  struct Entry {
    std::int64_t time;
    V value;
  };
  using Records = std::deque<Entry>;

  // A window [end - d, end] is closed once the watermark passed end + grace.
  bool closed(std::int64_t end) const { return closing_ != no_time && end + grace_ < ms(closing_); }
  Timestamp held_back() const override {
    return minus(closing_, Millis{grace_ + (emit_ == Emit::on_update ? d_ : 0)});
  }

  static auto first_at_or_after(const Records& records, std::int64_t t) {
    return std::lower_bound(records.begin(), records.end(), t,
                            [](const Entry& e, std::int64_t x) { return e.time < x; });
  }
  static bool has_at(const Records& records, std::int64_t t) {
    auto it = first_at_or_after(records, t);
    return it != records.end() && it->time == t;
  }
  // The window [start, start + d] exists when it holds a record and a record anchors it:
  // one at its end (the newest there) or one just before its start (the one it left).
  std::optional<Acc> window_at(const Records& records, std::int64_t start) const {
    std::optional<Acc> acc;
    const std::int64_t end = start + d_;
    if (!has_at(records, end) && !has_at(records, start - 1)) return acc;
    for (auto it = first_at_or_after(records, start); it != records.end() && it->time <= end;
         ++it) {
      const Timestamp time{Millis{it->time}};
      if (acc) {
        add_to(agg_, *acc, it->value, time);
      } else {
        acc.emplace(start_with(agg_, it->value, time));
      }
    }
    return acc;
  }

  void close_windows() override {
    while (!closes_.empty() && closed(closes_.begin()->first)) {
      const auto [end, key] = *closes_.begin();
      closes_.erase(closes_.begin());
      auto found = by_key_.find(key);
      if (found == by_key_.end()) continue;
      Records& records = found->second;
      if (emit_ == Emit::on_close) {
        if (auto acc = window_at(records, end - d_))
          emit(key, end - d_, *acc, Timestamp{Millis{end}});
      }
      // A record's last window is the one it leaves, ending at time + 1 + d; the key's
      // windows up to `end` are done (they close in order of end).
      while (!records.empty() && records.front().time + 1 + d_ <= end) records.pop_front();
      if (records.empty()) by_key_.erase(found);
    }
  }

  // emit_on_update: every open window holding t, and the one t has just left.
  void updated(const K& key, const Records& records, std::int64_t t, Timestamp time) {
    std::vector<std::int64_t> starts;
    for (auto it = first_at_or_after(records, t - d_ - 1);
         it != records.end() && it->time <= t + d_; ++it) {
      if (it->time >= t) starts.push_back(it->time - d_);  // windows they end
      if (it->time < t) starts.push_back(it->time + 1);    // windows they left
    }
    starts.push_back(t + 1);
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    for (const std::int64_t start : starts) {
      if (closed(start + d_)) continue;
      if (auto acc = window_at(records, start)) emit(key, start, *acc, time);
    }
  }

  void emit(const K& key, std::int64_t start, const Acc& acc, Timestamp time) {
    const TimeWindow window{Timestamp{Millis{start}}, Timestamp{Millis{start + d_ + 1}}};
    out.push(Out{key, Windowed<K, Result>{key, window, Result(result_of(agg_, acc))}, time});
  }

  A agg_;
  std::int64_t d_;
  std::int64_t grace_;
  Emit emit_;
  Outlet<Record<K, V>>* late_;

  std::unordered_map<K, Records> by_key_;        // each key's records, in time order
  std::set<std::pair<std::int64_t, K>> closes_;  // windows that may exist, by end
};

}  // namespace mib::streams::detail
