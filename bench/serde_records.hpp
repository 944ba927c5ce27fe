// The records serde_bench encodes and decodes, made before any timing: a pool of distinct
// MarketData quotes (mib::SyntheticFeed) and Trades, with their JSON and Protobuf bytes.
// The pool is cycled through, so that no single record's branches are learnt by heart.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "mib/error.hpp"
#include "mib/market/synthetic_feed.hpp"
#include "mib/serde/json.hpp"
#include "mib/serde/protobuf.hpp"

namespace mib::bench {

// One message type's records and their bytes in both formats.
template <typename T>
struct Records {
  std::vector<T> values;
  std::vector<std::string> json;
  std::vector<std::string> protobuf;

  std::size_t size() const { return values.size(); }

  double mean_bytes(const std::vector<std::string>& texts) const {
    std::size_t total = 0;
    for (const std::string& t : texts) total += t.size();
    return static_cast<double>(total) / static_cast<double>(texts.size());
  }

  // Encodes every value with both codecs (ours: the bytes both decoders read).
  void encode_all() {
    for (const T& v : values) {
      if (Error e = json::encode(v, json.emplace_back())) throw Exception{e};
      if (Error e = protobuf::encode(v, protobuf.emplace_back())) throw Exception{e};
    }
  }
};

// Times with nanoseconds, as exchange feeds stamp them (the longest RFC 3339 form).
inline UtcTime record_time(std::size_t i) {
  const UtcTime open{std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} +
                     std::chrono::hours{14} + std::chrono::minutes{30}};
  return open + std::chrono::nanoseconds{static_cast<std::int64_t>(i) * 1'000'037 + 123};
}

inline Records<MarketData> market_data_records(std::size_t count) {
  SyntheticFeed feed{{"AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "META", "TSLA", "JPM", "V", "XOM",
                      "UNH", "JNJ", "WMT", "PG", "MA", "HD"}};
  Records<MarketData> records;
  for (std::size_t i = 0; i < count; ++i) {
    MarketData quote = feed.next();
    quote.timestamp = record_time(i);
    quote.volume += 1'000'000;  // a day's volume has more digits than one print's
    records.values.push_back(std::move(quote));
  }
  records.encode_all();
  return records;
}

// Fills of the quotes' symbols at their prices: ids of exchange-like length, both sides,
// and a fee on most of them (the optional fields present and absent).
inline Records<Trade> trade_records(std::size_t count) {
  const Records<MarketData> quotes = market_data_records(count);
  Records<Trade> records;
  char id[32];
  for (std::size_t i = 0; i < count; ++i) {
    const MarketData& q = quotes.values[i];
    Trade t;
    std::snprintf(id, sizeof id, "T%012zu", 700'000'000 + i * 7);
    t.trade_id = id;
    std::snprintf(id, sizeof id, "O%012zu", 300'000'000 + i * 3);
    t.order_id = id;
    t.symbol = q.symbol;
    t.side = i % 2 == 0 ? Side::buy : Side::sell;
    t.quantity = q.bid_size;
    t.price = t.side == Side::buy ? q.ask_price : q.bid_price;
    t.timestamp = q.timestamp;
    t.venue = i % 3 == 0 ? "XNYS" : "XNAS";
    if (i % 4 != 3) {
      t.fee = static_cast<double>(t.quantity) * 0.0003;
      t.fee_currency = "USD";
    }
    records.values.push_back(std::move(t));
  }
  records.encode_all();
  return records;
}

}  // namespace mib::bench
