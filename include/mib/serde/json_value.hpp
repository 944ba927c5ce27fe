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

  // Defined below JsonMember: clang instantiates the variant's destructor with a
  // constructor's body, and Object's element type must be complete by then.
  JsonValue() = default;  // null
  JsonValue(std::nullptr_t);
  JsonValue(bool b);
  JsonValue(int i);
  JsonValue(std::int64_t i);
  JsonValue(std::uint64_t u);
  JsonValue(double d);
  JsonValue(const char* s);
  JsonValue(std::string s);
  JsonValue(Array a);
  JsonValue(Object o);

  const Variant& get() const noexcept { return value_; }
  Variant& get() noexcept { return value_; }
  template <typename T>
  bool is() const noexcept {
    return std::holds_alternative<T>(value_);
  }
  bool is_null() const noexcept { return is<std::nullptr_t>(); }

  friend bool operator==(const JsonValue&, const JsonValue&) = default;

 private:
  Variant value_;  // null; no `{}` here, for the same reason
};

struct JsonMember {
  std::string key;
  JsonValue value;
  friend bool operator==(const JsonMember&, const JsonMember&) = default;
};

inline JsonValue::JsonValue(std::nullptr_t) {}
inline JsonValue::JsonValue(bool b) : value_(b) {}
inline JsonValue::JsonValue(int i) : value_(std::int64_t{i}) {}
inline JsonValue::JsonValue(std::int64_t i) : value_(i) {}
inline JsonValue::JsonValue(std::uint64_t u) : value_(u) {}
inline JsonValue::JsonValue(double d) : value_(d) {}
inline JsonValue::JsonValue(const char* s) : value_(std::string{s}) {}
inline JsonValue::JsonValue(std::string s) : value_(std::move(s)) {}
inline JsonValue::JsonValue(Array a) : value_(std::move(a)) {}
inline JsonValue::JsonValue(Object o) : value_(std::move(o)) {}

// A free map of named JSON values, ordered by name.
using JsonMap = std::map<std::string, JsonValue, std::less<>>;

}  // namespace mib
