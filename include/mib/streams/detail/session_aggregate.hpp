// Internal: aggregation over session windows. Per key, records no more than `gap` apart
// share a session; a record that bridges two sessions merges them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mib/streams/detail/window_aggregate.hpp"

namespace mib::streams::detail {

template <typename K, typename V, typename A>
class SessionAggregate : public WindowOperator {
 public:
  using Acc = accumulator_t<A, V>;
  using Result = result_t<A, V>;
  using Out = Record<K, Windowed<K, Result>>;

  SessionAggregate(Context& context, std::string name, A agg, Millis gap, Millis grace,
                   std::optional<Millis> idle_close, Emit emit, Outlet<Record<K, V>>* late)
      : WindowOperator(context, std::move(name), idle_close),
        agg_(std::move(agg)),
        gap_(gap.count()),
        grace_(grace.count()),
        emit_(emit),
        late_(late) {}

  Outlet<Out> out;

  void push(Record<K, V>&& r) {
    const std::int64_t t = ms(r.time);
    auto& sessions = by_key_[r.key];
    // The sessions this record touches: start - gap <= t <= end + gap.
    auto first = std::find_if(sessions.begin(), sessions.end(),
                              [&](const Session& s) { return t <= s.end + gap_; });
    auto last =
        std::find_if(first, sessions.end(), [&](const Session& s) { return s.start - gap_ > t; });
    std::int64_t end = t;
    for (auto it = first; it != last; ++it) end = std::max(end, it->end);
    if (closing_ != no_time && end + gap_ + grace_ < ms(closing_)) {
      if (sessions.empty()) by_key_.erase(r.key);
      ++late_count_;
      if (late_ != nullptr) late_->push(std::move(r));
      return;
    }
    arrived(r.time);
    Session merged{t, t, start_with(agg_, r.value, r.time)};
    if (first != last) {
      // Fold in time order: the earlier sessions, the record where it falls, the later ones.
      std::optional<Acc> acc;
      bool record_added = false;
      for (auto it = first; it != last; ++it) {
        if (!record_added && t < it->start) {
          fold(acc, merged.acc);
          record_added = true;
        }
        fold(acc, it->acc);
        merged.start = std::min(merged.start, it->start);
        merged.end = std::max(merged.end, it->end);
        closes_.erase({close_at(it->end), r.key, it->start});
      }
      if (!record_added) fold(acc, merged.acc);
      merged.acc = std::move(*acc);
    }
    auto at = sessions.erase(first, last);
    at = sessions.insert(at, std::move(merged));
    closes_.insert({close_at(at->end), r.key, at->start});
    if (emit_ == Emit::on_update) emit(r.key, *at, r.time);
  }

  std::size_t state_bytes() const override {
    std::size_t bytes = by_key_.bucket_count() * sizeof(void*) +
                        closes_.size() * (sizeof(Close) + 4 * sizeof(void*));
    for (const auto& [key, sessions] : by_key_) {
      bytes +=
          sizeof(K) + sizeof(sessions) + 2 * sizeof(void*) + sessions.capacity() * sizeof(Session);
    }
    return bytes;
  }

 private:
  struct Session {
    std::int64_t start;
    std::int64_t end;  // the last record's time
    Acc acc;
  };
  using Close = std::tuple<std::int64_t, K, std::int64_t>;  // close time, key, start

  // A session closes once the watermark is past end + gap + grace.
  std::int64_t close_at(std::int64_t end) const { return end + gap_ + grace_ + 1; }
  Timestamp held_back() const override { return minus(closing_, Millis{gap_ + grace_ + 1}); }

  void fold(std::optional<Acc>& into, const Acc& next) const {
    if (into) {
      agg_.merge(*into, next);
    } else {
      into = next;
    }
  }

  void close_windows() override {
    const std::int64_t wm = ms(closing_);
    while (!closes_.empty() && std::get<0>(*closes_.begin()) <= wm) {
      const K key = std::get<1>(*closes_.begin());
      const std::int64_t start = std::get<2>(*closes_.begin());
      closes_.erase(closes_.begin());
      auto found = by_key_.find(key);
      if (found == by_key_.end()) continue;
      auto& sessions = found->second;
      auto it = std::find_if(sessions.begin(), sessions.end(),
                             [&](const Session& s) { return s.start == start; });
      if (it == sessions.end()) continue;
      if (emit_ == Emit::on_close) emit(key, *it, Timestamp{Millis{it->end}});
      sessions.erase(it);
      if (sessions.empty()) by_key_.erase(found);
    }
  }

  void emit(const K& key, const Session& s, Timestamp time) {
    const TimeWindow window{Timestamp{Millis{s.start}}, Timestamp{Millis{s.end + 1}}};
    out.push(Out{key, Windowed<K, Result>{key, window, Result(result_of(agg_, s.acc))}, time});
  }

  A agg_;
  std::int64_t gap_;
  std::int64_t grace_;
  Emit emit_;
  Outlet<Record<K, V>>* late_;

  std::unordered_map<K, std::vector<Session>> by_key_;  // each key's sessions by start
  std::set<Close> closes_;                              // every open session, by close time
};

}  // namespace mib::streams::detail
