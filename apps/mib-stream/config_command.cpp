// `mib-stream config check|show FILE`: validate a configuration, or print what it means.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "mib/config/config.hpp"

namespace mib::cli {
namespace {

Config load(const std::string& file, std::vector<ConfigIssue>& issues) {
  return Config::builder().file(file).process_environment().build(issues);
}

void print_issues(const std::vector<ConfigIssue>& issues) {
  for (const auto& issue : issues) std::cerr << issue.to_string() << '\n';
  std::cerr << issues.size() << " problem" << (issues.size() == 1 ? "" : "s") << " found\n";
}

// "config/prod.toml:14: warning: global.metrics_port has no effect yet (metrics are not
// served by this version)": keys set that nothing reads yet. Warnings, not problems.
void print_warnings(const Config& config, const std::vector<ConfigIssue>& issues) {
  for (const auto& warning : config.warnings()) {
    // A key with a problem (say, health_port equal to metrics_port) is reported once, as that.
    const auto same_path = [&](const ConfigIssue& i) { return i.path == warning.path; };
    if (std::any_of(issues.begin(), issues.end(), same_path)) continue;
    std::string where = warning.source.name;
    if (warning.source.line > 0) {
      where += ':';
      where += std::to_string(warning.source.line);
    }
    std::cerr << where << ": warning: " << warning.path << ' ' << warning.message << '\n';
  }
}

int check(const std::string& file) {
  std::vector<ConfigIssue> issues;
  const Config config = load(file, issues);
  print_warnings(config, issues);
  if (!issues.empty()) {
    print_issues(issues);
    return 1;
  }
  std::cout << file << ": ok\n";
  return 0;
}

std::string describe_origin(const EffectiveSetting& s) {
  std::string out{to_string(s.origin)};
  if (s.origin != Origin::default_value && !s.source.name.empty()) {
    out += " (" + s.source.name;
    if (s.source.line > 0) out += ":" + std::to_string(s.source.line);
    out += ")";
  }
  return out;
}

int show(const std::string& file) {
  std::vector<ConfigIssue> issues;
  const Config config = load(file, issues);
  std::size_t width = 0;
  const auto settings = config.effective();
  for (const auto& s : settings) width = std::max(width, s.path.size() + s.value.size() + 3);
  for (const auto& s : settings) {
    const std::string line = s.path + " = " + s.value;
    std::printf("%-*s  # %s\n", static_cast<int>(width), line.c_str(), describe_origin(s).c_str());
  }
  for (const auto& [section, properties] : {std::pair{"librdkafka", &config.librdkafka.all},
                                            {"librdkafka.producer", &config.librdkafka.producer},
                                            {"librdkafka.consumer", &config.librdkafka.consumer},
                                            {"librdkafka.admin", &config.librdkafka.admin}}) {
    for (const auto& [name, value] : *properties) {
      // Raw properties may hold secrets too (sasl.password, ssl.key.password, ...).
      const bool secret = name.find("password") != std::string::npos ||
                          name.find("secret") != std::string::npos ||
                          name.find("oauthbearer.config") != std::string::npos;
      std::printf("%s.\"%s\" = \"%s\"  # %s\n", section, name.c_str(),
                  secret ? "******" : value.c_str(),
                  to_string(config.origin(std::string{section} + "." + name)).data());
    }
  }
  if (!issues.empty()) {
    print_issues(issues);
    return 1;
  }
  return 0;
}

}  // namespace

void add_config(CLI::App& app) {
  auto* cmd = app.add_subcommand("config", "Check or show a configuration file");
  cmd->require_subcommand(1);
  auto file = std::make_shared<std::string>();
  auto* check_cmd = cmd->add_subcommand(
      "check", "Validate FILE with the environment applied; print every problem, exit 1 if any");
  check_cmd->add_option("file", *file, "TOML configuration file")->required();
  check_cmd->callback([file] {
    if (const int code = check(*file); code != 0) throw CLI::RuntimeError(code);
  });
  auto* show_cmd = cmd->add_subcommand(
      "show", "Print every effective setting (secrets redacted) and where it came from");
  show_cmd->add_option("file", *file, "TOML configuration file")->required();
  show_cmd->callback([file] {
    if (const int code = show(*file); code != 0) throw CLI::RuntimeError(code);
  });
  cmd->add_subcommand("reference", "Print a commented TOML file with every key and its default")
      ->callback([] { std::cout << Config::reference(); });
}

}  // namespace mib::cli
