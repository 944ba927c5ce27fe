#include "mib/serde/wire_format.hpp"

namespace mib::wire {
namespace {

void append_varint(std::uint64_t v, std::string& out) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

std::int64_t unzigzag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

// A varint at `pos` (moved past it); false if the bytes end inside it or it is too long.
bool read_varint(std::string_view bytes, std::size_t& pos, std::uint64_t& out) {
  out = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= bytes.size()) return false;
    const auto b = static_cast<unsigned char>(bytes[pos++]);
    out |= static_cast<std::uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

Error bad(std::string what) {
  return Error{errc::bad_message, "Confluent wire format: " + std::move(what)};
}

}  // namespace

void append_header(std::int32_t schema_id, std::string& out) {
  const auto id = static_cast<std::uint32_t>(schema_id);
  out += static_cast<char>(magic_byte);
  out += static_cast<char>(id >> 24);
  out += static_cast<char>((id >> 16) & 0xFF);
  out += static_cast<char>((id >> 8) & 0xFF);
  out += static_cast<char>(id & 0xFF);
}

void append_protobuf_header(std::int32_t schema_id, std::span<const std::int32_t> indexes,
                            std::string& out) {
  append_header(schema_id, out);
  if (indexes.empty() || (indexes.size() == 1 && indexes[0] == 0)) {
    out += '\0';  // the first message: the serializers' shortcut for [0]
    return;
  }
  append_varint(zigzag(static_cast<std::int64_t>(indexes.size())), out);
  for (const std::int32_t index : indexes) append_varint(zigzag(index), out);
}

Error read(std::string_view bytes, Framed& out) {
  if (bytes.size() < 5) {
    return bad(std::to_string(bytes.size()) +
               " bytes are too few for the 5-byte header (magic byte and schema id)");
  }
  const auto magic = static_cast<unsigned char>(bytes[0]);
  if (magic != magic_byte) {
    return bad("unknown magic byte " + std::to_string(magic) +
               " (expected 0): not written by a schema-registry serializer");
  }
  std::uint32_t id = 0;
  for (int i = 1; i <= 4; ++i) id = (id << 8) | static_cast<unsigned char>(bytes[i]);
  out.schema_id = static_cast<std::int32_t>(id);
  out.message_indexes.clear();
  out.payload = bytes.substr(5);
  return {};
}

Error read_protobuf(std::string_view bytes, Framed& out) {
  if (Error e = read(bytes, out)) return e;
  std::size_t pos = 5;
  std::uint64_t raw = 0;
  if (!read_varint(bytes, pos, raw)) return bad("the message-index count is cut off");
  const std::int64_t count = unzigzag(raw);
  if (count == 0) {
    out.message_indexes.assign(1, 0);
  } else {
    // Each index takes a byte at least: a count beyond the bytes left is malformed.
    if (count < 0 || static_cast<std::uint64_t>(count) > bytes.size() - pos) {
      return bad("message-index count " + std::to_string(count) + " is not possible here");
    }
    for (std::int64_t i = 0; i < count; ++i) {
      if (!read_varint(bytes, pos, raw))
        return bad("message index " + std::to_string(i) + " is cut off");
      const std::int64_t index = unzigzag(raw);
      if (index < 0 || index > INT32_MAX) {
        return bad("message index " + std::to_string(index) + " is out of range");
      }
      out.message_indexes.push_back(static_cast<std::int32_t>(index));
    }
  }
  out.payload = bytes.substr(pos);
  return {};
}

}  // namespace mib::wire
