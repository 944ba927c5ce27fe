#include "mib/registry/schema_registry.hpp"

#include <simdjson.h>

#include <map>
#include <mutex>

#include "registry/http_client.hpp"
#include "serde/json_writer.hpp"

namespace mib {
namespace {

constexpr std::string_view type_names[] = {"AVRO", "JSON", "PROTOBUF"};
constexpr std::string_view level_names[] = {
    "NONE", "BACKWARD",       "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE",
    "FULL", "FULL_TRANSITIVE"};

SchemaType type_named(std::string_view name) {
  if (name == "JSON") return SchemaType::json;
  if (name == "PROTOBUF") return SchemaType::protobuf;
  return SchemaType::avro;  // the registry leaves schemaType out for Avro
}

// {"schemaType":"JSON","schema":"...","references":[...]}: the body of a registration, a
// lookup or a check.
std::string schema_body(SchemaType type, std::string_view schema,
                        const std::vector<SchemaReference>& references = {}) {
  std::string body = "{\"schemaType\":";
  json::append_escaped(body, to_string(type));
  body += ",\"schema\":";
  json::append_escaped(body, schema);
  if (!references.empty()) {
    body += ",\"references\":[";
    for (const auto& r : references) {
      if (body.back() == '}') body += ',';
      body += "{\"name\":";
      json::append_escaped(body, r.name);
      body += ",\"subject\":";
      json::append_escaped(body, r.subject);
      body += ",\"version\":" + std::to_string(r.version) + '}';
    }
    body += ']';
  }
  body += '}';
  return body;
}

// The cache key of a registration: everything that makes it a different schema.
std::string registration_key(std::string_view subject, SchemaType type, std::string_view schema,
                             const std::vector<SchemaReference>& references) {
  std::string key{subject};
  key += '\n';
  key += to_string(type);
  for (const auto& r : references) key += '\n' + r.subject + '@' + std::to_string(r.version);
  key += '\n';
  key += schema;
  return key;
}

}  // namespace

std::string_view to_string(SchemaType type) noexcept {
  return type_names[static_cast<std::size_t>(type)];
}

std::string_view to_string(Compatibility level) noexcept {
  return level_names[static_cast<std::size_t>(level)];
}

SchemaRegistryOptions SchemaRegistryOptions::from(const Config& config) {
  SchemaRegistryOptions options;
  options.url = config.schema_registry.url;
  options.username = config.schema_registry.username;
  options.password = config.schema_registry.password;
  options.timeout = config.schema_registry.timeout;
  return options;
}

struct SchemaRegistry::Impl {
  std::string url;
  registry::HttpClient http;
  std::mutex cache_mutex;
  std::map<std::int32_t, RegisteredSchema> by_id;
  std::map<std::string, std::int32_t, std::less<>> ids;  // subject + '\n' + type + schema

  explicit Impl(SchemaRegistryOptions o)
      : url(std::move(o.url)), http(o.timeout, o.username, std::string{o.password.reveal()}) {
    while (!url.empty() && url.back() == '/') url.pop_back();
  }

  // One request; its body parsed. A refused request or an error status throws, naming the
  // registry, the request, the status and the registry's message.
  simdjson::dom::element call(std::string_view method, const std::string& path,
                              std::string_view body, simdjson::dom::parser& parser) {
    const std::string where = "schema registry " + url + ": " + std::string{method} + " " + path;
    registry::HttpResponse response;
    if (Error e = http.request(method, url + path, body, response)) {
      throw Exception{e.with_message(where + ": no answer: " + e.message())};
    }
    simdjson::dom::element doc;
    const auto parsed = parser.parse(response.body).get(doc);
    if (response.status >= 300) {
      std::string why = response.body.substr(0, 300);
      std::int64_t code = 0;
      std::string_view message;
      if (parsed == simdjson::SUCCESS && doc["error_code"].get(code) == simdjson::SUCCESS &&
          doc["message"].get(message) == simdjson::SUCCESS) {
        why = "(error " + std::to_string(code) + "): " + std::string{message};
      }
      throw Exception{Error{
          response.status == 409 || response.status == 422 ? errc::invalid_argument
                                                           : errc::bad_message,
          where + ": " + std::to_string(response.status) + " " + why, response.status >= 500}};
    }
    if (parsed != simdjson::SUCCESS) {
      throw Exception{Error{errc::bad_message,
                            where + ": the answer is not JSON: " + response.body.substr(0, 200)}};
    }
    return doc;
  }

  std::string subject_path(std::string_view subject) { return "/subjects/" + http.escape(subject); }

