// The reference serde_bench compares our JSON codec with: nlohmann::json (Debian's
// nlohmann-json3-dev) reading the same bytes into the same MarketData / Trade and writing
// them back. It does the work ours does, so that only the JSON library differs: every
// member is type-checked as ours checks it, required members must be there, times go
// through mib::rfc3339 (text) or are epoch milliseconds, enums through mib::from_string,
// unknown members are kept in `fields`. The document is nlohmann's DOM, as nlohmann::json
// is used; errors are plain (the bench's records have none).
#pragma once

#include <array>
#include <bitset>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "mib/error.hpp"
#include "mib/serde/market_data.hpp"
#include "mib/serde/rfc3339.hpp"
#include "mib/serde/trade.hpp"

namespace mib::bench::nlohmann_reference {

using Json = nlohmann::json;

inline bool read(const Json& v, std::string& out) {
  if (!v.is_string()) return false;
  out = v.get_ref<const std::string&>();
  return true;
}

inline bool read(const Json& v, double& out) {
  if (!v.is_number()) return false;
  out = v.get<double>();
  return std::isfinite(out);
}

inline bool read(const Json& v, std::uint64_t& out) {
  if (!v.is_number_unsigned()) return false;
  out = v.get<std::uint64_t>();
  return true;
}

inline bool read(const Json& v, UtcTime& out) {
  if (v.is_number_integer()) {
    out = UtcTime{std::chrono::milliseconds{v.get<std::int64_t>()}};
    return true;
  }
  if (!v.is_string()) return false;
  const auto t = rfc3339::parse_utc(v.get_ref<const std::string&>());
  if (t) out = *t;
  return t.has_value();
}

inline bool read(const Json& v, Side& out) {
  if (!v.is_string()) return false;
  const auto side = from_string<Side>(v.get_ref<const std::string&>());
  if (side) out = *side;
  return side.has_value();
}

template <typename M>
bool read(const Json& v, std::optional<M>& out) {
  if (v.is_null()) {
    out.reset();
    return true;
  }
  return read(v, out.emplace());
}

inline JsonValue to_value(const Json& v) {
  switch (v.type()) {
    case Json::value_t::boolean: return v.get<bool>();
    case Json::value_t::number_integer: return v.get<std::int64_t>();
    case Json::value_t::number_unsigned: return v.get<std::uint64_t>();
    case Json::value_t::number_float: return v.get<double>();
    case Json::value_t::string: return v.get<std::string>();
    case Json::value_t::array: {
      JsonValue::Array items;
      for (const Json& item : v) items.push_back(to_value(item));
      return items;
    }
    case Json::value_t::object: {
      JsonValue::Object members;
      for (const auto& [key, item] : v.items()) members.push_back({key, to_value(item)});
      return members;
    }
    default: return nullptr;
  }
}

// A member of T: its name, whether it may be absent, and how to read it.
template <typename T>
struct Member {
  std::string_view name;
  bool optional;
  bool (*read)(const Json&, T&);
};

#define MIB_MEMBER(T, name, optional)                                    \
  Member<T> {                                                            \
#name, optional, [](const Json& v, T& o) { return read(v, o.name); } \
  }

inline constexpr std::array market_data_members{
    MIB_MEMBER(MarketData, symbol, false),    MIB_MEMBER(MarketData, last_price, false),
    MIB_MEMBER(MarketData, bid_price, false), MIB_MEMBER(MarketData, ask_price, false),
    MIB_MEMBER(MarketData, bid_size, false),  MIB_MEMBER(MarketData, ask_size, false),
    MIB_MEMBER(MarketData, volume, false),    MIB_MEMBER(MarketData, timestamp, false),
    MIB_MEMBER(MarketData, source, false)};

inline constexpr std::array trade_members{
    MIB_MEMBER(Trade, trade_id, false),  MIB_MEMBER(Trade, order_id, false),
    MIB_MEMBER(Trade, symbol, false),    MIB_MEMBER(Trade, side, false),
    MIB_MEMBER(Trade, quantity, false),  MIB_MEMBER(Trade, price, false),
    MIB_MEMBER(Trade, timestamp, false), MIB_MEMBER(Trade, venue, false),
    MIB_MEMBER(Trade, fee, true),        MIB_MEMBER(Trade, fee_currency, true)};

#undef MIB_MEMBER

inline Error bad(std::string_view what) {
  return Error{errc::bad_message, "nlohmann reference: " + std::string{what}};
}

template <typename T, std::size_t N>
Error decode_with(std::string_view text, const std::array<Member<T>, N>& members, T& out) {
  const Json doc = Json::parse(text.begin(), text.end(), nullptr, false);
  if (!doc.is_object()) return bad("not a JSON object");
  out.fields.clear();
  std::bitset<N> seen;
  for (const auto& [key, v] : doc.items()) {
    std::size_t i = 0;
    while (i < N && members[i].name != key) ++i;
    if (i == N) {
      out.fields.insert_or_assign(key, to_value(v));  // unknown: kept, as ours keeps it
      continue;
    }
    if (!members[i].read(v, out)) return bad("member '" + key + "' has a wrong value");
    seen.set(i);
  }
  for (std::size_t i = 0; i < N; ++i) {
    if (!seen.test(i) && !members[i].optional) {
      return bad("member '" + std::string{members[i].name} + "' is missing");
    }
  }
  return {};
}

inline Error decode(std::string_view text, MarketData& out) {
  return decode_with(text, market_data_members, out);
}

inline Error decode(std::string_view text, Trade& out) {
  out.fee.reset();
  out.fee_currency.reset();
  return decode_with(text, trade_members, out);
}

inline std::string time_text(UtcTime t) {
  std::string text;
  rfc3339::format(t, text);
  return text;
}

// The bench's records have no `fields`, so none are written.
inline void encode(const MarketData& v, std::string& out) {
  const Json doc = {{"symbol", v.symbol},       {"last_price", v.last_price},
                    {"bid_price", v.bid_price}, {"ask_price", v.ask_price},
                    {"bid_size", v.bid_size},   {"ask_size", v.ask_size},
                    {"volume", v.volume},       {"timestamp", time_text(v.timestamp)},
                    {"source", v.source}};
  out += doc.dump();
}

inline void encode(const Trade& v, std::string& out) {
  Json doc = {{"trade_id", v.trade_id},
              {"order_id", v.order_id},
              {"symbol", v.symbol},
              {"side", to_string(v.side)},
              {"quantity", v.quantity},
              {"price", v.price},
              {"timestamp", time_text(v.timestamp)},
              {"venue", v.venue}};
  if (v.fee) doc["fee"] = *v.fee;
  if (v.fee_currency) doc["fee_currency"] = *v.fee_currency;
  out += doc.dump();
}

}  // namespace mib::bench::nlohmann_reference
