#include "record_payload.hpp"

#include <utility>

#include "mib/serde/wire_format.hpp"

namespace mib::cli {
namespace {

// A registry that did not answer, rather than one that answered no.
bool no_answer(const Error& error) {
  const errc code = error.code();
  return code == errc::transport || code == errc::timed_out || code == errc::resolve ||
         code == errc::ssl || error.retriable();
}

}  // namespace

RecordPayload::RecordPayload(SchemaRegistry registry, SchemaType expected)
    : registry_(std::move(registry)), expected_(expected) {}

Error RecordPayload::find(std::string_view value, std::string_view& payload) {
  wire::Framed framed;
  if (!registry_) {
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
  const Error unframed = expected_ == SchemaType::protobuf ? wire::read_protobuf(value, framed)
                                                           : wire::read(value, framed);
  if (unframed) return unframed;
  if (Error e = check_schema(framed.schema_id)) return e;
  payload = framed.payload;
  return {};
}

Error RecordPayload::check_schema(std::int32_t id) {
  if (const auto it = refused_.find(id); it != refused_.end()) {
    return Error{errc::bad_message, it->second};
  }
  std::string why;
  try {
    const RegisteredSchema schema = registry_->schema_by_id(id);
    if (schema.type == expected_) return {};
    why = "schema id " + std::to_string(id) + " is a " + std::string{to_string(schema.type)} +
          " schema, but --format " + (expected_ == SchemaType::json ? "json" : "protobuf") +
          " reads " + std::string{to_string(expected_)} + " ones";
  } catch (const Exception& e) {
    if (no_answer(e.error())) throw;
    why = "schema id " + std::to_string(id) + ": " + e.error().message();
  }
  refused_.emplace(id, why);
  return Error{errc::bad_message, std::move(why)};
}

}  // namespace mib::cli
