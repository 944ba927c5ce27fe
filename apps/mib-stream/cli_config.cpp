#include "cli_config.hpp"

#include "mib/log.hpp"

namespace mib::cli {
namespace {

std::string check_property(const std::string& text) {
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0) return "expected name=value, got '" + text + "'";
  return {};
}

}  // namespace

void add_connection_options(CLI::App& command, ConnectionOptions& options) {
  command.add_option("-b,--brokers", options.brokers,
                     "bootstrap servers, comma-separated; default: from the configuration");
  command.add_option("-F,--config", options.config_file,
                     "TOML configuration file; the environment applies over it");
  command
      .add_option("-X,--property", options.properties,
                  "librdkafka property name=value, over the configuration; repeatable")
      ->check(CLI::Validator{check_property, "NAME=VALUE"});
}

Config load_config(const ConnectionOptions& options) {
  Config config = options.config_file.empty()
                      ? Config::from_environment()
                      : Config::builder().file(options.config_file).process_environment().build();
  if (options.brokers) {
    if (options.brokers->find_first_not_of(" ,") == std::string::npos) {
      throw CLI::ValidationError("--brokers", "is empty; give host:port[,host:port...]");
    }
    config.set("brokers.addresses", *options.brokers);
  }
  for (const std::string& text : options.properties) {
    const auto equals = text.find('=');
    config.librdkafka.all[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const ConfigIssue& issue : config.validate()) {
    if (options.brokers && issue.path == "brokers.addresses") {
      throw CLI::ValidationError("--brokers", issue.message);
    }
    if (!options.properties.empty() && issue.path.starts_with("librdkafka")) {
      throw CLI::ValidationError("-X", issue.message);
    }
  }
  log::set_format(config.global.log_format);
  log::set_level(config.global.log_level);
  // librdkafka's `debug` contexts ask for debug lines: show them unless a level was set.
  const bool debug_asked =
      config.librdkafka.all.contains("debug") || config.librdkafka.producer.contains("debug") ||
      config.librdkafka.consumer.contains("debug") || config.librdkafka.admin.contains("debug");
  if (debug_asked && config.origin("global.log_level") == Origin::default_value) {
    log::set_level(LogLevel::debug);
  }
  return config;
}

}  // namespace mib::cli
