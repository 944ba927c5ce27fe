// Internal: the windowed stream-stream join. Records of the two sides with the same key join
// when the right one's time is within [left - before, left + after]. Pairs are emitted as
// soon as both are there; left, right and outer joins also emit the records that found no
// partner, once their window has closed.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mib/streams/detail/fifo.hpp"
#include "mib/streams/detail/window_aggregate.hpp"

namespace mib::streams::detail {

enum class JoinKind { inner, left, right, outer };

// The joiner's arguments: a reference where the side is always there, a pointer (nullptr
// when it found no partner) where it may be missing.
template <typename T, bool MayMiss>
using side_arg_t = std::conditional_t<MayMiss, const T*, const T&>;

template <typename T, bool MayMiss>
side_arg_t<T, MayMiss> side_arg(const T* value) {
  if constexpr (MayMiss) {
    return value;
  } else {
    return *value;
  }
}

template <typename K, typename L, typename R, typename F, JoinKind Kind>
class WindowJoin : public Node {
 public:
  static constexpr bool keep_left = Kind == JoinKind::left || Kind == JoinKind::outer;
  static constexpr bool keep_right = Kind == JoinKind::right || Kind == JoinKind::outer;
  using Value = std::remove_cvref_t<
      std::invoke_result_t<F&, side_arg_t<L, keep_right>, side_arg_t<R, keep_left>>>;
  using Out = Record<K, Value>;

  WindowJoin(Context& context, std::string name, F joiner, Millis before, Millis after,
             Millis grace)
      : Node(context, std::move(name)),
        joiner_(std::move(joiner)),
        before_(before.count()),
        after_(after.count()),
        grace_(grace.count()) {}

  Outlet<Out> out;

  void push_left(Record<K, L>&& r) {
    const std::int64_t t = ms(r.time);
    if (closed(t + after_)) return;
    auto& partners = rights_[r.key];
    bool matched = false;
    for (auto& p : partners) {
      if (p.t < t - before_ || p.t > t + after_) continue;
      matched = p.matched = true;
      emit(r.key, &r.value, &p.value, std::max(r.time, p.time));
    }
    auto& entry = *lefts_.try_emplace(std::move(r.key)).first;
    entry.second.push_back({t, r.time, std::move(r.value), matched});
    expire_at(t + after_ + grace_, entry.first, &entry.second, nullptr);
  }

  void push_right(Record<K, R>&& r) {
    const std::int64_t t = ms(r.time);
    if (closed(t + before_)) return;
    auto& partners = lefts_[r.key];
    bool matched = false;
    for (auto& p : partners) {
      if (t < p.t - before_ || t > p.t + after_) continue;
      matched = p.matched = true;
      emit(r.key, &p.value, &r.value, std::max(r.time, p.time));
    }
    auto& entry = *rights_.try_emplace(std::move(r.key)).first;
    entry.second.push_back({t, r.time, std::move(r.value), matched});
    expire_at(t + before_ + grace_, entry.first, nullptr, &entry.second);
  }

  std::size_t state_bytes() const override {
    std::size_t bytes = expiry_.capacity() * sizeof(Expiry);
    for (const auto& [key, side] : lefts_) bytes += sizeof(K) + side.size() * sizeof(Entry<L>);
    for (const auto& [key, side] : rights_) bytes += sizeof(K) + side.size() * sizeof(Entry<R>);
    return bytes;
  }
  std::uint64_t late_records() const override { return late_count_; }

 protected:
  Timestamp on_watermark(Timestamp in) override {
    const std::int64_t wm = ms(in);
    while (!expiry_.empty() && expiry_.front().at <= wm) {
      std::pop_heap(expiry_.begin(), expiry_.end(), Later{});
      const Expiry e = expiry_.back();
      expiry_.pop_back();
      if (e.lefts != nullptr) {
        expire(*e.lefts, after_, wm, [&](auto& entry) {
          if constexpr (keep_left) emit(*e.key, &entry.value, nullptr, entry.time);
        });
      } else {
        expire(*e.rights, before_, wm, [&](auto& entry) {
          if constexpr (keep_right) emit(*e.key, nullptr, &entry.value, entry.time);
        });
      }
    }
    return minus(in, Millis{std::max(before_, after_) + grace_});
  }

 private:
  template <typename V>
  struct Entry {
    std::int64_t t;
    Timestamp time;
    V value;
    bool matched;
  };
  // When a record's window closes: a heap by time, then by arrival (so that records with
  // no partner come out in the same order every run). It points into the maps, whose
  // entries stay put (and are never erased).
  struct Expiry {
    std::int64_t at;
    std::uint64_t seq;
    const K* key;
    Fifo<Entry<L>>* lefts;
    Fifo<Entry<R>>* rights;
  };
  struct Later {
    bool operator()(const Expiry& a, const Expiry& b) const {
      return a.at != b.at ? a.at > b.at : a.seq > b.seq;
    }
  };
  void expire_at(std::int64_t at, const K& key, Fifo<Entry<L>>* lefts, Fifo<Entry<R>>* rights) {
    expiry_.push_back({at, next_seq_++, &key, lefts, rights});
    std::push_heap(expiry_.begin(), expiry_.end(), Later{});
  }

  // A record whose window ends at `end` is late once the watermark is past end + grace.
  bool closed(std::int64_t end) {
    if (input_watermark() == no_time || end + grace_ > ms(input_watermark())) return false;
    ++late_count_;
    return true;
  }

  // Drops the records whose window (t + reach + grace) the watermark has passed, calling
  // `unmatched` for those that found no partner.
  template <typename Entries, typename Unmatched>
  void expire(Entries& entries, std::int64_t reach, std::int64_t wm, Unmatched unmatched) {
    while (!entries.empty() && entries.front().t + reach + grace_ <= wm) {
      if (!entries.front().matched) unmatched(entries.front());
      entries.pop_front();
    }
  }

  void emit(const K& key, const L* left, const R* right, Timestamp time) {
    out.push(Out{key, Value(joiner_(side_arg<L, keep_right>(left), side_arg<R, keep_left>(right))),
                 time});
  }

  F joiner_;
  std::int64_t before_;
  std::int64_t after_;
  std::int64_t grace_;
  std::unordered_map<K, Fifo<Entry<L>>> lefts_;
  std::unordered_map<K, Fifo<Entry<R>>> rights_;
  std::vector<Expiry> expiry_;
  std::uint64_t next_seq_ = 0;
  std::uint64_t late_count_ = 0;
};

}  // namespace mib::streams::detail
