#include "admin_cli.hpp"

#include "interrupt.hpp"

namespace mib::cli {

void add_admin_options(CLI::App& command, AdminOptions& options) {
  add_connection_options(command, options.connection);
  command.add_flag("--json", options.json, "print one JSON document (schema: docs/admin.md)");
}

Admin connect_admin(const ConnectionOptions& connection) {
  watch_interrupts();
  Admin admin{load_config(connection)};
  if (Error err = admin.wait_for_cluster(admin.config().client.connection_timeout, interrupted)) {
    if (interrupted()) throw CLI::RuntimeError(interrupted_status());
    throw Exception{std::move(err)};
  }
  return admin;
}

std::pair<std::string, std::string> key_value(const std::string& text, const std::string& flag) {
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw CLI::ValidationError(flag, "expected key=value, got '" + text + "'");
  }
  return {text.substr(0, equals), text.substr(equals + 1)};
}

void write_partitions(JsonOut& json, const std::vector<PartitionInfo>& partitions) {
  json.begin_array();
  for (const auto& p : partitions) {
    json.begin_object().field("partition", p.id).field("leader", p.leader).key("replicas");
    json.begin_array();
    for (const auto r : p.replicas) json.value(r);
    json.end_array().key("isr").begin_array();
    for (const auto r : p.isr) json.value(r);
    json.end_array().end_object();
  }
  json.end_array();
}

std::string join_ids(const std::vector<std::int32_t>& ids) {
  std::string out;
  for (const auto id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

std::string or_dash(const std::optional<std::int64_t>& n) {
  return n ? std::to_string(*n) : "-";
}

}  // namespace mib::cli
