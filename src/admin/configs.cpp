// Topic and broker configs: describe, and alter with incremental semantics done as a
// read-modify-write of the full set (librdkafka 2.0.2 has no IncrementalAlterConfigs).
#include <algorithm>
#include <map>

#include "admin/admin_impl.hpp"

namespace mib {

std::string_view to_string(ConfigValueSource source) noexcept {
  switch (source) {
    case ConfigValueSource::dynamic_topic: return "DYNAMIC_TOPIC_CONFIG";
    case ConfigValueSource::dynamic_broker: return "DYNAMIC_BROKER_CONFIG";
    case ConfigValueSource::dynamic_default_broker: return "DYNAMIC_DEFAULT_BROKER_CONFIG";
    case ConfigValueSource::static_broker: return "STATIC_BROKER_CONFIG";
    case ConfigValueSource::default_config: return "DEFAULT_CONFIG";
    case ConfigValueSource::unknown: break;
  }
  return "UNKNOWN_CONFIG";
}

std::string ConfigResource::describe() const {
  return kind == Kind::topic ? "topic '" + name + "'" : "broker " + name;
}

namespace {

struct ResourceDeleter {
  void operator()(rd_kafka_ConfigResource_t* r) const noexcept {
    rd_kafka_ConfigResource_destroy(r);
  }
};
using Resource = std::unique_ptr<rd_kafka_ConfigResource_t, ResourceDeleter>;

Resource make_resource(const ConfigResource& r) {
  return Resource{rd_kafka_ConfigResource_new(
      r.kind == ConfigResource::Kind::topic ? RD_KAFKA_RESOURCE_TOPIC : RD_KAFKA_RESOURCE_BROKER,
      r.name.c_str())};
}

ConfigValueSource to_source(rd_kafka_ConfigSource_t source) {
  switch (source) {
    case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG: return ConfigValueSource::dynamic_topic;
    case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG: return ConfigValueSource::dynamic_broker;
    case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG:
      return ConfigValueSource::dynamic_default_broker;
    case RD_KAFKA_CONFIG_SOURCE_STATIC_BROKER_CONFIG: return ConfigValueSource::static_broker;
    case RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG: return ConfigValueSource::default_config;
    default: return ConfigValueSource::unknown;
  }
}

// The one resource of a DescribeConfigs / AlterConfigs result, its error checked.
const rd_kafka_ConfigResource_t* only_resource(const rd_kafka_ConfigResource_t** resources,
                                               std::size_t count, std::string_view what) {
  if (count != 1) {
    throw Exception{Error{errc::bad_message, std::string{what} + ": the broker answered for " +
                                                 std::to_string(count) + " resources, not 1"}};
  }
  admin::check(rd_kafka_ConfigResource_error(resources[0]),
               rd_kafka_ConfigResource_error_string(resources[0]), what);
  return resources[0];
}

}  // namespace

namespace admin {

std::vector<std::string> split_list(std::string_view value) {
  std::vector<std::string> items;
  while (!value.empty()) {
    const auto comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return items;
}

std::string join_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

}  // namespace admin

std::vector<ConfigEntry> Admin::describe_configs(const ConfigResource& resource) const {
  const std::string what = "describe configs of " + resource.describe();
  Resource spec = make_resource(resource);
  rd_kafka_ConfigResource_t* specs[] = {spec.get()};
  const auto options = impl_->options(RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
  const auto event = impl_->call(what, [&](rd_kafka_queue_t* queue) {
    rd_kafka_DescribeConfigs(impl_->rk(), specs, 1, options.get(), queue);
  });
  std::size_t count = 0;
  const auto** resources = rd_kafka_DescribeConfigs_result_resources(
      rd_kafka_event_DescribeConfigs_result(event.get()), &count);
  const auto* answered = only_resource(resources, count, what);
  std::size_t entry_count = 0;
  const auto** entries = rd_kafka_ConfigResource_configs(answered, &entry_count);
  std::vector<ConfigEntry> out;
  out.reserve(entry_count);
  for (std::size_t i = 0; i < entry_count; ++i) {
    const auto* e = entries[i];
    ConfigEntry entry{
        rd_kafka_ConfigEntry_name(e), std::nullopt, to_source(rd_kafka_ConfigEntry_source(e)),
        rd_kafka_ConfigEntry_is_read_only(e) != 0, rd_kafka_ConfigEntry_is_sensitive(e) != 0};
    if (const char* value = rd_kafka_ConfigEntry_value(e)) entry.value = value;
    out.push_back(std::move(entry));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

void Admin::alter_configs(const ConfigResource& resource, const std::vector<ConfigChange>& changes,
                          bool validate_only) const {
  return impl_->audited(validate_only ? "" : "alter_configs", resource.describe(), [&] {
    const std::string what = "alter configs of " + resource.describe();
    for (std::size_t i = 0; i < changes.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (changes[i].name == changes[j].name) {  // the order would decide: say so instead
          throw Exception{Error{errc::invalid_argument,
                                what + ": '" + changes[i].name + "' is changed twice in one call"}};
        }
      }
    }
    const std::vector<ConfigEntry> current = describe_configs(resource);
    // The values set on this resource itself: AlterConfigs replaces exactly these.
    const ConfigValueSource own = resource.kind == ConfigResource::Kind::topic
                                      ? ConfigValueSource::dynamic_topic
                                      : ConfigValueSource::dynamic_broker;
    std::map<std::string, std::string> next;
    std::vector<std::string> hidden;  // dynamic values the broker does not reveal
    for (const ConfigEntry& e : current) {
      if (e.source != own) continue;
      if (e.value) {
        next[e.name] = *e.value;
      } else {
        hidden.push_back(e.name);
      }
    }
    for (const ConfigChange& change : changes) {
      const ConfigEntry* entry = find_config(current, change.name);
      std::vector<std::string> items;
      switch (change.op) {
        case ConfigChange::Op::set: next[change.name] = change.value; break;
        case ConfigChange::Op::remove: next.erase(change.name); break;
        case ConfigChange::Op::append:
        case ConfigChange::Op::subtract: {
          // From the value in force (this resource's own, else the inherited one).
          const auto in_force = next.contains(change.name) ? std::optional{next[change.name]}
                                : entry != nullptr         ? entry->value
                                                           : std::nullopt;
          items = admin::split_list(in_force.value_or(""));
          for (const std::string& item : admin::split_list(change.value)) {
            const auto at = std::find(items.begin(), items.end(), item);
            if (change.op == ConfigChange::Op::append && at == items.end()) items.push_back(item);
            if (change.op == ConfigChange::Op::subtract && at != items.end()) items.erase(at);
          }
          next[change.name] = admin::join_list(items);
          break;
        }
      }
      std::erase(hidden, change.name);  // the change gives it a value (or removes it)
    }
    if (!hidden.empty()) {
      // Rewriting the set without them would delete them.
      throw Exception{Error{errc::invalid_config,
                            what + ": " + hidden.front() +
                                " is set on it but the broker does not reveal its value (a "
                                "sensitive config), so the full-set rewrite librdkafka 2.0.2 "
                                "allows would delete it; set it again in the same call"}};
    }
    Resource spec = make_resource(resource);
    for (const auto& [name, value] : next) {
      if (const auto err =
              rd_kafka_ConfigResource_set_config(spec.get(), name.c_str(), value.c_str())) {
        admin::check(err, ("config '" + name + "'").c_str(), what);
      }
    }
    rd_kafka_ConfigResource_t* specs[] = {spec.get()};
    const auto options = impl_->options(RD_KAFKA_ADMIN_OP_ALTERCONFIGS, validate_only);
    const auto event = impl_->call(what, [&](rd_kafka_queue_t* queue) {
      rd_kafka_AlterConfigs(impl_->rk(), specs, 1, options.get(), queue);
    });
    std::size_t count = 0;
    const auto** resources = rd_kafka_AlterConfigs_result_resources(
        rd_kafka_event_AlterConfigs_result(event.get()), &count);
    only_resource(resources, count, what);
  });
}

}  // namespace mib
