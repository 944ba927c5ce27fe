// The subcommands of mib-stream; each registers its options and its action.
#pragma once

#include <CLI/CLI.hpp>

namespace mib::cli {

void add_demo(CLI::App& app);
void add_config(CLI::App& app);
void add_produce(CLI::App& app);
void add_consume(CLI::App& app);
void add_cluster(CLI::App& app);
void add_topic(CLI::App& app);
void add_topics(CLI::App& app);
void add_group(CLI::App& app);
void add_acl(CLI::App& app);
void add_nexmark(CLI::App& app);

}  // namespace mib::cli
