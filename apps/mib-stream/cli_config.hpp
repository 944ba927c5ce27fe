// The configuration a command runs with: -F/-c FILE and the environment, then --brokers.
#pragma once

#include <string>

#include "mib/config/config.hpp"

namespace mib::cli {

// The file (if any) and the environment, then --brokers, which wins. A malformed broker
// list is a bad option (CLI::ValidationError, exit 2), not a cluster problem.
Config load_config(const std::string& config_file, const std::string& brokers);

}  // namespace mib::cli
