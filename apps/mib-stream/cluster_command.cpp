// `mib-stream cluster` (or `-L`, as kcat): the cluster's brokers, topics and partitions.
#include <iostream>
#include <memory>
#include <string>

#include "cli_config.hpp"
#include "commands.hpp"
#include "interrupt.hpp"
#include "mib/client/client.hpp"

namespace mib::cli {
namespace {

struct ClusterOptions {
  ConnectionOptions connection;
  std::string topic;  // only this one; empty: all
};

std::string join(const std::vector<std::int32_t>& ids) {
  std::string out;
  for (const auto id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

int run_cluster(const ClusterOptions& options) {
  watch_interrupts();
  const Config config = load_config(options.connection);
  const Client client{config};
  if (const Error err = client.wait_for_cluster(config.client.connection_timeout, interrupted)) {
    if (interrupted()) return interrupted_status();
    std::cerr << "mib-stream: " << err.message() << '\n';
    return 1;
  }
  const ClusterMetadata md = client.metadata(config.client.request_timeout);
  std::cout << "cluster " << (md.cluster_id.empty() ? "(no id)" : md.cluster_id) << ", controller "
            << md.controller << '\n'
            << md.brokers.size() << " brokers:\n";
  for (const BrokerInfo& broker : md.brokers) {
    std::cout << "  broker " << broker.id << " at " << broker.host << ':' << broker.port
              << (broker.id == md.controller ? " (controller)" : "") << '\n';
  }
  std::size_t shown = 0;
  for (const TopicInfo& topic : md.topics)
    shown += options.topic.empty() || topic.name == options.topic;
  std::cout << shown << " topics:\n";
  for (const TopicInfo& topic : md.topics) {
    if (!options.topic.empty() && topic.name != options.topic) continue;
    std::cout << "  topic \"" << topic.name << "\" with " << topic.partitions.size()
              << " partitions" << (topic.error ? ": " + topic.error.message() : "") << '\n';
    for (const PartitionInfo& p : topic.partitions) {
      std::cout << "    partition " << p.id << ", leader " << p.leader
                << ", replicas: " << join(p.replicas) << ", isrs: " << join(p.isr)
                << (p.error ? ", " + p.error.message() : "") << '\n';
    }
  }
  if (!options.topic.empty() && shown == 0) {
    std::cerr << "mib-stream: unknown topic '" << options.topic << "'\n";
    return 1;
  }
  return 0;
}

}  // namespace

void add_cluster(CLI::App& app) {
  auto options = std::make_shared<ClusterOptions>();
  auto* cmd = app.add_subcommand(
      "cluster", "List the cluster's brokers, topics and partitions (like kcat -L; also -L)");
  add_connection_options(*cmd, options->connection);
  cmd->add_option("-t,--topic", options->topic, "only this topic");
  cmd->callback([options] {
    if (const int code = run_cluster(*options); code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace mib::cli
