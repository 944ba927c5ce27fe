// What `consume --decode` decodes of a record's value: all of it, or with `--registry`
// what follows the Confluent wire header, once the registry has said the header's schema
// id is one of the expected type (mib::WireReader).
#pragma once

#include <memory>
#include <string_view>

#include "mib/error.hpp"
#include "mib/registry/schema_registry.hpp"
#include "mib/registry/wire_reader.hpp"

namespace mib::cli {

class RecordPayload {
 public:
  // Values are plain encoded messages. One that starts with the wire format's magic byte
  // (which neither JSON nor Protobuf can start with) is refused, saying to pass --registry.
  RecordPayload() = default;
  // Values carry the wire header; their schema ids are looked up in `registry` (each id
  // once) and must be `expected` schemas (JSON or PROTOBUF).
  RecordPayload(SchemaRegistry registry, SchemaType expected);

  // Points `payload` at what `value` holds to decode, or says why the record has none
  // (errc::bad_message: no or a malformed header, an id the registry does not know, a
  // schema of another type). Throws mib::Exception when the registry does not answer at
  // all (unreachable, timed out, TLS): the next record would fare no better.
  Error find(std::string_view value, std::string_view& payload);

 private:
  std::unique_ptr<SchemaRegistry> registry_;  // on the heap: reader_ points to it
  std::unique_ptr<WireReader> reader_;
};

}  // namespace mib::cli
