#include "cli_config.hpp"

#include <CLI/CLI.hpp>

namespace mib::cli {

Config load_config(const std::string& config_file, const std::string& brokers) {
  Config config = config_file.empty()
                      ? Config::from_environment()
                      : Config::builder().file(config_file).process_environment().build();
  if (!brokers.empty()) {
    config.set("brokers.addresses", brokers);
    for (const ConfigIssue& issue : config.validate()) {
      if (issue.path == "brokers.addresses") {
        throw CLI::ValidationError("--brokers", issue.message);
      }
    }
  }
  return config;
}

}  // namespace mib::cli
