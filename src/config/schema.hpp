// Internal: every configuration key, its type, default, environment names and docs.
// Loading, validation, `config show` and the reference file all read this one table.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mib/config/config.hpp"

namespace mib::config {

// A value as it arrives: typed from TOML, text from the environment or code.
using Raw = std::variant<bool, std::int64_t, double, std::string, std::vector<std::string>>;

struct Field;

// Reads and writes one member of Config.
class Binding {
 public:
  virtual ~Binding() = default;
  // Converts and stores `raw`; returns what is wrong ("" when stored).
  virtual std::string assign(Config& config, const Raw& raw, const Field& field) const = 0;
  // The current value as TOML text ("******" for secrets).
  virtual std::string show(const Config& config) const = 0;
  // What may be written, for error messages and the reference file.
  virtual std::string allowed(const Field& field) const = 0;
  // Secrets are never repeated in messages.
  virtual bool is_secret() const = 0;
};

struct Field {
  std::string path;  // "security.sasl.username"
  std::string doc;
  std::string env_alias;  // the summary's REDPANDA_* name, if any
  std::int64_t min = std::numeric_limits<std::int64_t>::min();  // integers; durations in ms
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
  std::shared_ptr<const Binding> binding;
  // Accepted and shown, but nothing in this version acts on it yet: why ("metrics are not
  // served by this version"). Empty when the setting takes effect. Config::warnings() and
  // `mib-stream config check` report such keys when they are set.
  std::string no_effect{};

  // MIB_ followed by the path in capitals with dots as underscores.
  std::string env_name() const;
  // The section part of the path ("security.sasl" for "security.sasl.username").
  std::string_view section() const;
};

// All keys, in the order of the reference file.
std::span<const Field> fields();
const Field* find_field(std::string_view path);

// Levenshtein distance: single-character insertions, deletions and substitutions.
std::size_t edit_distance(std::string_view a, std::string_view b);

// Known paths close to `path` (edit distance), best first; for "did you mean".
std::vector<std::string> suggestions(std::string_view path);

// A Raw value as text for messages: strings quoted, arrays bracketed; "******" when the
// field is secret.
std::string describe(const Raw& raw, const Field* field = nullptr);

}  // namespace mib::config
