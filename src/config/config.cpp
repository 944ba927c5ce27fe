#include "mib/config/config.hpp"

#include "config/schema.hpp"

namespace mib {

std::string_view to_string(Origin origin) noexcept {
  switch (origin) {
    case Origin::default_value: return "default";
    case Origin::file: return "file";
    case Origin::environment: return "environment";
    case Origin::code: return "code";
  }
  return "?";
}

std::string ConfigIssue::to_string() const {
  std::string out = source.name.empty() ? "config" : source.name;
  // Appended piece by piece: GCC 12 warns (-Wrestrict, falsely) on "literal" + string&&.
  if (source.line > 0) {
    out += ':';
    out += std::to_string(source.line);
  }
  out += ": ";
  out += path;
  if (!value.empty()) {
    out += " = ";
    out += value;
  }
  out += ": ";
  out += message;
  return out;
}

namespace {
std::string join_issues(const std::vector<ConfigIssue>& issues) {
  std::string out = std::to_string(issues.size()) + " configuration problem" +
                    (issues.size() == 1 ? "" : "s") + ":";
  for (const auto& issue : issues) out += "\n  " + issue.to_string();
  return out;
}
}  // namespace

ConfigError::ConfigError(std::vector<ConfigIssue> issues)
    : Exception(Error{errc::invalid_argument, join_issues(issues)}), issues_(std::move(issues)) {}

Config Config::load(const std::filesystem::path& file) {
  return builder().file(file).process_environment().build();
}

Config Config::from_environment() {
  return builder().process_environment().build();
}

ConfigBuilder Config::builder() {
  return {};
}

Origin Config::origin(std::string_view path) const {
  const auto it = origins_.find(path);
  return it == origins_.end() ? Origin::default_value : it->second;
}

std::vector<EffectiveSetting> Config::effective() const {
  std::vector<EffectiveSetting> out;
  for (const config::Field& field : config::fields()) {
    EffectiveSetting setting{field.path, field.binding->show(*this), origin(field.path), {}};
    if (const auto it = sources_.find(field.path); it != sources_.end())
      setting.source = it->second;
    out.push_back(std::move(setting));
  }
  return out;
}

void Config::set(std::string_view path, std::string_view value) {
  const config::Field* field = config::find_field(path);
  std::string problem;
  if (field == nullptr) {
    problem = "unknown key";
    if (auto near = config::suggestions(path); !near.empty()) {
      problem += "; did you mean '" + near.front() + "'?";
    }
  } else {
    problem = field->binding->assign(*this, config::Raw{std::string{value}}, *field);
  }
  if (!problem.empty()) {
    throw ConfigError{{ConfigIssue{{"code", 0},
                                   std::string{path},
                                   config::describe(config::Raw{std::string{value}}, field),
                                   problem}}};
  }
  origins_[std::string{path}] = Origin::code;
  sources_[std::string{path}] = ConfigSource{"code", 0};
}

}  // namespace mib
