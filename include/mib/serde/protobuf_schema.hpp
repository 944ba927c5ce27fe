// The .proto schemas of the market messages as a schema registry keeps them: one file per
// registration, its imports as references to the files' own registrations.
//
//   const auto file = mib::protobuf::schema_file_of<mib::Trade>();
//   // file.name == "market_intel/v1/trade.proto", file.imports == {".../enums.proto", ...}
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mib::protobuf {

struct SchemaFile {
  std::string name{};  // the import path: "market_intel/v1/trade.proto"
  std::string text{};  // the file in .proto syntax, as compiled into this library
  // The files it imports, other than Protobuf's own (Timestamp's...), which registries know.
  std::vector<std::string> imports{};
};

// The file that defines T's message (MarketData, Order, Trade, Event, Control, Envelope,
// MessageBatch).
template <typename T>
SchemaFile schema_file_of();

// T's message among its file's: the Confluent wire format's message indexes ({0}: the
// file's first message).
template <typename T>
std::vector<std::int32_t> message_indexes_of();

// A file of proto/market_intel/v1 by its import path; nothing for another name.
std::optional<SchemaFile> schema_file(std::string_view name);

}  // namespace mib::protobuf
