// The process's log: JSON lines and text, levels, librdkafka's own lines, audit lines, and
// no secret in any line, librdkafka's debug output included.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {

// Every line written while it lives, as the application's sink sees it.
class Captured {
 public:
  Captured() {
    mib::log::set_sink([this](const mib::log::Record& r) {
      const std::lock_guard lock{mutex_};
      std::string fields;
      for (const auto& f : r.fields) fields.append(" ").append(f.key).append("=").append(f.value);
      lines_.push_back({std::string{r.source}, std::string{r.facility}, std::string{r.client},
                        std::string{r.message}, fields, mib::log::format(r, mib::LogFormat::json)});
    });
  }
  ~Captured() {
    mib::log::set_sink({});
    mib::log::set_level(mib::LogLevel::info);
  }
  struct Line {
    std::string source, facility, client, message, fields, json;
  };
  std::vector<Line> lines() const {
    const std::lock_guard lock{mutex_};
    return lines_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Line> lines_;
};

}  // namespace

TEST(Log, JsonLinesCarryEveryFieldEscaped) {
  const mib::log::Field fields[] = {{"who", "trader"}, {"target", "topic \"px\""}};
  const std::string line = mib::log::format({.level = mib::log::Level::warning,
                                             .source = "librdkafka",
                                             .client = "mib#producer-1",
                                             .facility = "FAIL",
                                             .message = "broker down\n",
                                             .fields = fields},
                                            mib::LogFormat::json);
  EXPECT_TRUE(line.starts_with("{\"time\":\"20")) << line;
  EXPECT_TRUE(line.ends_with(
      R"(,"level":"warning","source":"librdkafka","client":"mib#producer-1","facility":"FAIL",)"
      R"("message":"broker down\n","who":"trader","target":"topic \"px\""})"))
      << line;
  const std::string text = mib::log::format({.level = mib::log::Level::info,
                                             .source = "mib.audit",
                                             .message = "create_topic px: ok",
                                             .fields = fields},
                                            mib::LogFormat::text);
  EXPECT_TRUE(text.ends_with(" info mib.audit: create_topic px: ok who=trader target=topic \"px\""))
      << text;
}

TEST(Log, LevelsBelowTheConfiguredOneAreDropped) {
  Captured captured;
  mib::log::set_level(mib::LogLevel::warn);
  mib::log::write({.level = mib::log::Level::info, .source = "test", .message = "quiet"});
  mib::log::write({.level = mib::log::Level::warning, .source = "test", .message = "loud"});
  mib::log::set_level(mib::LogLevel::off);
  mib::log::write({.level = mib::log::Level::error, .source = "test", .message = "silenced"});
  const auto lines = captured.lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].message, "loud");
  EXPECT_FALSE(mib::log::enabled(mib::log::Level::error));
}

TEST(Log, LibrdkafkasOwnLinesComeThroughWithTheirFacility) {
  Captured captured;
  mib::Config config;
  config.set("brokers.addresses", "127.0.0.1:1");
  mib::Producer producer{config};
  ASSERT_TRUE(mib::test::wait_until(
      [&] {
        for (const auto& l : captured.lines()) {
          if (l.source == "librdkafka" && !l.facility.empty() && l.client == producer.name())
            return true;
        }
        return false;
      },
      15s));
}

TEST(Log, AdminChangesAreAuditLinesWithWhoWhatAndResult) {
  Captured captured;
  mib::Config config;
  config.set("brokers.addresses", "127.0.0.1:1");
  config.set("client.client_id", "desk-tool");
  config.set("client.request_timeout", "1s");
  mib::Admin admin{config};
  EXPECT_THROW(admin.delete_topic("prices"), mib::Exception);
  bool seen = false;
  for (const auto& l : captured.lines()) {
    if (l.source != "mib.audit") continue;
    seen = true;
    EXPECT_EQ(l.message, "delete_topic topic prices: failed");
    EXPECT_TRUE(l.fields.starts_with(
        " who=desk-tool action=delete_topic target=topic prices result=failed error="))
        << l.fields;
  }
  EXPECT_TRUE(seen) << "no audit line";
  const auto snapshot = mib::metrics::registry().snapshot();
  EXPECT_EQ(snapshot.value("market_intel_admin_operations_total",
                           {{"client", ""}, {"operation", "delete_topic"}, {"result", "failed"}}),
            std::nullopt);  // the client label is the handle's name, never empty
  EXPECT_GE(snapshot
                .value("market_intel_admin_operations_total",
                       {{"operation", "delete_topic"}, {"result", "failed"}})
                .value_or(0),
            1);
}

TEST(Log, NoLineEverCarriesTheSaslPassword) {
  // SASL/PLAIN with librdkafka's every debug context on, at a port where nothing listens:
  // librdkafka dumps its configuration and each connection attempt.
  constexpr const char* password = "s3cr3t-Pa55w0rd-never-logged";
  Captured captured;
  mib::log::set_level(mib::LogLevel::debug);
  {
    mib::Config config;
    config.set("brokers.addresses", "127.0.0.1:1");
    config.set("security.security_protocol", "SaslPlaintext");
    config.set("security.sasl.mechanism", "Plain");
    config.set("security.sasl.username", "trader");
    config.set("security.sasl.password", password);
    config.set("global.log_level", "debug");
    config.librdkafka.all["debug"] = "all";
    mib::Producer producer{config};
    (void)producer.send({.topic = "prices", .value = "1"});
    std::this_thread::sleep_for(2s);
    producer.close(0ms);
  }
  const auto lines = captured.lines();
  EXPECT_GT(lines.size(), 20u) << "debug=all should log the configuration and connects";
  for (const auto& l : lines) {
    ASSERT_EQ(l.json.find(password), std::string::npos) << l.json;
  }

  // The same through the CLI's standard error.
  const std::string dir = "/tmp/" + mib::test::unique_name("secret");
  std::filesystem::create_directories(dir);
  std::ofstream{dir + "/sasl.toml"}
      << "[brokers]\naddresses = [\"127.0.0.1:1\"]\n"
         "[client]\nconnection_timeout = \"3s\"\n"
         "[security]\nsecurity_protocol = \"SaslPlaintext\"\n"
         "[security.sasl]\nmechanism = \"Plain\"\nusername = \"trader\"\n"
         "password = \""
      << password << "\"\n[global]\nlog_level = \"debug\"\n";
  const auto run =
      mib::test::run_command(std::string{"echo k=v | timeout 20 "} + MIB_STREAM_BINARY +
                             " produce -F " + dir + "/sasl.toml -X debug=all -t prices 2>&1");
  std::filesystem::remove_all(dir);
  EXPECT_GT(run.output.size(), 1000u) << run.output;
  EXPECT_EQ(run.output.find(password), std::string::npos) << "the password was printed";
}
