// The second path to a broker's state: Kafka's own Java Admin client
// (tools/kafka/AdminProbe.java), so that a test checks what our admin code did with code
// that is not ours.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "support/test_cluster.hpp"

namespace mib::test {

// Runs AdminProbe.java `args` (a command and its argument: {"describe-topic", topic}) on
// `brokers`, logging in as `user` with SASL/PLAIN if given, and returns the one JSON
// document it prints (its commands and their fields are listed at the top of
// AdminProbe.java). Throws std::runtime_error with the probe's stderr if it fails, so a
// test stops there with the broker's or the client's reason. Takes a few seconds: the
// JVM compiles the program on each run.
std::string probe(const std::vector<std::string>& args, const std::string& brokers,
                  const std::optional<SaslUser>& user = std::nullopt);

}  // namespace mib::test
