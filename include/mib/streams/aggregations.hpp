// Aggregations: how the records of one key in one window fold into a result.
//
//   .aggregate(st::vwap(&Trade::price, &Trade::quantity), "vwap-1s")
//   .aggregate(st::ohlcv(&Trade::price, &Trade::quantity), "bars-1m")
//   .aggregate(st::count(), "trades-per-second")
//
// An aggregation of one's own is a type with
//   Acc init() const;                      the accumulator of no record
//   void add(Acc&, const V&) const;        (or add(Acc&, const V&, Timestamp))
//   void merge(Acc&, const Acc&) const;    two slices or sessions into one
//   R result(const Acc&) const;            optional: without it, the accumulator is the result
// The built-ins start from their first record instead of init() (start(value, time)), so
// that min, max and first need no "empty" value.
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <functional>
#include <limits>
#include <type_traits>
#include <unordered_set>
#include <utility>

#include "mib/streams/record.hpp"

namespace mib::streams {

namespace detail {
template <typename F, typename V>
using field_t = std::remove_cvref_t<std::invoke_result_t<const F&, const V&>>;

// Sums of integers stay integers (of 64 bits); everything else sums as double.
template <typename T>
using sum_t =
    std::conditional_t<std::is_integral_v<T>,
                       std::conditional_t<std::is_signed_v<T>, std::int64_t, std::uint64_t>,
                       double>;
}  // namespace detail

// Records in the window.
struct Count {
  template <typename V>
  std::uint64_t start(const V&, Timestamp) const {
    return 1;
  }
  template <typename V>
  void add(std::uint64_t& n, const V&, Timestamp) const {
    ++n;
  }
  void merge(std::uint64_t& n, std::uint64_t other) const { n += other; }
  std::uint64_t result(std::uint64_t n) const { return n; }
};
inline Count count() {
  return {};
}

template <typename F>
struct Sum {
  F field;
  template <typename V>
  auto start(const V& v, Timestamp) const {
    return static_cast<detail::sum_t<detail::field_t<F, V>>>(std::invoke(field, v));
  }
  template <typename A, typename V>
  void add(A& sum, const V& v, Timestamp) const {
    sum += static_cast<A>(std::invoke(field, v));
  }
  template <typename A>
  void merge(A& sum, const A& other) const {
    sum += other;
  }
  template <typename A>
  A result(const A& sum) const {
    return sum;
  }
};
template <typename F>
Sum<F> sum(F field) {
  return {std::move(field)};
}

struct Mean {
  double sum = 0;
  std::uint64_t count = 0;
};
template <typename F>
struct Average {
  F field;
  template <typename V>
  Mean start(const V& v, Timestamp) const {
    return {static_cast<double>(std::invoke(field, v)), 1};
  }
  template <typename V>
  void add(Mean& m, const V& v, Timestamp) const {
    m.sum += static_cast<double>(std::invoke(field, v));
    ++m.count;
  }
  void merge(Mean& m, const Mean& other) const {
    m.sum += other.sum;
    m.count += other.count;
  }
  double result(const Mean& m) const { return m.sum / static_cast<double>(m.count); }
};
template <typename F>
Average<F> average(F field) {
  return {std::move(field)};
}

template <typename F, typename Better>
struct Extreme {
  F field;
  template <typename V>
  auto start(const V& v, Timestamp) const {
    return detail::field_t<F, V>(std::invoke(field, v));
  }
  template <typename A, typename V>
  void add(A& best, const V& v, Timestamp) const {
    merge(best, std::invoke(field, v));
  }
  template <typename A, typename B>
  void merge(A& best, const B& other) const {
    if (Better{}(other, best)) best = other;
  }
  template <typename A>
  A result(const A& best) const {
    return best;
  }
};
template <typename F>
Extreme<F, std::less<>> min(F field) {
  return {std::move(field)};
}
template <typename F>
Extreme<F, std::greater<>> max(F field) {
  return {std::move(field)};
}

template <typename T>
struct TimedValue {
  T value{};
  Timestamp time{};
};
// The value of the record with the earliest event time (of the one that came first, among
// equal times); Latest: the latest event time (the one that came last).
template <typename F, bool Latest>
struct ByTime {
  F field;
  template <typename V>
  auto start(const V& v, Timestamp t) const {
    return TimedValue<detail::field_t<F, V>>{std::invoke(field, v), t};
  }
  template <typename A, typename V>
  void add(A& kept, const V& v, Timestamp t) const {
    if (Latest ? t >= kept.time : t < kept.time) kept = {std::invoke(field, v), t};
  }
  template <typename A>
  void merge(A& kept, const A& other) const {  // `other` is the later slice or session
    if (Latest ? other.time >= kept.time : other.time < kept.time) kept = other;
  }
  template <typename A>
  auto result(const A& kept) const {
    return kept.value;
  }
};
template <typename F>
ByTime<F, false> first(F field) {
  return {std::move(field)};
}
template <typename F>
ByTime<F, true> last(F field) {
  return {std::move(field)};
}

// Volume-weighted average price: sum(price * quantity) / sum(quantity). NaN for a window
// whose quantities sum to zero.
struct VwapSums {
  double notional = 0;
  double volume = 0;
};
template <typename P, typename Q>
struct Vwap {
  P price;
  Q quantity;
  template <typename V>
  VwapSums start(const V& v, Timestamp) const {
    const auto q = static_cast<double>(std::invoke(quantity, v));
    return {static_cast<double>(std::invoke(price, v)) * q, q};
  }
  template <typename V>
  void add(VwapSums& s, const V& v, Timestamp) const {
    const auto q = static_cast<double>(std::invoke(quantity, v));
    s.notional += static_cast<double>(std::invoke(price, v)) * q;
    s.volume += q;
  }
  void merge(VwapSums& s, const VwapSums& other) const {
    s.notional += other.notional;
    s.volume += other.volume;
  }
  double result(const VwapSums& s) const {
    return s.volume == 0 ? std::numeric_limits<double>::quiet_NaN() : s.notional / s.volume;
  }
};
template <typename P, typename Q>
Vwap<P, Q> vwap(P price, Q quantity) {
  return {std::move(price), std::move(quantity)};
}

// A bar: open and close by event time, high, low, volume, and how many trades made it.
struct Ohlcv {
  double open = 0;
  double high = 0;
  double low = 0;
  double close = 0;
  double volume = 0;
  std::uint64_t trades = 0;
  friend bool operator==(const Ohlcv&, const Ohlcv&) = default;
};
struct OhlcvState {
  Ohlcv bar{};
  Timestamp open_time{};
  Timestamp close_time{};
};
template <typename P, typename Q>
struct OhlcvOf {
  P price;
  Q quantity;
  template <typename V>
  OhlcvState start(const V& v, Timestamp t) const {
    const auto p = static_cast<double>(std::invoke(price, v));
    return {{p, p, p, p, static_cast<double>(std::invoke(quantity, v)), 1}, t, t};
  }
  template <typename V>
  void add(OhlcvState& s, const V& v, Timestamp t) const {
    merge(s, start(v, t));
  }
  void merge(OhlcvState& s, const OhlcvState& later) const {
    if (later.open_time < s.open_time) {
      s.bar.open = later.bar.open;
      s.open_time = later.open_time;
    }
    if (later.close_time >= s.close_time) {
      s.bar.close = later.bar.close;
      s.close_time = later.close_time;
    }
    s.bar.high = std::max(s.bar.high, later.bar.high);
    s.bar.low = std::min(s.bar.low, later.bar.low);
    s.bar.volume += later.bar.volume;
    s.bar.trades += later.bar.trades;
  }
  Ohlcv result(const OhlcvState& s) const { return s.bar; }
};
template <typename P, typename Q>
OhlcvOf<P, Q> ohlcv(P price, Q quantity) {
  return {std::move(price), std::move(quantity)};
}

// How many different values the field took (an exact count: the values are kept).
template <typename F>
struct DistinctCount {
  F field;
  template <typename V>
  auto start(const V& v, Timestamp) const {
    return std::unordered_set<detail::field_t<F, V>>{std::invoke(field, v)};
  }
  template <typename A, typename V>
  void add(A& seen, const V& v, Timestamp) const {
    seen.insert(std::invoke(field, v));
  }
  template <typename A>
  void merge(A& seen, const A& other) const {
    seen.insert(other.begin(), other.end());
  }
  template <typename A>
  std::uint64_t result(const A& seen) const {
    return seen.size();
  }
};
template <typename F>
DistinctCount<F> distinct_count(F field) {
  return {std::move(field)};
}

namespace detail {
// The calls a stateful operator makes, for built-ins and one's own aggregations alike.
template <typename A>
concept HasInit = requires(const A& a) {
  a.init();
};

template <typename A, typename V, typename Acc>
void add_to(const A& agg, Acc& acc, const V& v, Timestamp t) {
  if constexpr (requires { agg.add(acc, v, t); }) {
    agg.add(acc, v, t);
  } else {
    agg.add(acc, v);
  }
}

template <typename A, typename V>
auto start_with(const A& agg, const V& v, Timestamp t) {
  if constexpr (HasInit<A>) {
    auto acc = agg.init();
    add_to(agg, acc, v, t);
    return acc;
  } else {
    return agg.start(v, t);
  }
}

template <typename A, typename V>
using accumulator_t =
    decltype(start_with(std::declval<const A&>(), std::declval<const V&>(), Timestamp{}));

template <typename A, typename Acc>
decltype(auto) result_of(const A& agg, const Acc& acc) {
  if constexpr (requires { agg.result(acc); }) {
    return agg.result(acc);
  } else {
    return (acc);
  }
}

template <typename A, typename V>
using result_t = std::remove_cvref_t<decltype(result_of(
    std::declval<const A&>(), std::declval<const accumulator_t<A, V>&>()))>;
}  // namespace detail

}  // namespace mib::streams
