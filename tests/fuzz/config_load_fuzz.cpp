// libFuzzer harness: any bytes as a TOML configuration file (mib::ConfigBuilder::toml, no
// environment). Beyond "never crashes" or throws: every problem says what is wrong; a
// file without problems gives a config whose own validation agrees, whose librdkafka
// properties can be made, and whose settings as `config show` writes them load back to
// the same settings.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "mib/config/config.hpp"

namespace {

constexpr std::string_view harness = "config";

mib::Config load(std::string text, std::vector<mib::ConfigIssue>& issues) {
  return mib::Config::builder()
      .toml(std::move(text), "fuzz.toml")
      .environment(std::map<std::string, std::string>{})
      .build(issues);
}

// The settings read from the file, as `config show` prints them, as one TOML document of
// dotted keys.
std::string shown_as_toml(const mib::Config& config) {
  std::string text;
  for (const mib::EffectiveSetting& setting : config.effective()) {
    if (setting.origin != mib::Origin::file) continue;
    text += setting.path + " = " + setting.value + "\n";
  }
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<mib::ConfigIssue> issues;
  const mib::Config config = load(std::string{reinterpret_cast<const char*>(data), size}, issues);
  for (const mib::ConfigIssue& issue : issues) {
    fuzz::check(!issue.message.empty(), harness, "a problem without a message", issue.to_string());
  }
  if (!issues.empty()) return 0;

  for (const mib::ConfigIssue& issue : config.validate()) {
    fuzz::fail(harness, "a loaded config fails its own validation", issue.to_string());
  }
  (void)config.producer_properties();
  (void)config.consumer_properties();
  (void)config.admin_properties();

  const std::string shown = shown_as_toml(config);
  std::vector<mib::ConfigIssue> reload_issues;
  const mib::Config reloaded = load(shown, reload_issues);
  for (const mib::ConfigIssue& issue : reload_issues) {
    fuzz::fail(harness, "the settings shown do not load again", issue.to_string() + "\n" + shown);
  }
  const auto before = config.effective();
  const auto after = reloaded.effective();
  for (std::size_t i = 0; i < before.size(); ++i) {
    fuzz::check(before[i].value == after[i].value, harness, "a setting changed on reloading",
                before[i].path + " = " + before[i].value + " became " + after[i].value);
  }
  return 0;
}
