// `mib-stream cluster` (or `-L`, as kcat): the cluster's id, controller, brokers with
// their racks, topics and partitions.
#include <iostream>
#include <memory>
#include <string>

#include "admin_cli.hpp"
#include "cli_config.hpp"
#include "commands.hpp"
#include "interrupt.hpp"
#include "json_out.hpp"
#include "mib/client/client.hpp"

namespace mib::cli {
namespace {

struct ClusterOptions {
  AdminOptions admin;
  std::string topic;  // only this one; empty: all
};

void print_json(const ClusterDescription& cluster, const ClusterMetadata& md,
                const std::string& only) {
  JsonOut json;
  json.begin_object()
      .field("cluster_id", cluster.cluster_id)
      .field("controller", cluster.controller)
      .key("brokers")
      .begin_array();
  for (const auto& b : cluster.brokers) {
    json.begin_object()
        .field("id", b.id)
        .field("host", b.host)
        .field("port", static_cast<std::int64_t>(b.port))
        .field("rack", b.rack)
        .end_object();
  }
  json.end_array().key("topics").begin_array();
  for (const TopicInfo& topic : md.topics) {
    if (!only.empty() && topic.name != only) continue;
    json.begin_object().field("name", topic.name).key("partitions");
    write_partitions(json, topic.partitions);
    json.end_object();
  }
  std::cout << json.end_array().end_object().text() << '\n';
}

void print_text(const ClusterDescription& cluster, const ClusterMetadata& md,
                const std::string& only) {
  std::cout << "cluster " << (cluster.cluster_id.empty() ? "(no id)" : cluster.cluster_id)
            << ", controller " << cluster.controller << '\n'
            << cluster.brokers.size() << " brokers:\n";
  for (const BrokerDescription& broker : cluster.brokers) {
    std::cout << "  broker " << broker.id << " at " << broker.host << ':' << broker.port
              << (broker.rack ? ", rack " + *broker.rack : "")
              << (broker.id == cluster.controller ? " (controller)" : "") << '\n';
  }
  std::cout << (only.empty() ? md.topics.size() : 1) << " topics:\n";
  for (const TopicInfo& topic : md.topics) {
    if (!only.empty() && topic.name != only) continue;
    std::cout << "  topic \"" << topic.name << "\" with " << topic.partitions.size()
              << " partitions" << (topic.error ? ": " + topic.error.message() : "") << '\n';
    for (const PartitionInfo& p : topic.partitions) {
      std::cout << "    partition " << p.id << ", leader " << p.leader
                << ", replicas: " << join_ids(p.replicas) << ", isrs: " << join_ids(p.isr)
                << (p.error ? ", " + p.error.message() : "") << '\n';
    }
  }
}

int run_cluster(const ClusterOptions& options) {
  watch_interrupts();
  const Config config = load_config(options.admin.connection);
  const Client client{config};
  if (const Error err = client.wait_for_cluster(config.client.connection_timeout, interrupted)) {
    if (interrupted()) return interrupted_status();
    std::cerr << "mib-stream: " << err.message() << '\n';
    return 1;
  }
  const ClusterMetadata md = client.metadata(config.client.request_timeout);
  if (!options.topic.empty() && md.topic(options.topic) == nullptr) {
    std::cerr << "mib-stream: unknown topic '" << options.topic << "'\n";
    return 1;
  }
  const ClusterDescription cluster = client.admin().describe_cluster();  // with racks
  if (options.admin.json) {
    print_json(cluster, md, options.topic);
  } else {
    print_text(cluster, md, options.topic);
  }
  return 0;
}

}  // namespace

void add_cluster(CLI::App& app) {
  auto options = std::make_shared<ClusterOptions>();
  auto* cmd = app.add_subcommand(
      "cluster", "List the cluster's brokers, topics and partitions (like kcat -L; also -L)");
  add_admin_options(*cmd, options->admin);
  cmd->add_option("-t,--topic", options->topic, "only this topic");
  cmd->callback([options] {
    if (const int code = run_cluster(*options); code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace mib::cli
