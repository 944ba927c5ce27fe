// What the security tests share: the ready TOML files of `scripts/kafka start --security`
// (build/kafka/secure/), a round trip through one, and a login that must be refused.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

namespace mib::test {

inline const std::string secure_dir = std::string{MIB_SOURCE_DIR} + "/build/kafka/secure";
inline const std::string tls_dir = secure_dir + "/tls";

// One of the script's ready files, reading topics from their start.
inline Config secure_config(const std::string& name) {
  Config config = Config::load(secure_dir + "/" + name + ".toml");
  config.set("consumer.auto_offset_reset", "earliest");
  return config;
}

// Sends three records through `config` and reads them back, in order, once.
inline void expect_roundtrip(const Config& config, const std::string& topic) {
  using namespace std::chrono_literals;
  {
    Producer producer{config};
    for (int i = 0; i < 3; ++i) {
      const auto report =
          producer.send({.topic = topic, .key = "AAPL", .value = std::to_string(i)}).get();
      ASSERT_TRUE(report.ok()) << report.error.message();
    }
  }
  Consumer consumer{config, {.group_id = unique_name("secure-group"), .topics = {topic}}};
  std::vector<std::string> values;
  ASSERT_TRUE(wait_until(
      [&] {
        if (auto record = consumer.poll(100ms); record && record->ok()) {
          values.emplace_back(record->value());
        }
        return values.size() >= 3;
      },
      30s))
      << "read " << values.size() << " of 3 records from " << topic;
  EXPECT_EQ(values, (std::vector<std::string>{"0", "1", "2"}));
}

// Connects with `config`, which must fail: within 10 s, with a message holding every one
// of `needles` and none of `secrets`. A setting refused before any connection (a client
// that cannot even be made) counts as failing at once. Returns the message.
inline std::string expect_refused(const Config& config,
                                  std::initializer_list<std::string_view> needles,
                                  std::initializer_list<std::string_view> secrets) {
  using namespace std::chrono_literals;
  const auto started = std::chrono::steady_clock::now();
  std::string message;
  try {
    Client client{config};
    const Error error = client.wait_for_cluster(20s);
    EXPECT_TRUE(error) << "connected";
    message = error.message();
  } catch (const Exception& e) {
    message = e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s) << message;
  std::printf("refused: %s\n", message.c_str());
  for (const auto needle : needles) {
    EXPECT_NE(message.find(needle), std::string::npos) << "no '" << needle << "' in: " << message;
  }
  for (const auto secret : secrets) {
    EXPECT_EQ(message.find(secret), std::string::npos) << "a secret in: " << message;
  }
  return message;
}

}  // namespace mib::test
