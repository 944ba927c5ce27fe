// mib::SchemaRegistry: a client of a Confluent-compatible schema registry's REST API
// (Confluent Schema Registry, Apicurio's /apis/ccompat/v7, Redpanda's).
//
//   mib::SchemaRegistry registry{config};   // [schema_registry] url, username, password
//   std::int32_t id = registry.register_schema("market_intel.trades-value",
//                                              mib::SchemaType::json, trade_schema);
//   mib::RegisteredSchema s = registry.schema_by_id(id);
//
// Every call either returns the answer or throws mib::Exception whose message names the
// registry, the request and the registry's own error ("... GET /schemas/ids/999: 404
// (error 40403): No content with id ... was found"). Thread-safe. Schemas by id and ids by
// schema are cached: neither changes once registered.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mib/config/config.hpp"
#include "mib/config/secret.hpp"

namespace mib {

enum class SchemaType { avro, json, protobuf };  // the registry's AVRO, JSON, PROTOBUF
enum class Compatibility {
  none,
  backward,
  backward_transitive,
  forward,
  forward_transitive,
  full,
  full_transitive
};

std::string_view to_string(SchemaType type) noexcept;      // "AVRO", "JSON", "PROTOBUF"
std::string_view to_string(Compatibility level) noexcept;  // "BACKWARD", ...

// Another subject's schema that a schema imports (a Protobuf `import`, a JSON `$ref`): by
// the name it is imported as, and which subject and version hold it.
struct SchemaReference {
  std::string name{};  // "market_intel/v1/json_value.proto"
  std::string subject{};
  std::int32_t version = 0;
};

struct RegisteredSchema {
  std::int32_t id = 0;
  std::string subject{};     // empty when looked up by id
  std::int32_t version = 0;  // 0 when looked up by id
  SchemaType type = SchemaType::avro;
  std::string schema{};  // the schema's text
  std::vector<SchemaReference> references{};
};

struct CompatibilityCheck {
  bool compatible = false;
  std::string reason{};  // why not, when the registry says
};

struct SchemaRegistryOptions {
  std::string url{};  // base URL: "http://127.0.0.1:8081" or ".../apis/ccompat/v7"
  std::string username{};
  Secret password{};
  std::chrono::milliseconds timeout{std::chrono::seconds{10}};  // per request

  // The [schema_registry] section of `config`.
  static SchemaRegistryOptions from(const Config& config);
};

class SchemaRegistry {
 public:
  // Throws mib::Exception for an empty URL or one that is not http:// or https://.
  explicit SchemaRegistry(SchemaRegistryOptions options);
  explicit SchemaRegistry(const Config& config);
  ~SchemaRegistry();
  SchemaRegistry(SchemaRegistry&&) noexcept;
  SchemaRegistry& operator=(SchemaRegistry&&) noexcept;

  // Registers `schema` under `subject` (or finds it there); its id. The registry refuses a
  // schema incompatible with the subject's (409) or one it cannot parse (422).
  std::int32_t register_schema(std::string_view subject, SchemaType type, std::string_view schema,
                               const std::vector<SchemaReference>& references = {});
  // The version of `subject` that holds `schema` (errc::bad_message when none does).
  RegisteredSchema lookup(std::string_view subject, SchemaType type, std::string_view schema,
                          const std::vector<SchemaReference>& references = {});
  // The schema with this id.
  RegisteredSchema schema_by_id(std::int32_t id);
  // The subject's newest version.
  RegisteredSchema latest(std::string_view subject);
  // Whether `schema` could be registered under `subject` now (against its latest version).
  CompatibilityCheck check_compatibility(std::string_view subject, SchemaType type,
                                         std::string_view schema);
  // The compatibility rule of `subject`.
  void set_compatibility(std::string_view subject, Compatibility level);

  const std::string& url() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mib
