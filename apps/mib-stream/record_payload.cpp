#include "record_payload.hpp"

#include <utility>

#include "mib/serde/wire_format.hpp"

namespace mib::cli {

RecordPayload::RecordPayload(SchemaRegistry registry, SchemaType expected)
    : registry_(std::make_unique<SchemaRegistry>(std::move(registry))),
      reader_(std::make_unique<WireReader>(*registry_, expected)) {}

Error RecordPayload::find(std::string_view value, std::string_view& payload) {
  wire::Framed framed;
  if (!reader_) {
    if (!value.empty() && static_cast<unsigned char>(value[0]) == wire::magic_byte &&
        !wire::read(value, framed)) {
      return Error{errc::bad_message,
                   "the value is in the Confluent wire format (magic byte 0, schema id " +
                       std::to_string(framed.schema_id) +
                       "): pass --registry URL to read it through its schema registry"};
    }
    payload = value;
    return {};
  }
  if (Error e = reader_->read(value, framed)) {
    if (e.code() != errc::bad_message) throw Exception{e};  // no answer: nor for the next
    return e;
  }
  payload = framed.payload;
  return {};
}

}  // namespace mib::cli
