// The first vertical slice as reusable checks: produce numbered, keyed records with
// headers; read them back in a consumer group and expect each once, intact, in order.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "mib/message.hpp"

namespace mib::test {

// Where the broker put a record, by its delivery report.
struct Placement {
  std::int32_t partition = -1;
  std::int64_t offset = -1;
};

// Sends records numbered [first, first + count) over `keys` distinct keys to `topic`
// with an idempotent acks=all producer, and expects every delivery report to succeed.
// Record n has key "key-<n % keys>", value "value-<n>" and headers seq=<n>,
// source=roundtrip. Appends the placements to `placed` (indexed by record number).
void produce_numbered(const std::string& brokers, const std::string& topic, int first, int count,
                      int keys, std::vector<Placement>& placed);

// Consumes `topic` from the beginning in a fresh group and expects exactly the records
// of `placed`, once each, with their key, value and headers, at their placement, in
// offset order per partition and send order per key.
void expect_consumed_once(const std::string& brokers, const std::string& topic, int keys,
                          const std::vector<Placement>& placed);

// Reads `topic` from the beginning in a fresh group until `expected` records arrived or
// `timeout` passed, then until it stays quiet for a second (so that duplicates show up);
// returns what arrived (records only, not errors). `isolation` is librdkafka's
// isolation.level.
std::vector<Message> read_from_beginning(
    const std::string& brokers, const std::string& topic, std::size_t expected,
    std::chrono::milliseconds timeout = std::chrono::seconds{30},
    std::string_view isolation = "read_committed");

// Both of the above: `count` records through `topic` and back.
void expect_roundtrip(const std::string& brokers, const std::string& topic, int count, int keys);

}  // namespace mib::test
