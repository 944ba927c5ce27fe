// What every command that talks to a cluster shares: -b, -F and -X, as kcat spells them,
// and the configuration they make with the file and the environment.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mib/config/config.hpp"

namespace mib::cli {

struct ConnectionOptions {
  std::optional<std::string> brokers;   // -b; given but empty is a usage error
  std::string config_file;              // -F
  std::vector<std::string> properties;  // -X name=value, raw librdkafka properties
};

// Registers -b/--brokers, -F/--config and -X/--property on `command`.
void add_connection_options(CLI::App& command, ConnectionOptions& options);

// The file (if any) and the environment, then -b and -X, which win. A malformed or empty
// broker list, or a property librdkafka rejects, is a bad option (CLI::ValidationError,
// exit 2) naming the flag, not a cluster problem. Also sets the log format of the
// process's logger from global.log_format.
Config load_config(const ConnectionOptions& options);

}  // namespace mib::cli
