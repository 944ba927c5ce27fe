// Reads values in the Confluent wire format (mib/serde/wire_format.hpp) whose schema must
// be in the registry as a schema of one type (JSON, PROTOBUF). Each schema id is asked
// once: accepted or refused, the answer is remembered (a poison stream does not call the
// registry per record). Thread-safe. RegistrySerde and `mib-stream consume --registry`
// read through it.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "mib/error.hpp"
#include "mib/registry/schema_registry.hpp"
#include "mib/serde/wire_format.hpp"

namespace mib {

class WireReader {
 public:
  // `registry` must outlive the reader.
  WireReader(SchemaRegistry& registry, SchemaType type) : registry_(&registry), type_(type) {}

  // Reads `value`'s header (with the message indexes for PROTOBUF) into `framed`. An
  // unframed or malformed value, an id the registry does not know or a schema of another
  // type is errc::bad_message naming the id; a registry that does not answer is its own
  // error (errc::transport, timed_out, ...), not remembered.
  Error read(std::string_view value, wire::Framed& framed);

  SchemaType type() const noexcept { return type_; }

 private:
  Error check(std::int32_t id);

  SchemaRegistry* registry_;
  SchemaType type_;
  std::mutex mutex_;
  std::map<std::int32_t, std::string> answers_;  // id -> "" (accepted) or why refused
  std::atomic<std::int32_t> last_accepted_{-1};  // per record: no lock for the usual id
};

}  // namespace mib
