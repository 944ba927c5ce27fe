// libFuzzer harness: any bytes as the Protobuf of every message type, the envelope and the
// batch (mib::protobuf::decode). Beyond "never crashes": a refusal is bad_message with a
// message; what decodes encodes again to bytes that decode to an equal value and encode to
// the same bytes (encoding is deterministic); and, since both codecs carry the same
// information, the value survives JSON as well.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <google/protobuf/stubs/logging.h>

#include "fuzz_check.hpp"
#include "mib/serde/json.hpp"
#include "mib/serde/protobuf.hpp"

namespace {

// libprotobuf logs a line for every string that is not UTF-8; at thousands of inputs a
// second that is most of the run's time, and the refusal is checked anyway.
[[maybe_unused]] const bool quiet = (google::protobuf::SetLogHandler(nullptr), true);

template <typename T>
void round_trip(std::string_view bytes, std::string_view harness) {
  T value;
  if (const mib::Error error = mib::protobuf::decode(bytes, value)) {
    fuzz::check_refusal(error, harness);
    return;
  }
  std::string once;
  fuzz::check_ok(mib::protobuf::encode(value, once), harness, "a decoded value does not encode");
  T again;
  fuzz::check_ok(mib::protobuf::decode(once, again), harness, "the encoding does not decode");
  fuzz::check(again == value, harness, "decode(encode(v)) != v");
  std::string twice;
  fuzz::check_ok(mib::protobuf::encode(again, twice), harness,
                 "the value read back does not encode");
  fuzz::check(twice == once, harness, "encoding is not deterministic");

  std::string text;
  fuzz::check_ok(mib::json::encode(value, text), harness, "a Protobuf value has no JSON");
  T from_json;
  fuzz::check_ok(mib::json::decode(text, from_json), harness, "its JSON does not decode");
  fuzz::check(from_json == value, harness, "the value differs after JSON", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes{reinterpret_cast<const char*>(data), size};
  round_trip<mib::MarketData>(bytes, "protobuf MarketData");
  round_trip<mib::Order>(bytes, "protobuf Order");
  round_trip<mib::Trade>(bytes, "protobuf Trade");
  round_trip<mib::Event>(bytes, "protobuf Event");
  round_trip<mib::Control>(bytes, "protobuf Control");
  round_trip<mib::Envelope>(bytes, "protobuf Envelope");
  round_trip<mib::MessageBatch>(bytes, "protobuf MessageBatch");
  return 0;
}
