// mib-stream: market data through Kafka-compatible clusters, from the command line.
#include <algorithm>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "mib/error.hpp"
#include "mib/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"mib-stream: stream market data through Redpanda or any Kafka-compatible cluster"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string{"mib-stream "} + std::string{mib::version()} +
                                        " (librdkafka " + std::string{mib::librdkafka_version()} +
                                        ")");
  mib::cli::add_demo(app);
  mib::cli::add_config(app);
  mib::cli::add_produce(app);
  mib::cli::add_consume(app);
  mib::cli::add_cluster(app);
  mib::cli::add_topic(app);
  mib::cli::add_topics(app);
  mib::cli::add_group(app);
  mib::cli::add_acl(app);
  mib::cli::add_nexmark(app);

  std::vector<std::string> args{argv + 1, argv + argc};
  if (!args.empty() && args.front() == "-L") args.front() = "cluster";  // kcat's metadata mode
  // CLI11 would say "A subcommand is required" of a misspelt one; name it instead.
  if (!args.empty() && !args.front().starts_with('-')) {
    std::string names;
    bool known = false;
    for (const CLI::App* command : std::as_const(app).get_subcommands({})) {
      names += (names.empty() ? "" : ", ") + command->get_name();
      known = known || command->get_name() == args.front();
    }
    if (!known) {
      std::cerr << "mib-stream: unknown command '" << args.front() << "'; the commands are "
                << names << " (mib-stream --help)\n";
      return 2;
    }
  }
  try {
    std::reverse(args.begin(), args.end());  // CLI11 takes them last first
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // A command's own failure keeps its status (CLI::RuntimeError); a usage mistake, a bad
    // option or value, exits 2 as with most Unix tools.
    return code == 0 || dynamic_cast<const CLI::RuntimeError*>(&e) != nullptr ? code : 2;
  } catch (const mib::Exception& e) {
    std::cerr << "mib-stream: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
