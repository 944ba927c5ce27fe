// libFuzzer harness: any bytes as a Confluent wire-format header (mib::wire::read and
// read_protobuf). Beyond "never crashes": a refusal is bad_message with a message; the
// payload is the tail of the bytes given; and writing the header read back in front of the
// payload gives bytes that read the same (for a plain header: exactly the input).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "mib/serde/wire_format.hpp"

namespace {

bool is_tail_of(std::string_view part, std::string_view whole) {
  return part.data() + part.size() == whole.data() + whole.size() && part.data() >= whole.data() &&
         part.size() <= whole.size();
}

void plain(std::string_view bytes) {
  constexpr std::string_view harness = "wire read";
  mib::wire::Framed framed;
  if (const mib::Error error = mib::wire::read(bytes, framed)) {
    fuzz::check_refusal(error, harness);
    return;
  }
  fuzz::check(is_tail_of(framed.payload, bytes), harness, "the payload is not the input's tail");
  std::string again;
  mib::wire::append_header(framed.schema_id, again);
  again.append(framed.payload);
  fuzz::check(again == bytes, harness, "header + payload differ from the input");
}

void protobuf(std::string_view bytes) {
  constexpr std::string_view harness = "wire read_protobuf";
  mib::wire::Framed framed;
  if (const mib::Error error = mib::wire::read_protobuf(bytes, framed)) {
    fuzz::check_refusal(error, harness);
    return;
  }
  fuzz::check(is_tail_of(framed.payload, bytes), harness, "the payload is not the input's tail");
  fuzz::check(!framed.message_indexes.empty(), harness, "no message index read");
  std::string again;
  mib::wire::append_protobuf_header(framed.schema_id, framed.message_indexes, again);
  again.append(framed.payload);
  mib::wire::Framed reread;
  fuzz::check_ok(mib::wire::read_protobuf(again, reread), harness,
                 "a written header does not read");
  fuzz::check(reread.schema_id == framed.schema_id, harness, "the schema id changed");
  fuzz::check(reread.message_indexes == framed.message_indexes, harness, "the indexes changed");
  fuzz::check(reread.payload == framed.payload, harness, "the payload changed");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes{reinterpret_cast<const char*>(data), size};
  plain(bytes);
  protobuf(bytes);
  return 0;
}
