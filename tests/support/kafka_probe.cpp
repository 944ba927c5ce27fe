#include "support/kafka_probe.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mib::test {

namespace {

// One shell word: the text in single quotes, each ' inside as '\''.
std::string shell_quoted(std::string_view text) {
  std::string out{"'"};
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

// The directory of the broker's jars; scripts/kafka fetches them on first use.
const std::string& kafka_libs() {
  static const std::string libs = [] {
    const auto run = run_command(shell_quoted(MIB_SOURCE_DIR "/scripts/kafka") + " libs");
    if (run.exit_code != 0) throw std::runtime_error{"scripts/kafka libs failed"};
    return trimmed(run.output);
  }();
  return libs;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in{path};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string probe(const std::vector<std::string>& args, const std::string& brokers,
                  const std::optional<SaslUser>& user) {
  const std::string tools = MIB_SOURCE_DIR "/tools/kafka";
  std::string command =
      concat("java -Dlog4j2.configurationFile=", shell_quoted(tools + "/quiet-log4j2.properties"),
             " -cp ", shell_quoted(kafka_libs() + "/*"), " ",
             shell_quoted(tools + "/AdminProbe.java"), " --bootstrap ", shell_quoted(brokers));
  if (user) {
    command += concat(" --sasl-plain ", shell_quoted(concat(user->username, ":", user->password)));
  }
  std::string shown = "AdminProbe";
  for (const auto& arg : args) {
    command += concat(" ", shell_quoted(arg));
    shown += concat(" ", arg);
  }
  const auto errors = std::filesystem::path{::testing::TempDir()} / unique_name("probe-stderr");
  const auto run = run_command(concat(command, " 2>", shell_quoted(errors.string())));
  const std::string stderr_text = read_file(errors);
  std::filesystem::remove(errors);
  if (run.exit_code != 0) {
    throw std::runtime_error{concat(shown, " on ", brokers, " failed (exit ",
                                    std::to_string(run.exit_code), "): ", trimmed(stderr_text))};
  }
  return trimmed(run.output);
}

}  // namespace mib::test
