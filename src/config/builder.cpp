// ConfigBuilder: applies TOML, the environment and code over the defaults, in that order.
#include <toml++/toml.h>

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>

#include "config/schema.hpp"
#include "mib/config/config.hpp"

namespace mib {
namespace {

constexpr std::uintmax_t kMaxFileBytes = 16u << 20;  // a config file, not a data set

using config::Field;
using config::Raw;

// Section paths ("security", "security.sasl", ...) that hold keys.
bool is_section(std::string_view path) {
  for (const Field& f : config::fields()) {
    const std::string_view known{f.path};
    if (known.size() > path.size() && known.substr(0, path.size()) == path &&
        known[path.size()] == '.') {
      return true;
    }
  }
  return false;
}

std::string join_path(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string{key} : std::string{parent} + "." + std::string{key};
}

std::string unknown_key_message(std::string_view path) {
  std::string message = "unknown key";
  const auto near = config::suggestions(path);
  for (std::size_t i = 0; i < near.size(); ++i) {
    message += (i == 0 ? "; did you mean '" : "' or '") + near[i];
  }
  if (!near.empty()) message += "'?";
  return message;
}

class Loader {
 public:
  Loader(Config& config, std::map<std::string, Origin, std::less<>>& origins,
         std::map<std::string, ConfigSource, std::less<>>& sources,
         std::vector<ConfigIssue>& issues)
      : config_(config), origins_(origins), sources_(sources), issues_(issues) {}

  void apply(const Field& field, const Raw& raw, Origin origin, ConfigSource source) {
    const std::string problem = field.binding->assign(config_, raw, field);
    if (!problem.empty()) {
      issues_.push_back({std::move(source), field.path, config::describe(raw, &field), problem});
      return;
    }
    origins_[field.path] = origin;
    sources_[field.path] = std::move(source);
  }

  void load_toml(const std::string& text, const std::string& source_name) {
    source_name_ = source_name;
    toml::table root;
    try {
      root = toml::parse(text, source_name);
    } catch (const toml::parse_error& e) {
      issues_.push_back({{source_name, e.source().begin.line},
                         "(file)",
                         "",
                         "not valid TOML: " + std::string{e.description()}});
      return;
    }
    walk(root, "");
  }

