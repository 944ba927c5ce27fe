#include "record_decoder.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <utility>

#include "mib/registry/schema_registry.hpp"
#include "mib/serde/serde.hpp"

namespace mib::cli {
namespace {

RecordPayload record_payload(const Config& config, const MessageCodec& codec,
                             const DecodeOptions& options) {
  if (!options.registry) return {};
  SchemaRegistryOptions registry = SchemaRegistryOptions::from(config);
  if (!options.registry->empty()) registry.url = *options.registry;
  if (registry.url.empty()) {
    throw CLI::ValidationError("--registry",
                               "has no URL, and the configuration's [schema_registry] url is "
                               "not set");
  }
  try {
    return RecordPayload{SchemaRegistry{std::move(registry)}, codec.schema_type()};
  } catch (const Exception& e) {
    throw CLI::ValidationError("--registry", e.error().message());
  }
}

}  // namespace

std::optional<MessageCodec> decode_codec(const DecodeOptions& options) {
  if (options.type.empty()) {
    if (options.format == "protobuf") {
      throw CLI::ValidationError("--format", "protobuf only applies with --decode TYPE");
    }
    if (options.registry) {
      throw CLI::ValidationError("--registry", "only applies with --decode TYPE");
    }
    return std::nullopt;
  }
  if (options.json_flag || options.key_delimiter) {
    throw CLI::ValidationError(options.json_flag ? "-J" : "--key-delimiter",
                               "does not apply with --decode, which prints each value as the "
                               "decoded message's JSON");
  }
  const std::string encoding = options.format.empty() ? "json" : options.format;
  const auto parsed = parse_value_encoding(encoding);
  if (!parsed) {
    throw CLI::ValidationError("--format",
                               "with --decode names the values' encoding, json or "
                               "protobuf, got '" +
                                   encoding + "'");
  }
  auto codec = MessageCodec::named(options.type, *parsed);
  if (!codec) {
    throw CLI::ValidationError(
        "--decode", "expected " + MessageCodec::type_names() + ", got '" + options.type + "'");
  }
  return codec;
}

RecordDecoder::RecordDecoder(const Config& config, MessageCodec codec, const DecodeOptions& options)
    : codec_(codec), payload_(record_payload(config, codec, options)) {}

bool RecordDecoder::decode(const Message& record, std::string& line) {
  std::string_view payload;
  Error error = payload_.find(record.value(), payload);
  if (!error) error = codec_.to_json(payload, line);
  if (!error) {
    line += '\n';
    return true;
  }
  std::cerr << "mib-stream: topic '" << record.topic() << "' partition " << record.partition()
            << " offset " << record.offset() << ": " << error.message();
  // Written in another encoding than -f says: the likeliest mistake, so name it.
  const auto written_as = record.header(content_type_header);
  if (written_as && *written_as != codec_.content_type()) {
    std::cerr << " (its " << content_type_header << " header says " << *written_as << ')';
  }
  std::cerr << '\n';
  return false;
}

}  // namespace mib::cli
