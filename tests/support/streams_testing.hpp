// What the streams tests share: the trades and quotes they pipe, and how gtest prints
// stream records and windowed results when an expectation fails.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>

#include "mib/serde/market_data.hpp"
#include "mib/serde/trade.hpp"
#include "mib/streams/aggregations.hpp"
#include "mib/streams/record.hpp"

namespace mib::test {

inline Trade trade(std::string symbol, std::uint64_t quantity, double price = 0) {
  Trade t;
  t.symbol = std::move(symbol);
  t.quantity = quantity;
  t.price = price;
  return t;
}
inline MarketData quote(std::string symbol, double last) {
  MarketData q;
  q.symbol = std::move(symbol);
  q.last_price = last;
  return q;
}

}  // namespace mib::test

namespace mib::streams {

inline void PrintTo(const TimeWindow& w, std::ostream* os) {
  *os << "[" << w.start.time_since_epoch().count() << "ms, " << w.end.time_since_epoch().count()
      << "ms)";
}
inline void PrintTo(const Ohlcv& b, std::ostream* os) {
  *os << "{o " << b.open << " h " << b.high << " l " << b.low << " c " << b.close << " v "
      << b.volume << " n " << b.trades << "}";
}
template <typename K, typename V>
void PrintTo(const Windowed<K, V>& w, std::ostream* os) {
  *os << "{" << ::testing::PrintToString(w.key) << " ";
  PrintTo(w.window, os);
  *os << " " << ::testing::PrintToString(w.value) << "}";
}
template <typename K, typename V>
void PrintTo(const Record<K, V>& r, std::ostream* os) {
  *os << "{key " << ::testing::PrintToString(r.key) << " value "
      << ::testing::PrintToString(r.value) << " at " << r.time.time_since_epoch().count() << "ms}";
}

}  // namespace mib::streams