  void load_environment(const std::map<std::string, std::string>& env) {
    const auto lookup = [&](const std::string& name) -> const std::string* {
      const auto it = env.find(name);
      return it == env.end() ? nullptr : &it->second;
    };
    for (const Field& field : config::fields()) {
      // The summary's REDPANDA_* names first, so that the specific MIB_* name wins.
      for (const std::string& name : {field.env_alias, field.env_name()}) {
        if (name.empty()) continue;
        if (const std::string* value = lookup(name)) {
          apply(field, Raw{*value}, Origin::environment, {"environment variable " + name, 0});
        }
      }
    }
    for (const auto& [name, value] : env) {
      if (name.rfind("MIB_LIBRDKAFKA_", 0) == 0) {
        std::string property;
        for (char c : name.substr(15)) {
          property +=
              c == '_' ? '.' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        config_.librdkafka.all[property] = value;
        const std::string path = "librdkafka." + property;
        origins_[path] = Origin::environment;
        sources_[path] = {"environment variable " + name, 0};
      } else if (name.rfind("MIB_", 0) == 0 && in_known_section(name) && !is_field_env(name)) {
        std::string message = "unknown setting";
        if (const auto near = nearest_env(name); !near.empty()) {
          message += "; did you mean " + near + "?";
        }
        issues_.push_back(
            {{"environment variable " + name, 0}, name, "\"" + value + "\"", message});
      }
    }
  }

 private:
  // MIB_TEST_BROKERS and the like belong to other tools: only names under one of our
  // sections are ours to reject.
  static bool in_known_section(std::string_view name) {
    for (std::string_view section :
         {"MIB_BROKERS_", "MIB_SECURITY_", "MIB_CLIENT_", "MIB_PRODUCER_", "MIB_CONSUMER_",
          "MIB_TOPICS_", "MIB_STREAMS_", "MIB_GLOBAL_"}) {
      if (name.rfind(section, 0) == 0) return true;
    }
    return false;
  }
  static bool is_field_env(std::string_view name) {
    for (const Field& f : config::fields()) {
      if (f.env_name() == name) return true;
    }
    return false;
  }
  static std::string nearest_env(std::string_view name) {
    std::string best;
    std::size_t best_distance = 4;  // more than three edits is not a typo
    for (const Field& f : config::fields()) {
      const std::size_t distance = config::edit_distance(name, f.env_name());
      if (distance < best_distance) {
        best_distance = distance;
        best = f.env_name();
      }
    }
    return best;
  }

  ConfigSource where(const toml::node& node) const {
    return {source_name_, node.source().begin.line};
  }

  void walk(const toml::table& table, const std::string& parent) {
    for (const auto& [key, node] : table) {
      const std::string path = join_path(parent, key.str());
      if (path == "librdkafka") {
        load_librdkafka(node, where(node));
      } else if (const Field* field = config::find_field(path)) {
        if (auto raw = to_raw(node)) {
          apply(*field, *raw, Origin::file, where(node));
        } else {
          issues_.push_back({where(node), path, "(" + std::string{type_name(node)} + ")",
                             "wrong type: expected " + field->binding->allowed(*field)});
        }
      } else if (is_section(path)) {
        if (const toml::table* sub = node.as_table()) {
          walk(*sub, path);
        } else {
          issues_.push_back({where(node), path, "", "is a section and must be a table"});
        }
      } else {
        issues_.push_back({where(node), path, "", unknown_key_message(path)});
      }
    }
  }

  // [librdkafka] is passed through; bare dotted keys (socket.keepalive.enable = true) are
  // nested tables in TOML and are joined back into property names.
  void load_librdkafka(const toml::node& node, const ConfigSource& source) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      issues_.push_back({source, "librdkafka", "", "must be a table of librdkafka properties"});
      return;
    }
    for (const auto& [key, value] : *table) {
      const std::string_view k = key.str();
      if ((k == "producer" || k == "consumer" || k == "admin") && value.is_table()) {
        KafkaProperties& target = k == "producer"   ? config_.librdkafka.producer
                                  : k == "consumer" ? config_.librdkafka.consumer
                                                    : config_.librdkafka.admin;
        flatten(*value.as_table(), "", target, "librdkafka." + std::string{k});
      } else {
        flatten_one(value, std::string{k}, config_.librdkafka.all, "librdkafka");
      }
    }
  }

  void flatten(const toml::table& table, const std::string& prefix, KafkaProperties& target,
               const std::string& section) {
    for (const auto& [key, value] : table) {
      flatten_one(value, join_path(prefix, key.str()), target, section);
    }
  }

  void flatten_one(const toml::node& value, const std::string& name, KafkaProperties& target,
                   const std::string& section) {
    if (const toml::table* sub = value.as_table()) {
      flatten(*sub, name, target, section);
      return;
    }
    const std::string path = section + "." + name;
    std::optional<std::string> text;
    if (auto s = value.value<std::string>(); s && value.is_string()) text = *s;
    if (auto b = value.as_boolean()) text = b->get() ? "true" : "false";
    if (auto i = value.as_integer()) text = std::to_string(i->get());
    if (auto d = value.as_floating_point()) text = std::to_string(d->get());
    if (!text) {
      issues_.push_back({where(value), path, "",
                         "librdkafka properties are strings, numbers or "
                         "booleans"});
      return;
    }
    target[name] = *text;
    origins_[path] = Origin::file;
    sources_[path] = where(value);
  }

  static std::string_view type_name(const toml::node& node) {
    switch (node.type()) {
      case toml::node_type::table: return "a table";
      case toml::node_type::array: return "an array";
      case toml::node_type::string: return "a string";
      case toml::node_type::integer: return "an integer";
      case toml::node_type::floating_point: return "a float";
      case toml::node_type::boolean: return "a boolean";
      default: return "a date or time";
    }
  }

