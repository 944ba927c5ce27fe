// Writes the generated part of the fuzz corpus: the unit tests' market samples as JSON and
// Protobuf, alone, in envelopes and in a batch, and wire-format headers in front of them.
// Run once by hand after the message types change (`fuzz_write_seeds tests/fuzz/corpus`);
// the hand-written seeds (the seed's example, config files) are kept as they are.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "market_samples.hpp"
#include "mib/mib.hpp"

namespace {

std::filesystem::path corpus;

void write(const std::string& harness, const std::string& name, const std::string& bytes) {
  std::filesystem::create_directories(corpus / harness);
  std::ofstream{corpus / harness / name, std::ios::binary} << bytes;
}

template <typename T>
void both(const std::string& name, const T& value, std::int32_t schema_id) {
  std::string text;
  std::string bytes;
  if (mib::Error e = mib::json::encode(value, text)) throw mib::Exception{e};
  if (mib::Error e = mib::protobuf::encode(value, bytes)) throw mib::Exception{e};
  write("json_decode", name + ".json", text);
  write("protobuf_decode", name + ".pb", bytes);
  std::string framed;
  mib::wire::append_header(schema_id, framed);
  write("wire_format", name + ".json.framed", framed + text);
  framed.clear();
  const std::vector<std::int32_t> indexes{schema_id % 3};
  mib::wire::append_protobuf_header(schema_id, indexes, framed);
  write("wire_format", name + ".pb.framed", framed + bytes);
}

// An envelope with fixed ids and time, so that writing the corpus again changes nothing.
mib::Envelope envelope(mib::Payload payload, std::string id) {
  mib::Envelope e = mib::Envelope::wrap(std::move(payload), "oms").to("risk").with("desk", "7");
  e.message_id = std::move(id);
  e.timestamp = samples::at("2026-11-27T09:40:04.5Z");
  return e;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_write_seeds CORPUS_DIR\n");
    return 2;
  }
  corpus = argv[1];
  both("market_data", samples::quote(), 1);
  both("order", samples::limit_order(), 2);
  both("trade", samples::fill(), 3);
  both("event", samples::alert(), 4);
  both("control", samples::halt(), 5);
  const mib::Envelope trade = envelope(samples::fill(), "7f7c2a4e-0c55-4d8e-9a39-3b1c2d4e5f60");
  both("envelope_trade", trade, 6);
  both("envelope_event", envelope(samples::alert(), "e1"), 7);
  mib::MessageBatch batch = mib::MessageBatch::of(
      {trade, envelope(samples::quote(), "q1"), envelope(samples::halt(), "c1")});
  batch.batch_id = "b-1";
  batch.timestamp = samples::at("2026-11-27T09:40:05Z");
  batch.compression = "zstd";
  both("batch", batch, 8);
  return 0;
}