  static RegisteredSchema schema_of(simdjson::dom::element doc, std::string_view where) {
    RegisteredSchema s;
    std::int64_t id = 0, version = 0;
    std::string_view text, subject, type = "AVRO";
    if (doc["schema"].get(text) != simdjson::SUCCESS) {
      throw Exception{Error{errc::bad_message, std::string{where} + ": no schema in the answer"}};
    }
    if (doc["schemaType"].get(type) != simdjson::SUCCESS) type = "AVRO";  // left out for Avro
    if (doc["id"].get(id) == simdjson::SUCCESS) s.id = static_cast<std::int32_t>(id);
    if (doc["version"].get(version) == simdjson::SUCCESS) {
      s.version = static_cast<std::int32_t>(version);
    }
    if (doc["subject"].get(subject) == simdjson::SUCCESS) s.subject = subject;
    s.type = type_named(type);
    s.schema = text;
    simdjson::dom::array references;
    if (doc["references"].get(references) == simdjson::SUCCESS) {
      for (auto r : references) {
        std::string_view name, of;
        std::int64_t at = 0;
        if (r["name"].get(name) || r["subject"].get(of) || r["version"].get(at)) continue;
        s.references.push_back({std::string{name}, std::string{of}, static_cast<std::int32_t>(at)});
      }
    }
    return s;
  }
};

SchemaRegistry::SchemaRegistry(SchemaRegistryOptions options) {
  if (!options.url.starts_with("http://") && !options.url.starts_with("https://")) {
    throw Exception{Error{errc::invalid_argument,
                          "schema registry: url '" + options.url +
                              "' must start with http:// or https:// ([schema_registry] url)"}};
  }
  impl_ = std::make_unique<Impl>(std::move(options));
}

SchemaRegistry::SchemaRegistry(const Config& config)
    : SchemaRegistry(SchemaRegistryOptions::from(config)) {}

SchemaRegistry::~SchemaRegistry() = default;
SchemaRegistry::SchemaRegistry(SchemaRegistry&&) noexcept = default;
SchemaRegistry& SchemaRegistry::operator=(SchemaRegistry&&) noexcept = default;

const std::string& SchemaRegistry::url() const noexcept {
  return impl_->url;
}

std::int32_t SchemaRegistry::register_schema(std::string_view subject, SchemaType type,
                                             std::string_view schema,
                                             const std::vector<SchemaReference>& references) {
  std::string key = registration_key(subject, type, schema, references);
  {
    const std::lock_guard lock{impl_->cache_mutex};
    if (const auto it = impl_->ids.find(key); it != impl_->ids.end()) return it->second;
  }
  simdjson::dom::parser parser;
  const std::string path = impl_->subject_path(subject) + "/versions";
  const auto doc = impl_->call("POST", path, schema_body(type, schema, references), parser);
  std::int64_t id = 0;
  if (doc["id"].get(id) != simdjson::SUCCESS) {
    throw Exception{Error{errc::bad_message, "schema registry " + impl_->url + ": POST " + path +
                                                 ": no id in the answer"}};
  }
  const std::lock_guard lock{impl_->cache_mutex};
  impl_->ids.insert_or_assign(std::move(key), static_cast<std::int32_t>(id));
  return static_cast<std::int32_t>(id);
}

RegisteredSchema SchemaRegistry::schema_by_id(std::int32_t id) {
  {
    const std::lock_guard lock{impl_->cache_mutex};
    if (const auto it = impl_->by_id.find(id); it != impl_->by_id.end()) return it->second;
  }
  simdjson::dom::parser parser;
  const std::string path = "/schemas/ids/" + std::to_string(id);
  RegisteredSchema s = Impl::schema_of(impl_->call("GET", path, {}, parser), path);
  s.id = id;
  const std::lock_guard lock{impl_->cache_mutex};
  impl_->by_id.insert_or_assign(id, s);
  return s;
}

RegisteredSchema SchemaRegistry::lookup(std::string_view subject, SchemaType type,
                                        std::string_view schema,
                                        const std::vector<SchemaReference>& references) {
  simdjson::dom::parser parser;
  const std::string path = impl_->subject_path(subject);
  return Impl::schema_of(impl_->call("POST", path, schema_body(type, schema, references), parser),
                         path);
}

RegisteredSchema SchemaRegistry::latest(std::string_view subject) {
  simdjson::dom::parser parser;
  const std::string path = impl_->subject_path(subject) + "/versions/latest";
  return Impl::schema_of(impl_->call("GET", path, {}, parser), path);
}

CompatibilityCheck SchemaRegistry::check_compatibility(std::string_view subject, SchemaType type,
                                                       std::string_view schema) {
  simdjson::dom::parser parser;
  const std::string path =
      "/compatibility" + impl_->subject_path(subject) + "/versions/latest?verbose=true";
  const auto doc = impl_->call("POST", path, schema_body(type, schema), parser);
  CompatibilityCheck check;
  if (doc["is_compatible"].get(check.compatible) != simdjson::SUCCESS) {
    throw Exception{Error{errc::bad_message, "schema registry " + impl_->url + ": POST " + path +
                                                 ": no is_compatible in the answer"}};
  }
  // Confluent answers "messages": [...]; Apicurio "reason": "..." (null when compatible).
  std::string_view reason;
  simdjson::dom::array messages;
  if (doc["reason"].get(reason) == simdjson::SUCCESS) {
    check.reason = reason;
  } else if (doc["messages"].get(messages) == simdjson::SUCCESS) {
    for (auto m : messages) {
      std::string_view text;
      if (m.get(text) != simdjson::SUCCESS) continue;
      if (!check.reason.empty()) check.reason += "; ";
      check.reason += text;
    }
  }
  return check;
}

void SchemaRegistry::set_compatibility(std::string_view subject, Compatibility level) {
  simdjson::dom::parser parser;
  std::string body = "{\"compatibility\":";
  json::append_escaped(body, to_string(level));
  body += '}';
  impl_->call("PUT", "/config/" + impl_->http.escape(subject), body, parser);
}

}  // namespace mib
