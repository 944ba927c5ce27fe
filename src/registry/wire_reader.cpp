#include "mib/registry/wire_reader.hpp"

namespace mib {
namespace {

// A registry that did not answer, rather than one that answered no.
bool no_answer(const Error& error) {
  const errc code = error.code();
  return code == errc::transport || code == errc::timed_out || code == errc::resolve ||
         code == errc::ssl || error.retriable();
}

}  // namespace

Error WireReader::read(std::string_view value, wire::Framed& framed) {
  if (Error e = type_ == SchemaType::protobuf ? wire::read_protobuf(value, framed)
                                              : wire::read(value, framed)) {
    return e;
  }
  return check(framed.schema_id);
}

Error WireReader::check(std::int32_t id) {
  if (id == last_accepted_.load(std::memory_order_acquire)) return {};
  {
    const std::lock_guard lock{mutex_};
    if (const auto it = answers_.find(id); it != answers_.end()) {
      if (!it->second.empty()) return Error{errc::bad_message, it->second};
      last_accepted_.store(id, std::memory_order_release);
      return {};
    }
  }
  std::string why;
  try {
    const RegisteredSchema schema = registry_->schema_by_id(id);
    if (schema.type != type_) {
      why = "schema id " + std::to_string(id) + " is a " + std::string{to_string(schema.type)} +
            " schema, not " + std::string{to_string(type_)};
    }
  } catch (const Exception& e) {
    if (no_answer(e.error())) return e.error().with_context("schema id " + std::to_string(id));
    why = "schema id " + std::to_string(id) + ": " + e.error().message();
  } catch (const std::exception& e) {
    return Error{errc::fatal, "schema id " + std::to_string(id) + ": " + e.what()};
  }
  const std::lock_guard lock{mutex_};
  answers_.emplace(id, why);
  if (!why.empty()) return Error{errc::bad_message, std::move(why)};
  last_accepted_.store(id, std::memory_order_release);
  return {};
}

}  // namespace mib
