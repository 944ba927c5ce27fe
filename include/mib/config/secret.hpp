// mib::Secret: a password, key password or token that never prints itself.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

namespace mib {

// Holds a secret value. Streaming, formatting for errors and `config show` all print
// "******"; the only way to the text is reveal(), which the librdkafka mapping calls.
// There is no implicit conversion to a string, so a secret cannot reach a log by accident.
class Secret {
 public:
  static constexpr std::string_view redacted = "******";

  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}

  bool empty() const noexcept { return value_.empty(); }
  const std::string& reveal() const noexcept { return value_; }
  // What may be shown: "******" when set, "" when not.
  std::string_view shown() const noexcept { return value_.empty() ? std::string_view{} : redacted; }

  friend bool operator==(const Secret&, const Secret&) = default;
  friend std::ostream& operator<<(std::ostream& out, const Secret& s) { return out << s.shown(); }

 private:
  std::string value_;
};

}  // namespace mib
