// The Confluent wire format: how a record's value names the registry schema it was written
// with. Java's, Python's and Go's Confluent serializers write and read it:
//
//   byte 0     magic byte 0
//   bytes 1-4  schema id, big-endian
//   Protobuf only: the message indexes, which message of the schema's file this is: a
//              count, then each index, all zig-zag varints ([0], the first message, is
//              written as the single byte 0x00)
//   the rest   the encoded record (JSON text, Protobuf bytes, Avro binary)
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mib/error.hpp"

namespace mib::wire {

inline constexpr unsigned char magic_byte = 0;

// A framed value, read back: the payload is a view into the bytes given.
struct Framed {
  std::int32_t schema_id = 0;
  std::vector<std::int32_t> message_indexes{};  // Protobuf only; {0} for the first message
  std::string_view payload{};
};

// Appends the header for `schema_id` (JSON Schema, Avro) to `out`; the payload follows.
void append_header(std::int32_t schema_id, std::string& out);
// Appends the header and the message indexes (Protobuf): {} or {0} write the single 0x00.
void append_protobuf_header(std::int32_t schema_id, std::span<const std::int32_t> indexes,
                            std::string& out);

// Reads a header (errc::bad_message naming what is wrong: too short, a magic byte other
// than 0, malformed indexes).
Error read(std::string_view bytes, Framed& out);
Error read_protobuf(std::string_view bytes, Framed& out);

}  // namespace mib::wire
