// A small writer of one JSON document for the commands' --json output: objects, arrays,
// strings, numbers, booleans and null, with commas and escapes taken care of.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serde/json_writer.hpp"

namespace mib::cli {

class JsonOut {
 public:
  JsonOut& begin_object() { return open('{'); }
  JsonOut& end_object() { return close('}'); }
  JsonOut& begin_array() { return open('['); }
  JsonOut& end_array() { return close(']'); }
  JsonOut& key(std::string_view name) {
    separate();
    json::append_escaped(out_, name);
    out_ += ':';
    after_key_ = true;
    return *this;
  }
  JsonOut& value(std::string_view s) {
    separate();
    json::append_escaped(out_, s);
    return *this;
  }
  JsonOut& value(const char* s) { return value(std::string_view{s}); }
  JsonOut& value(const std::string& s) { return value(std::string_view{s}); }
  JsonOut& value(std::int64_t n) {
    separate();
    json::append_number(out_, n);
    return *this;
  }
  JsonOut& value(std::int32_t n) { return value(static_cast<std::int64_t>(n)); }
  JsonOut& value(std::size_t n) { return value(static_cast<std::int64_t>(n)); }
  JsonOut& value(double d) {
    separate();
    json::append_number(out_, d);
    return *this;
  }
  JsonOut& value(bool b) {
    separate();
    out_ += b ? "true" : "false";
    return *this;
  }
  JsonOut& null() {
    separate();
    out_ += "null";
    return *this;
  }
  template <typename T>
  JsonOut& value(const std::optional<T>& v) {
    return v ? value(*v) : null();
  }
  template <typename T>
  JsonOut& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }
  const std::string& text() const { return out_; }

 private:
  JsonOut& open(char c) {
    separate();
    out_ += c;
    first_.push_back(true);
    return *this;
  }
  JsonOut& close(char c) {
    out_ += c;
    first_.pop_back();
    return *this;
  }
  // A comma before every element but the first of its object or array.
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }

  std::string out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

}  // namespace mib::cli
