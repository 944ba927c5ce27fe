// Configuration problems: each says where (file, line, key), what value, and what is allowed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mib/error.hpp"

namespace mib {

// Where a value was read: a file and line, an environment variable, or code.
struct ConfigSource {
  std::string name{};      // file path, "environment variable MIB_X", or "code"
  std::uint32_t line = 0;  // 1-based; 0 when unknown
};

struct ConfigIssue {
  ConfigSource source{};
  std::string path{};     // key path, e.g. "producer.acks"
  std::string value{};    // the offending value as written; "******" for secrets
  std::string message{};  // what is wrong and what is allowed

  // "config/prod.toml:12: producer.acks = \"1\": ..." on one line.
  std::string to_string() const;
};

// Thrown when configuration is invalid; what() lists every issue, one per line.
class ConfigError : public Exception {
 public:
  explicit ConfigError(std::vector<ConfigIssue> issues);
  const std::vector<ConfigIssue>& issues() const noexcept { return issues_; }

 private:
  std::vector<ConfigIssue> issues_;
};

}  // namespace mib
