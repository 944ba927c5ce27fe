// No password, key password or token in anything a user or operator reads (issue 16):
// every log line with librdkafka's debug=all, every error, the metrics exposition and
// `config show`'s settings, across a round trip and a refused login through each way into
// the broker of `scripts/kafka start --security` (GSSAPI's environment: security_gssapi_test).
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "mib/log.hpp"
#include "mib/metrics/registry.hpp"
#include "mib/mib.hpp"
#include "secure_broker.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;
using mib::test::secure_config;

namespace {

// Every line the process logs, as it would be written.
class CapturedLog {
 public:
  CapturedLog() {
    mib::log::set_level(mib::LogLevel::debug);
    mib::log::set_sink([this](const mib::log::Record& record) {
      const std::lock_guard lock{mutex_};
      lines_.push_back(mib::log::format(record, mib::LogFormat::json));
    });
  }
  ~CapturedLog() {
    mib::log::set_sink({});
    mib::log::set_level(mib::LogLevel::info);
  }
  std::vector<std::string> lines() const {
    const std::lock_guard lock{mutex_};
    return lines_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

const std::string token_text = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0cmFkZXIiLCJleHAiOjQxMDI0NDQ4MDB9.";

}  // namespace

TEST(SecureBrokerSecrets, NoSecretInLogsErrorsMetricsOrSettingsWithDebugAll) {
  const std::vector<std::string> secrets = {"trader-secret",    "alice-secret", "admin-secret",
                                            "key-secret",       "wrong-secret", token_text,
                                            "kdc-master-secret"};
  std::vector<std::string> seen;  // errors, metrics and settings, beside the log
  {
    const CapturedLog log;
    std::vector<mib::Config> configs;
    for (const std::string name :
         {"sasl-plain", "sasl-scram-sha-256", "sasl-scram-sha-512", "sasl-oauthbearer",
          "sasl-gssapi", "mtls-key-password", "sasl-ssl-scram-sha-512"}) {
      configs.push_back(secure_config(name));
    }
    mib::Config provided = secure_config("sasl-oauthbearer");
    provided.set("security.sasl.oauthbearer_config", "");
    // Kafka's unsecured validator takes this unsigned token (sub "trader", exp in 2100).
    provided.security.sasl.oauthbearer_token_provider = [] {
      return mib::OAuthBearerToken{.value = mib::Secret{token_text},
                                   .expires = std::chrono::system_clock::now() + 1h,
                                   .principal = "trader"};
    };
    configs.push_back(provided);
    for (mib::Config& config : configs) {
      config.librdkafka.all["debug"] = "all";
      const std::string topic = mib::test::unique_name("secure-secrets");
      {
        mib::Producer producer{config};
        const auto report = producer.send({.topic = topic, .key = "k", .value = "v"}).get();
        ASSERT_TRUE(report.ok()) << report.error.message();
        seen.push_back(mib::metrics::registry().text());
      }
      for (const auto& setting : config.effective()) seen.push_back(setting.value);
      const auto mechanism = config.security.sasl.mechanism;
      if (mechanism == mib::SaslMechanism::plain || mechanism == mib::SaslMechanism::scram_sha256 ||
          mechanism == mib::SaslMechanism::scram_sha512) {
        config.set("security.sasl.password", "wrong-secret");
        mib::Client client{config};
        const mib::Error error = client.wait_for_cluster(10s);
        ASSERT_TRUE(error);
        seen.push_back(error.message());
      }
    }
    for (auto& line : log.lines()) seen.push_back(std::move(line));
  }
  std::printf("%zu lines, errors, metrics and settings read\n", seen.size());
  EXPECT_GT(seen.size(), 1000u) << "debug=all should have logged thousands of lines";
  for (const auto& text : seen) {
    for (const auto& secret : secrets) {
      ASSERT_EQ(text.find(secret), std::string::npos) << "'" << secret << "' in: " << text;
    }
  }
}
