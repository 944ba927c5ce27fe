// mib-stream: market data through Kafka-compatible clusters, from the command line.
#include <iostream>

#include "commands.hpp"
#include "mib/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"mib-stream: stream market data through Redpanda or any Kafka-compatible cluster"};
  app.require_subcommand(1);
  mib::cli::add_demo(app);
  mib::cli::add_config(app);
  mib::cli::add_produce(app);
  mib::cli::add_consume(app);
  try {
    app.parse(argc, argv);
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
