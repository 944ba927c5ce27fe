#include "mib/registry/registry_serde.hpp"

#include <atomic>
#include <mutex>
#include <vector>

#include "mib/registry/wire_reader.hpp"
#include "mib/serde/json.hpp"
#include "mib/serde/json_schema.hpp"
#include "mib/serde/protobuf.hpp"
#include "mib/serde/protobuf_schema.hpp"
#include "mib/serde/wire_format.hpp"

namespace mib {

std::string value_subject(std::string_view topic) {
  return std::string{topic} + "-value";
}

template <typename T>
struct RegistrySerde<T>::State {
  SchemaRegistry* registry;
  std::string subject;
  SchemaType type;
  std::atomic<std::int32_t> id{0};  // ours, once registered
  std::mutex mutex;                 // registering
  WireReader reader;                // writers' ids: any schema of our format

  State(SchemaRegistry& r, std::string s, SchemaType t)
      : registry(&r), subject(std::move(s)), type(t), reader(r, t) {}
};

namespace {

// Registers a .proto file after the files it imports, each under its import path (as
// Confluent's serializers do); what holds it now.
RegisteredSchema register_proto_file(SchemaRegistry& registry, const protobuf::SchemaFile& file,
                                     const std::string& subject) {
  std::vector<SchemaReference> references;
  for (const auto& name : file.imports) {
    if (const auto imported = protobuf::schema_file(name)) {
      const RegisteredSchema held = register_proto_file(registry, *imported, name);
      references.push_back({name, name, held.version});
    }
  }
  registry.register_schema(subject, SchemaType::protobuf, file.text, references);
  // The registration answers with the id only; the version is what references need.
  return registry.lookup(subject, SchemaType::protobuf, file.text, references);
}

Error from_exception(const std::string& what) {
  try {
    throw;
  } catch (const Exception& e) {
    return e.error().with_context(what);
  } catch (const std::exception& e) {
    return Error{errc::fatal, what + ": " + e.what()};
  }
}

template <typename T>
constexpr std::string_view type_name() {
  if constexpr (std::is_same_v<T, MarketData>) return "MarketData";
  if constexpr (std::is_same_v<T, Order>) return "Order";
  if constexpr (std::is_same_v<T, Trade>) return "Trade";
  if constexpr (std::is_same_v<T, Event>) return "Event";
  if constexpr (std::is_same_v<T, Control>) return "Control";
}

std::string indexes_text(const std::vector<std::int32_t>& indexes) {
  std::string out = "[";
  for (const auto i : indexes) {
    if (out.size() > 1) out += ',';
    out += std::to_string(i);
  }
  out += ']';
  return out;
}

}  // namespace

template <typename T>
RegistrySerde<T> RegistrySerde<T>::json(SchemaRegistry& registry, std::string subject) {
  return RegistrySerde{std::make_shared<State>(registry, std::move(subject), SchemaType::json)};
}

template <typename T>
RegistrySerde<T> RegistrySerde<T>::protobuf(SchemaRegistry& registry, std::string subject) {
  return RegistrySerde{std::make_shared<State>(registry, std::move(subject), SchemaType::protobuf)};
}

template <typename T>
std::string_view RegistrySerde<T>::content_type() const {
  return state_->type == SchemaType::json ? "application/vnd.confluent.json"
                                          : "application/vnd.confluent.protobuf";
}

template <typename T>
std::int32_t RegistrySerde<T>::schema_id() const {
  return state_->id.load(std::memory_order_acquire);
}

template <typename T>
Error RegistrySerde<T>::register_schema() const {
  State& s = *state_;
  if (s.id.load(std::memory_order_acquire) != 0) return {};
  const std::lock_guard lock{s.mutex};
  if (s.id.load(std::memory_order_relaxed) != 0) return {};
  try {
    std::int32_t id = 0;
    if (s.type == SchemaType::json) {
      id = s.registry->register_schema(s.subject, SchemaType::json, json::schema_of<T>());
    } else {
      id = register_proto_file(*s.registry, protobuf::schema_file_of<T>(), s.subject).id;
    }
    s.id.store(id, std::memory_order_release);
    return {};
  } catch (...) {
    return from_exception("registering the schema of subject '" + s.subject + "'");
  }
}

template <typename T>
Error RegistrySerde<T>::encode(const T& value, std::string& out) const {
  const State& s = *state_;
  if (s.id.load(std::memory_order_acquire) == 0) {
    if (Error e = register_schema()) return e;
  }
  const std::size_t before = out.size();
  const std::int32_t id = s.id.load(std::memory_order_acquire);
  Error e;
  if (s.type == SchemaType::json) {
    wire::append_header(id, out);
    e = json::encode(value, out);
  } else {
    static const std::vector<std::int32_t> indexes = protobuf::message_indexes_of<T>();
    wire::append_protobuf_header(id, indexes, out);
    e = protobuf::encode(value, out);
  }
  if (e) out.resize(before);
  return e;
}

template <typename T>
Error RegistrySerde<T>::decode(std::string_view bytes, T& out) const {
  State& s = *state_;
  wire::Framed framed;
  if (Error e = s.reader.read(bytes, framed)) return e;
  if (s.type == SchemaType::json) return json::decode(framed.payload, out);
  // Per record: one schema file's id serves each of its messages.
  static const std::vector<std::int32_t> ours = protobuf::message_indexes_of<T>();
  if (framed.message_indexes != ours) {
    return Error{errc::bad_message,
                 "schema id " + std::to_string(framed.schema_id) + ": message indexes " +
                     indexes_text(framed.message_indexes) + " are not " + indexes_text(ours) +
                     ", the message that is " + std::string{type_name<T>()}};
  }
  return protobuf::decode(framed.payload, out);
}

template class RegistrySerde<MarketData>;
template class RegistrySerde<Order>;
template class RegistrySerde<Trade>;
template class RegistrySerde<Event>;
template class RegistrySerde<Control>;

}  // namespace mib
