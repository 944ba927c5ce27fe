// Topic and broker configuration entries, and the changes the admin API applies to them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mib {

// Where a config value comes from, as the broker says (DescribeConfigs).
enum class ConfigValueSource {
  unknown,
  dynamic_topic,           // set on this topic
  dynamic_broker,          // set on this broker at run time
  dynamic_default_broker,  // set at run time for every broker
  static_broker,           // the broker's server.properties
  default_config,          // Kafka's default
};
// Kafka's names, as its tools print them: "DYNAMIC_TOPIC_CONFIG", "DEFAULT_CONFIG", ...
std::string_view to_string(ConfigValueSource source) noexcept;

struct ConfigEntry {
  std::string name{};
  std::optional<std::string> value{};  // none for a sensitive value or one without a value
  ConfigValueSource source = ConfigValueSource::unknown;
  bool read_only = false;
  bool sensitive = false;

  bool is_default() const noexcept { return source == ConfigValueSource::default_config; }
};

inline const ConfigEntry* find_config(const std::vector<ConfigEntry>& entries,
                                      std::string_view name) {
  for (const auto& e : entries) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

// What a config change applies to: a topic by name, or a broker by id ("1").
struct ConfigResource {
  enum class Kind { topic, broker };
  Kind kind = Kind::topic;
  std::string name{};

  static ConfigResource topic(std::string name) { return {Kind::topic, std::move(name)}; }
  static ConfigResource broker(int id) { return {Kind::broker, std::to_string(id)}; }
  // "topic 'trades'" or "broker 1", for messages.
  std::string describe() const;
};

// One change to one key, with Kafka's incremental semantics (IncrementalAlterConfigs):
// set a value, remove a dynamic value (back to the default), or append to / subtract from
// a list value such as cleanup.policy.
//
//   mib::ConfigChange::set("retention.ms", "3600000")
//   mib::ConfigChange::append("cleanup.policy", "compact")
struct ConfigChange {
  enum class Op { set, remove, append, subtract };
  Op op = Op::set;
  std::string name{};
  std::string value{};

  static ConfigChange set(std::string name, std::string value) {
    return {Op::set, std::move(name), std::move(value)};
  }
  static ConfigChange remove(std::string name) { return {Op::remove, std::move(name), {}}; }
  static ConfigChange append(std::string name, std::string value) {
    return {Op::append, std::move(name), std::move(value)};
  }
  static ConfigChange subtract(std::string name, std::string value) {
    return {Op::subtract, std::move(name), std::move(value)};
  }
};

}  // namespace mib
