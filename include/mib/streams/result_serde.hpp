// ResultSerde: the JSON of what stream operators emit — numbers, strings, bars (Ohlcv) and
// windowed results — so they can be sent to a topic without a codec of one's own:
//   {"key":"AAPL","start":"2026-12-01T14:30:00.000Z","end":"2026-12-01T14:30:01.000Z","value":10.75}
// NaN (a VWAP over no volume) is written as null. Sinks pick it when the market types'
// JsonSerde does not apply (default_serde_t).
#pragma once

#include <charconv>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

#include "mib/error.hpp"
#include "mib/serde/json.hpp"
#include "mib/serde/json_value.hpp"
#include "mib/serde/rfc3339.hpp"
#include "mib/serde/serde.hpp"
#include "mib/streams/aggregations.hpp"
#include "mib/streams/record.hpp"

namespace mib::streams {

namespace json_result {

inline JsonValue to_json(const std::string& s) {
  return JsonValue{s};
}
inline JsonValue to_json(bool b) {
  return JsonValue{b};
}
template <typename T>
requires std::is_arithmetic_v<T> JsonValue to_json(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    if (v != v || v == std::numeric_limits<T>::infinity() ||
        v == -std::numeric_limits<T>::infinity()) {
      return JsonValue{};
    }
    return JsonValue{static_cast<double>(v)};
  } else if constexpr (std::is_signed_v<T>) {
    return JsonValue{static_cast<std::int64_t>(v)};
  } else {
    return JsonValue{static_cast<std::uint64_t>(v)};
  }
}
inline JsonValue to_json(Timestamp t) {
  std::string text;
  rfc3339::format(t, text);
  return JsonValue{std::move(text)};
}
inline JsonValue to_json(const Ohlcv& bar) {
  return JsonValue{JsonValue::Object{{"open", to_json(bar.open)},
                                     {"high", to_json(bar.high)},
                                     {"low", to_json(bar.low)},
                                     {"close", to_json(bar.close)},
                                     {"volume", to_json(bar.volume)},
                                     {"trades", to_json(bar.trades)}}};
}
template <typename K, typename V>
JsonValue to_json(const Windowed<K, V>& w) {
  return JsonValue{JsonValue::Object{{"key", to_json(w.key)},
                                     {"start", to_json(w.window.start)},
                                     {"end", to_json(w.window.end)},
                                     {"value", to_json(w.value)}}};
}

inline Error mismatch(std::string_view field, std::string_view wanted) {
  return Error{errc::bad_message,
               "field '" + std::string{field} + "' is not " + std::string{wanted}};
}
inline const JsonValue* member(const JsonValue& v, std::string_view name) {
  if (!v.is<JsonValue::Object>()) return nullptr;
  for (const JsonMember& m : std::get<JsonValue::Object>(v.get())) {
    if (m.key == name) return &m.value;
  }
  return nullptr;
}

inline Error from_json(const JsonValue& v, std::string_view field, std::string& out) {
  if (!v.is<std::string>()) return mismatch(field, "a string");
  out = std::get<std::string>(v.get());
  return {};
}
template <typename T>
requires std::is_arithmetic_v<T> Error from_json(const JsonValue& v, std::string_view field,
                                                 T& out) {
  if (v.is_null() && std::is_floating_point_v<T>) {
    out = std::numeric_limits<T>::quiet_NaN();
    return {};
  }
  return std::visit(
      [&](const auto& x) -> Error {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_arithmetic_v<X> && !std::is_same_v<X, bool>) {
          out = static_cast<T>(x);
          return {};
        } else {
          return mismatch(field, "a number");
        }
      },
      v.get());
}
inline Error from_json(const JsonValue& v, std::string_view field, Timestamp& out) {
  if (!v.is<std::string>()) return mismatch(field, "an RFC 3339 time");
  const auto t = rfc3339::parse(std::get<std::string>(v.get()));
  if (!t) return mismatch(field, "an RFC 3339 time");
  out = *t;
  return {};
}
Error from_json(const JsonValue& v, std::string_view, Ohlcv& bar);
template <typename K, typename V>
Error from_json(const JsonValue& v, std::string_view, Windowed<K, V>& w);

template <typename T>
Error field_from(const JsonValue& object, std::string_view name, T& out) {
  const JsonValue* v = member(object, name);
  if (v == nullptr) return Error{errc::bad_message, "field '" + std::string{name} + "' is missing"};
  return from_json(*v, name, out);
}
inline Error from_json(const JsonValue& v, std::string_view, Ohlcv& bar) {
  for (Error e : {field_from(v, "open", bar.open), field_from(v, "high", bar.high),
                  field_from(v, "low", bar.low), field_from(v, "close", bar.close),
                  field_from(v, "volume", bar.volume), field_from(v, "trades", bar.trades)}) {
    if (e) return e;
  }
  return {};
}
template <typename K, typename V>
Error from_json(const JsonValue& v, std::string_view, Windowed<K, V>& w) {
  for (Error e : {field_from(v, "key", w.key), field_from(v, "start", w.window.start),
                  field_from(v, "end", w.window.end), field_from(v, "value", w.value)}) {
    if (e) return e;
  }
  return {};
}

}  // namespace json_result

template <typename T>
struct ResultSerde {
  Error encode(const T& value, std::string& out) const {
    return json::encode(json_result::to_json(value), out);
  }
  Error decode(std::string_view text, T& out) const {
    JsonValue v;
    if (Error e = json::decode(text, v)) return e;
    return json_result::from_json(v, "value", out);
  }
  std::string_view content_type() const { return "application/json"; }
};

// The serde a sink uses when none is given.
template <typename V>
using default_serde_t = std::conditional_t < requires(const V& v, std::string& out) {
  json::encode(v, out);
}
, JsonSerde<V>, ResultSerde < V >> ;

// A record key as bytes: text as it is, numbers in decimal.
template <typename K>
std::string_view key_bytes(const K& key, std::string& scratch) {
  if constexpr (std::is_convertible_v<const K&, std::string_view>) {
    return std::string_view{key};
  } else if constexpr (std::is_integral_v<K>) {
    char buffer[24];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, key).ptr;
    scratch.assign(buffer, end);
    return scratch;
  } else {
    static_assert(std::is_convertible_v<const K&, std::string_view>,
                  "a record sent to a topic needs a key of text or an integer: key_by() first");
    return {};
  }
}

// A record key from its bytes, as key_bytes() wrote it.
template <typename K>
Error key_from_bytes(std::string_view bytes, K& key) {
  if constexpr (std::is_same_v<K, std::string>) {
    key.assign(bytes);
    return {};
  } else {
    static_assert(std::is_integral_v<K>, "a record key read from a topic is text or an integer");
    const auto [end, ec] = std::from_chars(bytes.data(), bytes.data() + bytes.size(), key);
    if (ec != std::errc{} || end != bytes.data() + bytes.size()) {
      return Error{errc::bad_message, "the key '" + std::string{bytes} + "' is no integer"};
    }
    return {};
  }
}

}  // namespace mib::streams
