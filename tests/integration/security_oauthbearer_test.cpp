// SASL/OAUTHBEARER on the broker of `scripts/kafka start --security` (issue 16), which checks
// tokens with Kafka's unsecured JWT validator (unsigned tokens; for tests only):
// librdkafka's built-in unsecured JWT through the ready TOML file, an application's token
// provider asked again before each token expires and sessions re-authenticated with
// nothing failing, and a failing provider named within seconds.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "mib/log.hpp"
#include "mib/mib.hpp"
#include "secure_broker.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;
using mib::test::expect_refused;
using mib::test::expect_roundtrip;
using mib::test::secure_config;

namespace {

std::string base64url(std::string_view bytes) {
  static constexpr char digits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (const char c : bytes) {
    bits = (bits << 8) | static_cast<unsigned char>(c);
    count += 8;
    while (count >= 6) {
      count -= 6;
      out += digits[(bits >> count) & 0x3f];
    }
  }
  if (count > 0) out += digits[(bits << (6 - count)) & 0x3f];
  return out;
}

// An unsigned JWT ("alg": "none") for `subject`, valid for `life` from now: what Kafka's
// unsecured validator accepts.
mib::OAuthBearerToken unsigned_token(const std::string& subject, std::chrono::seconds life) {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = [](auto t) {
    return std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
  };
  const std::string claims = R"({"sub":")" + subject + R"(","iat":)" + seconds(now) + R"(,"exp":)" +
                             seconds(now + life) + "}";
  return {.value = mib::Secret{base64url(R"({"alg":"none"})") + "." + base64url(claims) + "."},
          .expires = now + life,
          .principal = subject};
}

// The ready OAUTHBEARER file with the application's provider in place of librdkafka's JWT.
mib::Config with_provider(mib::OAuthBearerTokenProvider provider) {
  mib::Config config = secure_config("sasl-oauthbearer");
  config.set("security.sasl.oauthbearer_config", "");
  config.security.sasl.oauthbearer_token_provider = std::move(provider);
  return config;
}

}  // namespace

TEST(SecureBrokerOAuthBearer, LibrdkafkasUnsecuredJwtRoundTripsThroughTheReadyConfig) {
  expect_roundtrip(secure_config("sasl-oauthbearer"), mib::test::unique_name("secure-oauth"));
}

TEST(SecureBrokerOAuthBearer, ATokenProviderRoundTrips) {
  std::atomic<int> asked{0};
  expect_roundtrip(with_provider([&] {
                     ++asked;
                     return unsigned_token("trader", 1h);
                   }),
                   mib::test::unique_name("secure-provider"));
  EXPECT_GE(asked.load(), 1);
}

// Tokens of 20 s, each asked for again before it expires, and each session re-authenticated
// with the new one (KIP-368: the broker ends a session with its token), while the producer
// delivers every record with no error event. Shorter tokens race: librdkafka renews a token
// at 80% of its life but looks only once a second, and re-authenticates at 90% of the
// session, so below about 10 s the re-authentication can go out with the old token and
// the broker then refuses the next one (docs/decisions.md).
TEST(SecureBrokerOAuthBearer, ATokenIsAskedForAgainBeforeItExpiresAndNothingDisconnects) {
  std::mutex mutex;
  std::vector<std::chrono::system_clock::time_point> asked_at;
  int reauthentications = 0;
  mib::log::set_level(mib::LogLevel::debug);
  mib::log::set_sink([&](const mib::log::Record& record) {
    if (record.facility == "REAUTH" &&
        record.message.find("Received REAUTH op") != std::string::npos) {
      const std::lock_guard lock{mutex};
      ++reauthentications;
    }
  });
  mib::Config config = with_provider([&] {
    const std::lock_guard lock{mutex};
    asked_at.push_back(std::chrono::system_clock::now());
    return unsigned_token("trader", 20s);
  });
  config.librdkafka.all["debug"] = "security,broker";  // REAUTH is a broker line
  std::vector<std::string> errors;
  mib::ProducerOptions options = mib::ProducerOptions::from(config);
  options.on_error = [&](const mib::Error& e) {
    const std::lock_guard lock{mutex};
    errors.push_back(e.message());
  };
  const std::string topic = mib::test::unique_name("secure-refresh");
  {
    mib::Producer producer{config.producer_properties(), options};
    const auto until = std::chrono::steady_clock::now() + 36s;
    int sent = 0;
    while (std::chrono::steady_clock::now() < until) {
      const auto report =
          producer.send({.topic = topic, .key = "AAPL", .value = std::to_string(sent)}).get();
      ASSERT_TRUE(report.ok()) << "record " << sent << ": " << report.error.message();
      ++sent;
      std::this_thread::sleep_for(250ms);
    }
  }
  mib::log::set_sink({});
  mib::log::set_level(mib::LogLevel::info);
  const std::lock_guard lock{mutex};
  // One token at the start, then one at 80% of each 20 s life: three in 36 s.
  EXPECT_GE(asked_at.size(), 3u);
  for (std::size_t i = 1; i < asked_at.size(); ++i) {
    EXPECT_LT(asked_at[i] - asked_at[i - 1], 20s)
        << "token " << i << " came after the last expired";
  }
  EXPECT_GE(reauthentications, 1) << "no session was re-authenticated";
  EXPECT_TRUE(errors.empty()) << errors.front();
}

TEST(SecureBrokerOAuthBearer, AFailingTokenProviderIsNamedWithinSeconds) {
  const mib::Config config = with_provider(
      []() -> mib::OAuthBearerToken { throw std::runtime_error{"vault unreachable"}; });
  expect_refused(config, {"OAUTHBEARER", "the token provider failed: vault unreachable"}, {});
}

TEST(SecureBrokerOAuthBearer, ATokenProviderNeedsTheOAuthBearerMechanism) {
  mib::Config config = secure_config("sasl-scram-sha-512");
  config.security.sasl.oauthbearer_token_provider = [] { return unsigned_token("trader", 1h); };
  expect_refused(config, {"security.sasl.mechanism", "token provider", "OAuthBearer"}, {});
}
