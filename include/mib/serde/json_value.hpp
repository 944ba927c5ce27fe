// mib::JsonValue: any JSON value (null, bool, number, string, array, object), for the free
// maps of the market messages (`fields`, `data`, `parameters`).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace mib {

struct JsonMember;

class JsonValue {
 public:
  using Array = std::vector<JsonValue>;
  using Object = std::vector<JsonMember>;  // in document order
  // Numbers keep their kind: an integer stays an integer (unsigned beyond INT64_MAX).
  using Variant = std::variant<std::nullptr_t, bool, std::int64_t, std::uint64_t, double,
                               std::string, Array, Object>;

  JsonValue() = default;  // null
  JsonValue(std::nullptr_t) {}
  JsonValue(bool b) : value_(b) {}
  JsonValue(int i) : value_(std::int64_t{i}) {}
  JsonValue(std::int64_t i) : value_(i) {}
  JsonValue(std::uint64_t u) : value_(u) {}
  JsonValue(double d) : value_(d) {}
  JsonValue(const char* s) : value_(std::string{s}) {}
  JsonValue(std::string s) : value_(std::move(s)) {}
  JsonValue(Array a) : value_(std::move(a)) {}
  JsonValue(Object o) : value_(std::move(o)) {}

  const Variant& get() const noexcept { return value_; }
  Variant& get() noexcept { return value_; }
  template <typename T>
  bool is() const noexcept {
    return std::holds_alternative<T>(value_);
  }
  bool is_null() const noexcept { return is<std::nullptr_t>(); }

  friend bool operator==(const JsonValue&, const JsonValue&) = default;

 private:
  Variant value_{};
};

struct JsonMember {
  std::string key;
  JsonValue value;
  friend bool operator==(const JsonMember&, const JsonMember&) = default;
};

// A free map of named JSON values, ordered by name.
using JsonMap = std::map<std::string, JsonValue, std::less<>>;

}  // namespace mib
