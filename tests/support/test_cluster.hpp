// Test helpers: the broker under test, unique names, and waiting with a deadline.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "mib/config/config.hpp"
#include "mib/kafka/properties.hpp"

namespace mib::test {

// The real cluster for integration tests: $MIB_TEST_BROKERS, else the broker that
// `scripts/kafka start` runs on 127.0.0.1:9092 (or $MIB_KAFKA_PORT_BASE).
std::string test_brokers();

// The schema registry's Confluent API for integration tests: $MIB_TEST_REGISTRY, else the
// one `scripts/registry start` runs on 127.0.0.1:8081 (or $MIB_REGISTRY_PORT).
std::string test_registry();

// The three-broker cluster for fault tests: $MIB_TEST_FAULT_BROKERS, else the one that
// `scripts/kafka start --brokers 3` runs on 127.0.0.1:9192-9194 (base + 100 .. + 102).
std::string fault_brokers();

// The broker with authorization for ACL tests: $MIB_TEST_ACL_BROKERS, else the one that
// `scripts/kafka start --acl` runs on 127.0.0.1:9492 (base + 400). Its listener wants
// SASL_PLAINTEXT with mechanism PLAIN, as one of the users below.
std::string acl_brokers();

// The broker of `scripts/kafka start --security`: $MIB_TEST_SECURE_BROKERS, else
// 127.0.0.1:9592 (base + 500). Its ready TOML files are in build/kafka/secure/.
std::string secure_brokers();

// A PLAIN user of that broker. These are scripts/kafka's throw-away test credentials,
// written in the clear into its server.properties: they guard nothing.
struct SaslUser {
  std::string_view username;
  std::string_view password;
};
inline constexpr SaslUser acl_admin{"admin", "admin-secret"};     // a super user
inline constexpr SaslUser acl_trader{"trader", "trader-secret"};  // not a super user

// librdkafka properties that log in as `user` with SASL/PLAIN (no bootstrap.servers).
KafkaProperties sasl_plain_properties(const SaslUser& user);
// A Config for acl_brokers() as `user`: security_protocol SaslPlaintext, mechanism Plain.
Config acl_config(const SaslUser& user);

// A name no earlier run used, so tests never read each other's records.
std::string unique_name(std::string_view prefix);

// Creates a topic on a real cluster through the Admin API and waits until its metadata
// shows every partition with a leader. `client_properties` are added to the admin
// handle's, e.g. sasl_plain_properties(acl_admin) for acl_brokers().
void create_topic(const std::string& brokers, const std::string& topic, int partitions,
                  int replication_factor = 1,
                  const std::map<std::string, std::string>& topic_config = {},
                  const KafkaProperties& client_properties = {});

// Runs a shell command; its exit status (-1 if it did not exit) and what it wrote to
// stdout (add 2>&1 for stderr too).
struct CommandRun {
  int exit_code = -1;
  std::string output;
};
CommandRun run_command(const std::string& command);

// Polls `condition` until it holds or `timeout` passes; returns its last value.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

// The parts one after another: concat("k", std::to_string(i)). Instead of
// "k" + std::to_string(i), for which GCC 12 at -O2/-O3 may report that
// operator+(const char*, std::string&&) (an insert at the front) overlaps itself: a false
// -Wrestrict (GCC bug 105329) that -Werror turns into a failed build. Appending does not.
template <typename... Parts>
std::string concat(const Parts&... parts) {
  std::string out;
  (out.append(std::string_view{parts}), ...);
  return out;
}

}  // namespace mib::test

namespace mib::test {

// The broker id leading `partition` of `topic`, or -1 if none does now.
int partition_leader(const std::string& brokers, const std::string& topic, int partition);

}  // namespace mib::test
