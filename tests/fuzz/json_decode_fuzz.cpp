// libFuzzer harness: any bytes as the JSON of every message type, the envelope, the batch
// and a free JSON value (mib::json::decode). Beyond "never crashes": a refusal is
// bad_message with a message; what decodes encodes again, that text decodes to an equal
// value, and encoding that gives the same text (so the writer and the reader agree).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "mib/serde/json.hpp"

namespace {

template <typename T>
void round_trip(std::string_view text, std::string_view harness) {
  T value;
  if (const mib::Error error = mib::json::decode(text, value)) {
    fuzz::check_refusal(error, harness);
    return;
  }
  std::string once;
  fuzz::check_ok(mib::json::encode(value, once), harness, "a decoded value does not encode");
  T again;
  fuzz::check_ok(mib::json::decode(once, again), harness, "the encoded text does not decode");
  fuzz::check(again == value, harness, "decode(encode(v)) != v", once);
  std::string twice;
  fuzz::check_ok(mib::json::encode(again, twice), harness, "the value read back does not encode");
  fuzz::check(twice == once, harness, "encoding is not stable", once + "\n" + twice);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text{reinterpret_cast<const char*>(data), size};
  round_trip<mib::MarketData>(text, "json MarketData");
  round_trip<mib::Order>(text, "json Order");
  round_trip<mib::Trade>(text, "json Trade");
  round_trip<mib::Event>(text, "json Event");
  round_trip<mib::Control>(text, "json Control");
  round_trip<mib::Envelope>(text, "json Envelope");
  round_trip<mib::MessageBatch>(text, "json MessageBatch");
  round_trip<mib::JsonValue>(text, "json JsonValue");
  return 0;
}
