// Internal: the as-of join. Each left record (a trade) waits until the right side (quotes)
// has reached its time plus the grace, then takes the right side's latest record of its key
// at or before its time, if that is no older than the tolerance.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>

#include "mib/streams/detail/fifo.hpp"
#include "mib/streams/detail/window_aggregate.hpp"

namespace mib::streams::detail {

template <typename K, typename L, typename R, typename F, bool KeepUnmatched>
class AsOfJoin : public Node {
 public:
  using Value = std::remove_cvref_t<
      std::invoke_result_t<F&, const L&, std::conditional_t<KeepUnmatched, const R*, const R&>>>;
  using Out = Record<K, Value>;

  AsOfJoin(Context& context, std::string name, F joiner, Node& left, Node& right, Millis tolerance,
           Millis grace)
      : Node(context, std::move(name)),
        joiner_(std::move(joiner)),
        left_(&left),
        right_(&right),
        tolerance_(tolerance.count()),
        grace_(grace.count()) {}

  Outlet<Out> out;

  void push_left(Record<K, L>&& r) {
    // In time order, equal times in arrival order; records mostly come in order, so the
    // walk back from the end is short.
    const std::int64_t t = ms(r.time);
    auto at = pending_.end();
    while (at != pending_.begin() && std::prev(at)->first > t) --at;
    pending_.emplace(at, t, std::move(r));
    release();
  }

  void push_right(Record<K, R>&& r) {
    const std::int64_t t = ms(r.time);
    if (t <= released_up_to_) ++late_count_;  // trades up to then were joined without it
    auto& quotes = quotes_[r.key];
    auto at = quotes.end();
    while (at != quotes.begin() && std::prev(at)->first > t) --at;
    quotes.emplace(at, t, std::move(r.value));
    prune(quotes);
  }

  std::size_t state_bytes() const override {
    std::size_t bytes = pending_.size() * (sizeof(Record<K, L>) + 6 * sizeof(void*));
    for (const auto& [key, quotes] : quotes_) {
      bytes += sizeof(K) + 4 * sizeof(void*) + quotes.size() * (sizeof(std::int64_t) + sizeof(R));
    }
    return bytes;
  }
  std::uint64_t late_records() const override { return late_count_; }

 protected:
  Timestamp on_watermark(Timestamp in) override {
    release();
    return std::min(in, Timestamp{Millis{bound()}});
  }

 private:
  // Left records up to this time can be joined: the right side will send nothing older
  // than it (less the grace). An idle right side holds nothing back.
  std::int64_t bound() const {
    if (right_->idle()) return std::numeric_limits<std::int64_t>::max();
    const Timestamp wm = right_->watermark();
    return wm == no_time ? std::numeric_limits<std::int64_t>::min() : ms(wm) - grace_;
  }

  void release() {
    const std::int64_t up_to = bound();
    while (!pending_.empty() && pending_.front().first <= up_to) {
      auto [t, trade] = std::move(pending_.front());
      pending_.pop_front();
      released_up_to_ = std::max(released_up_to_, t);
      join(trade, t);
    }
  }

  void join(Record<K, L>& trade, std::int64_t t) {
    const R* match = nullptr;
    auto found = quotes_.find(trade.key);
    if (found != quotes_.end()) {
      auto& quotes = found->second;
      // The latest quote at or before t.
      auto it = quotes.end();
      while (it != quotes.begin() && std::prev(it)->first > t) --it;
      if (it != quotes.begin() && t - std::prev(it)->first <= tolerance_) {
        match = &std::prev(it)->second;
      }
    }
    if constexpr (KeepUnmatched) {
      out.push(Out{trade.key, joiner_(trade.value, match), trade.time});
    } else {
      if (match != nullptr) out.push(Out{trade.key, joiner_(trade.value, *match), trade.time});
    }
    if (found != quotes_.end()) prune(found->second);  // after the joiner: it may drop `match`
  }

  // Drops quotes no later trade can take: every trade still to come is at or after the
  // horizon (the left side's watermark, or the oldest waiting trade), so of the quotes at
  // or before it only the latest can match.
  void prune(Fifo<std::pair<std::int64_t, R>>& quotes) {
    std::int64_t horizon = std::numeric_limits<std::int64_t>::max();
    if (left_->watermark() != no_time) horizon = ms(left_->watermark());
    if (!pending_.empty()) horizon = std::min(horizon, pending_.front().first);
    if (horizon == std::numeric_limits<std::int64_t>::max()) return;
    while (quotes.size() > 1 && quotes[1].first <= horizon) quotes.pop_front();
  }

  F joiner_;
  Node* left_;
  Node* right_;
  std::int64_t tolerance_;
  std::int64_t grace_;
  Fifo<std::pair<std::int64_t, Record<K, L>>> pending_;  // by time, then arrival
  std::unordered_map<K, Fifo<std::pair<std::int64_t, R>>> quotes_;
  std::int64_t released_up_to_ = std::numeric_limits<std::int64_t>::min();
  std::uint64_t late_count_ = 0;
};

}  // namespace mib::streams::detail
