// Records in the Confluent wire format (mib/serde/wire_format.hpp) with their schema in a
// registry: what Java's, Python's and Go's Confluent serializers write and read.
//
//   mib::SchemaRegistry registry{config};
//   auto serde = mib::RegistrySerde<mib::Trade>::protobuf(registry, "market_intel.trades-value");
//   producer.send("market_intel.trades", trade, serde);      // registers on the first send
//   processor.run([](const mib::Typed<mib::Trade>& t) { ... }, serde);
//
// Encoding registers T's schema under the subject once (json::schema_of<T>(), or T's .proto
// file with its imports registered as references under their own import paths), then
// writes the magic byte, the schema id (and for Protobuf the message indexes) before the
// payload. Decoding reads the header and accepts any id the registry holds as a schema of
// this format (the writer's may be another version of ours, or another client's); an
// unknown id or a schema of another format is errc::bad_message naming the id. A registry
// that does not answer is its transport error, which a processing loop retries rather
// than dead-letters. Copies share the registration and the ids seen; thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "mib/error.hpp"
#include "mib/registry/schema_registry.hpp"

namespace mib {

// Confluent's TopicNameStrategy: the subject of a topic's record values, "{topic}-value".
std::string value_subject(std::string_view topic);

// T is MarketData, Order, Trade, Event or Control.
template <typename T>
class RegistrySerde {
 public:
  // `registry` must outlive the serde and its copies.
  static RegistrySerde json(SchemaRegistry& registry, std::string subject);
  static RegistrySerde protobuf(SchemaRegistry& registry, std::string subject);

  Error encode(const T& value, std::string& out) const;
  Error decode(std::string_view bytes, T& out) const;
  // "application/vnd.confluent.json" or "application/vnd.confluent.protobuf": framed bytes.
  std::string_view content_type() const;
  // The id encode writes: 0 until the schema is registered (by the first encode).
  std::int32_t schema_id() const;
  // Registers now, if not yet (a tool calls it to fail fast); the registry's error if any.
  Error register_schema() const;

  struct State;

 private:
  explicit RegistrySerde(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

}  // namespace mib
