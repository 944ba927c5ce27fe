// `consume --decode TYPE [-f json|protobuf] [--registry [URL]]`: each record's value as the
// decoded message's JSON line, or on stderr where the record is and why it does not decode.
#pragma once

#include <optional>
#include <string>

#include "message_codec.hpp"
#include "mib/config/config.hpp"
#include "mib/message.hpp"
#include "record_payload.hpp"

namespace mib::cli {

// What consume's options say about decoding, as given.
struct DecodeOptions {
  std::string type;                     // --decode; empty: print records as they are
  std::string format;                   // -f as given; with --decode the values' encoding
  bool json_flag = false;               // -J
  bool key_delimiter = false;           // -K given
  std::optional<std::string> registry;  // --registry [URL]; "" for the configuration's URL
};

// The codec --decode and -f name, or nullopt without --decode. Throws CLI::ValidationError
// naming the flag for what does not go together: with --decode every line is the decoded
// message, so -J, -K, -f value and -f kv do not apply; without it -f protobuf and
// --registry do not.
std::optional<MessageCodec> decode_codec(const DecodeOptions& options);

class RecordDecoder {
 public:
  // Values read with `codec`; with --registry through the registry at its URL, or the
  // configuration's [schema_registry] url (the flag's wins; credentials and timeout are
  // the configuration's). A missing or bad URL is a CLI::ValidationError naming --registry.
  RecordDecoder(const Config& config, MessageCodec codec, const DecodeOptions& options);

  // Appends `record`'s value as the decoded message's JSON line ('\n' included) to `line`;
  // false once why not (topic, partition, offset, the decoder's message) is on stderr.
  // Throws mib::Exception when the registry does not answer (RecordPayload::find).
  bool decode(const Message& record, std::string& line);

 private:
  MessageCodec codec_;
  RecordPayload payload_;
};

}  // namespace mib::cli
