// The Protobuf form of the messages' field types: finite doubles, times as
// google.protobuf.Timestamp, JSON values as market_intel.v1.JsonValue (integers kept
// exact), the free maps and the metadata.
#include <cmath>
#include <limits>
#include <type_traits>
#include <variant>

#include "serde/protobuf_convert.hpp"

namespace mib::protobuf {

namespace {

constexpr std::int64_t nanos_per_second = 1'000'000'000;

}  // namespace

Problem check_finite(std::string_view field, double value) {
  if (std::isfinite(value)) return std::nullopt;
  return Issue{std::string{field}, std::string{not_finite}};
}

Problem check_finite(std::string_view field, const std::optional<double>& value) {
  return value ? check_finite(field, *value) : std::nullopt;
}

void to_proto(UtcTime time, google::protobuf::Timestamp& out) {
  const std::int64_t ns = time.time_since_epoch().count();
  std::int64_t seconds = ns / nanos_per_second;
  std::int64_t nanos = ns % nanos_per_second;
  if (nanos < 0) {  // before 1970: nanos count forward from the second before
    seconds -= 1;
    nanos += nanos_per_second;
  }
  out.set_seconds(seconds);
  out.set_nanos(static_cast<std::int32_t>(nanos));
}

Problem from_proto(std::string_view field, bool present, const google::protobuf::Timestamp& in,
                   UtcTime& out) {
  return from_proto(field, present, in.seconds(), in.nanos(), out);
}

Problem from_proto(std::string_view field, bool present, std::int64_t seconds, std::int32_t nanos,
                   UtcTime& out) {
  if (!present) return Issue{std::string{field}, "is missing"};
  if (nanos < 0 || nanos >= nanos_per_second) {
    return Issue{std::string{field},
                 "has nanos " + std::to_string(nanos) + ", which must be from 0 to 999999999"};
  }
  // Before 1970, count from the second after, so that UtcTime's earliest time, whose
  // seconds times 10^9 alone is below INT64_MIN, still fits.
  const bool borrow = seconds < 0 && nanos > 0;
  std::int64_t ns = 0;
  if (__builtin_mul_overflow(borrow ? seconds + 1 : seconds, nanos_per_second, &ns) ||
      __builtin_add_overflow(ns, std::int64_t{nanos} - (borrow ? nanos_per_second : 0), &ns)) {
    return Issue{std::string{field}, "is out of range: " + std::to_string(seconds) +
                                         " s since the epoch is outside years 1678 to 2262"};
  }
  out = UtcTime{std::chrono::nanoseconds{ns}};
  return std::nullopt;
}

Problem to_proto(const JsonValue& value, pb::JsonValue& out) {
  return std::visit(
      [&](const auto& v) -> Problem {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::nullptr_t>) {
          out.set_null_value(google::protobuf::NULL_VALUE);
        } else if constexpr (std::is_same_v<V, bool>) {
          out.set_bool_value(v);
        } else if constexpr (std::is_same_v<V, std::int64_t>) {
          out.set_int_value(v);
        } else if constexpr (std::is_same_v<V, std::uint64_t>) {
          out.set_uint_value(v);
        } else if constexpr (std::is_same_v<V, double>) {
          if (Problem p = check_finite("", v)) return p;
          out.set_double_value(v);
        } else if constexpr (std::is_same_v<V, std::string>) {
          out.set_string_value(v);
        } else if constexpr (std::is_same_v<V, JsonValue::Array>) {
          pb::JsonList& list = *out.mutable_list_value();
          list.mutable_values()->Reserve(static_cast<int>(v.size()));
          for (std::size_t i = 0; i < v.size(); ++i) {
            if (Problem p = to_proto(v[i], *list.add_values())) {
              return under(std::to_string(i), std::move(p));
            }
          }
        } else {
          pb::JsonObject& object = *out.mutable_object_value();
          object.mutable_members()->Reserve(static_cast<int>(v.size()));
          for (const JsonMember& m : v) {
            pb::JsonMember& member = *object.add_members();
            member.set_key(m.key);
            if (Problem p = to_proto(m.value, *member.mutable_value())) {
              return under(m.key, std::move(p));
            }
          }
        }
        return std::nullopt;
      },
      value.get());
}

Problem from_proto(const pb::JsonValue& value, JsonValue& out) {
  switch (value.kind_case()) {
    case pb::JsonValue::kNullValue: out = nullptr; return std::nullopt;
    case pb::JsonValue::kBoolValue: out = value.bool_value(); return std::nullopt;
    case pb::JsonValue::kIntValue: out = std::int64_t{value.int_value()}; return std::nullopt;
    case pb::JsonValue::kUintValue:
      // Another writer may put a small integer here: it is an int64, as JSON reads it
      // (the value would change its kind on the way through JSON; found by fuzzing).
      if (value.uint_value() <= std::uint64_t{std::numeric_limits<std::int64_t>::max()}) {
        out = static_cast<std::int64_t>(value.uint_value());
      } else {
        out = std::uint64_t{value.uint_value()};
      }
      return std::nullopt;
    case pb::JsonValue::kDoubleValue:
      if (!std::isfinite(value.double_value())) {
        return Issue{"", "must be a finite number, got " + std::to_string(value.double_value())};
      }
      out = value.double_value();
      return std::nullopt;
    case pb::JsonValue::kStringValue: out = value.string_value(); return std::nullopt;
    case pb::JsonValue::kListValue: {
      JsonValue::Array items(static_cast<std::size_t>(value.list_value().values_size()));
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (Problem p = from_proto(value.list_value().values(static_cast<int>(i)), items[i])) {
          return under(std::to_string(i), std::move(p));
        }
      }
      out = std::move(items);
      return std::nullopt;
    }
    case pb::JsonValue::kObjectValue: {
      JsonValue::Object members;
      members.reserve(static_cast<std::size_t>(value.object_value().members_size()));
      for (const pb::JsonMember& m : value.object_value().members()) {
        JsonMember& member = members.emplace_back(JsonMember{m.key(), {}});
        if (Problem p = from_proto(m.value(), member.value)) return under(m.key(), std::move(p));
      }
      out = std::move(members);
      return std::nullopt;
    }
    case pb::JsonValue::KIND_NOT_SET: break;
  }
  return Issue{"", "has no value (none of the kinds this version knows is set)"};
}

Problem to_proto(std::string_view field, const JsonMap& map, PbMap& out) {
  for (const auto& [key, item] : map) {
    if (Problem p = to_proto(item, out[key])) return under(field, under(key, std::move(p)));
  }
  return std::nullopt;
}

Problem from_proto(std::string_view field, const PbMap& map, JsonMap& out) {
  out.clear();
  for (const auto& [key, item] : map) {
    if (Problem p = from_proto(item, out[key])) return under(field, under(key, std::move(p)));
  }
  return std::nullopt;
}

void to_proto(const Metadata& map, PbMetadata& out) {
  for (const auto& [key, item] : map) out[key] = item;
}

void from_proto(const PbMetadata& map, Metadata& out) {
  out.clear();
  for (const auto& [key, item] : map) out.emplace(key, item);
}

}  // namespace mib::protobuf
