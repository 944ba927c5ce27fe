// Internal: what is wrong with a value being decoded and where inside it, as the JSON and
// the Protobuf codecs both report it ("must be a string, got 12" at "payload.side").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace mib::serde {

// What is wrong, at `path` below the value read ("" for the value itself, "fields.venue").
struct Issue {
  std::string path;
  std::string what;
  // Not a problem of the input: it must be read once more, by lookup (a JSON envelope
  // whose payload comes before its message_type).
  bool read_again = false;
};
using Problem = std::optional<Issue>;

// The problem of a value found under `key`: its path gains the key in front.
inline Problem under(std::string_view key, Problem problem) {
  if (problem) {
    std::string path{key};
    if (!problem->path.empty()) {
      path += '.';
      path += problem->path;
    }
    problem->path = std::move(path);
  }
  return problem;
}

}  // namespace mib::serde