  static std::optional<Raw> to_raw(const toml::node& node) {
    if (auto b = node.as_boolean()) return Raw{b->get()};
    if (auto i = node.as_integer()) return Raw{i->get()};
    if (auto d = node.as_floating_point()) return Raw{d->get()};
    if (auto s = node.as_string()) return Raw{s->get()};
    if (auto array = node.as_array()) {
      std::vector<std::string> items;
      for (const auto& item : *array) {
        const auto* s = item.as_string();
        if (s == nullptr) return std::nullopt;
        items.push_back(s->get());
      }
      return Raw{std::move(items)};
    }
    return std::nullopt;
  }

  Config& config_;
  std::map<std::string, Origin, std::less<>>& origins_;
  std::map<std::string, ConfigSource, std::less<>>& sources_;
  std::vector<ConfigIssue>& issues_;
  std::string source_name_;
};

std::map<std::string, std::string> read_process_environment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text{*entry};
    const auto eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    const auto name = text.substr(0, eq);
    if (name.rfind("MIB_", 0) == 0 || name.rfind("REDPANDA_", 0) == 0) {
      env.emplace(name, text.substr(eq + 1));
    }
  }
  return env;
}

}  // namespace

ConfigBuilder& ConfigBuilder::file(const std::filesystem::path& path) {
  toml_ = Toml{{}, path.string(), path};
  return *this;
}

ConfigBuilder& ConfigBuilder::toml(std::string text, std::string source_name) {
  toml_ = Toml{std::move(text), std::move(source_name), {}};
  return *this;
}

ConfigBuilder& ConfigBuilder::environment(std::map<std::string, std::string> variables) {
  env_ = std::move(variables);
  process_env_ = false;
  return *this;
}

ConfigBuilder& ConfigBuilder::process_environment() {
  env_.reset();
  process_env_ = true;
  return *this;
}

ConfigBuilder& ConfigBuilder::set(std::string path, std::string value) {
  code_.emplace_back(std::move(path), std::move(value));
  return *this;
}

Config ConfigBuilder::build() const {
  std::vector<ConfigIssue> issues;
  Config config = build(issues);
  if (!issues.empty()) throw ConfigError{std::move(issues)};
  return config;
}

Config ConfigBuilder::build(std::vector<ConfigIssue>& issues) const {
  Config config;
  Loader loader{config, config.origins_, config.sources_, issues};
  if (toml_) {
    std::string text = toml_->text;
    bool readable = true;
    if (!toml_->path.empty()) {
      std::error_code ec;
      const auto& path = toml_->path;
      const auto size = std::filesystem::file_size(path, ec);
      std::ifstream in{path, std::ios::binary};
      if (ec || !in) {
        issues.push_back(
            {{toml_->source, 0},
             "(file)",
             "",
             "cannot read the file: " +
                 (ec ? ec.message() : std::string{"permission denied or not a file"})});
        readable = false;
      } else if (size > kMaxFileBytes) {
        issues.push_back({{toml_->source, 0},
                          "(file)",
                          "",
                          "file is " + std::to_string(size) +
                              " bytes; a configuration file may "
                              "have at most " +
                              std::to_string(kMaxFileBytes)});
        readable = false;
      } else {
        std::ostringstream content;
        content << in.rdbuf();
        text = std::move(content).str();
      }
    }
    if (readable) loader.load_toml(text, toml_->source);
  }
  if (env_) loader.load_environment(*env_);
  if (process_env_) loader.load_environment(read_process_environment());
  for (const auto& [path, value] : code_) {
    if (const Field* field = config::find_field(path)) {
      loader.apply(*field, Raw{value}, Origin::code, {"code", 0});
    } else {
      issues.push_back({{"code", 0}, path, "\"" + value + "\"", unknown_key_message(path)});
    }
  }
  for (auto& issue : config.validate()) issues.push_back(std::move(issue));
  // In the order of the file (TOML tables iterate by key), then the other sources.
  std::stable_sort(issues.begin(), issues.end(), [](const ConfigIssue& a, const ConfigIssue& b) {
    return std::tie(a.source.name, a.source.line) < std::tie(b.source.name, b.source.line);
  });
  return config;
}

}  // namespace mib
