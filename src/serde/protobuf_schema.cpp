// The schemas are read back from the descriptors protoc compiled into the library, so they
// cannot drift from the code that encodes with them.
#include "mib/serde/protobuf_schema.hpp"

#include <google/protobuf/descriptor.h>

#include "serde/protobuf_convert.hpp"

namespace mib::protobuf {
namespace {

namespace gp = google::protobuf;

SchemaFile file_of(const gp::FileDescriptor& file) {
  SchemaFile out{.name = file.name(), .text = file.DebugString()};
  for (int i = 0; i < file.dependency_count(); ++i) {
    const std::string& name = file.dependency(i)->name();
    if (!name.starts_with("google/protobuf/")) out.imports.push_back(name);
  }
  return out;
}

}  // namespace

// The generated message of T (our types and protoc's share their names); specialised below.
template <typename T>
const google::protobuf::Descriptor* descriptor();

template <typename T>
SchemaFile schema_file_of() {
  return file_of(*descriptor<T>()->file());
}

template <typename T>
std::vector<std::int32_t> message_indexes_of() {
  // Top-level messages only (none of ours is nested): the path is one index.
  return {descriptor<T>()->index()};
}

std::optional<SchemaFile> schema_file(std::string_view name) {
  // Every file of ours is imported, directly or not, by envelope.proto.
  const gp::FileDescriptor* file =
      pb::Envelope::descriptor()->file()->pool()->FindFileByName(std::string{name});
  if (file == nullptr || !file->package().starts_with("market_intel.")) return std::nullopt;
  return file_of(*file);
}

#define MIB_PROTOBUF_SCHEMA(T)             \
  template <>                              \
  const gp::Descriptor* descriptor<T>() {  \
    return pb::T::descriptor();            \
  }                                        \
  template SchemaFile schema_file_of<T>(); \
  template std::vector<std::int32_t> message_indexes_of<T>();
MIB_PROTOBUF_SCHEMA(MarketData)
MIB_PROTOBUF_SCHEMA(Order)
MIB_PROTOBUF_SCHEMA(Trade)
MIB_PROTOBUF_SCHEMA(Event)
MIB_PROTOBUF_SCHEMA(Control)
MIB_PROTOBUF_SCHEMA(Envelope)
MIB_PROTOBUF_SCHEMA(MessageBatch)
#undef MIB_PROTOBUF_SCHEMA

}  // namespace mib::protobuf
