// What the admin commands (topic, group, acl, cluster, topics) share: the connection
// flags and --json, an Admin that has reached the cluster, and small formatting helpers.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli_config.hpp"
#include "json_out.hpp"
#include "mib/admin/admin.hpp"

namespace mib::cli {

struct AdminOptions {
  ConnectionOptions connection;
  bool json = false;  // one JSON document on stdout instead of tables
};

// Registers -b/-F/-X and --json on `command`.
void add_admin_options(CLI::App& command, AdminOptions& options);

// An Admin on the configured cluster, once a broker answered within
// client.connection_timeout; throws mib::Exception saying why none did (exit 1).
Admin connect_admin(const ConnectionOptions& connection);

// "key=value" of `flag`, or a usage error (exit 2) naming the flag.
std::pair<std::string, std::string> key_value(const std::string& text, const std::string& flag);

// [{"partition","leader","replicas":[..],"isr":[..]}, ...]
void write_partitions(JsonOut& json, const std::vector<PartitionInfo>& partitions);

// "1,2,3"
std::string join_ids(const std::vector<std::int32_t>& ids);
// The number, or "-" for none.
std::string or_dash(const std::optional<std::int64_t>& n);

}  // namespace mib::cli
