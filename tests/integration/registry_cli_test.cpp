// `mib-stream consume --decode TYPE --registry URL` against the real broker and the real
// schema registry (scripts/registry): values in the Confluent wire format are decoded once
// the registry knows their schema id as one of --format's type; a record with an unknown
// id, a schema of the other type or no header is reported and the rest print.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_run.hpp"
#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

namespace {

using mib::test::concat;
using mib::test::run_cli;

// The CLI checks a schema's type, not its text: any JSON Schema and any .proto will do
// (Apicurio refuses a JSON Schema without properties as one it cannot tell the type of).
const std::string json_schema =
    R"({"type":"object","properties":{"trade_id":{"type":"string"}},"required":["trade_id"]})";
const std::string proto_schema =
    "syntax = \"proto3\";\npackage mib_cli_test;\nmessage Trade {\n  string trade_id = 1;\n}\n";
constexpr std::int32_t unknown_id = 987'654;

mib::Trade trade(int i) {
  return {.trade_id = concat("t-", std::to_string(i)),
          .order_id = "o-1",
          .symbol = "MSFT",
          .side = mib::Side::sell,
          .quantity = static_cast<std::uint64_t>(40 + i),
          .price = 411.52,
          .timestamp = mib::rfc3339::parse_utc("2026-11-27T09:40:01.5Z").value(),
          .venue = "XNAS"};
}

std::string json_of(const mib::Trade& value) {
  std::string text;
  EXPECT_FALSE(mib::json::encode(value, text));
  return text;
}

std::string protobuf_of(const mib::Trade& value) {
  std::string bytes;
  EXPECT_FALSE(mib::protobuf::encode(value, bytes));
  return bytes;
}

std::string framed(std::int32_t id, const std::string& payload) {
  std::string value;
  mib::wire::append_header(id, value);
  return value + payload;
}

std::string protobuf_framed(std::int32_t id, const std::string& payload) {
  std::string value;
  const std::int32_t first[] = {0};
  mib::wire::append_protobuf_header(id, first, value);
  return value + payload;
}

struct Ids {
  std::int32_t json = 0;
  std::int32_t protobuf = 0;
};

Ids register_schemas(const std::string& topic) {
  mib::SchemaRegistry registry{mib::SchemaRegistryOptions{.url = mib::test::test_registry()}};
  return {
      registry.register_schema(topic + "-value", mib::SchemaType::json, json_schema),
      registry.register_schema(topic + "-proto-value", mib::SchemaType::protobuf, proto_schema)};
}

std::string at(const std::string& topic, int offset) {
  return concat("mib-stream: topic '", topic, "' partition 0 offset ", std::to_string(offset),
                ": ");
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(RegistryCli, JsonValuesDecodeThroughTheirSchemaIdAndBadIdsAreNamed) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("registry-cli-json");
  mib::test::create_topic(brokers, topic, 1);
  const Ids ids = register_schemas(topic);
  mib::test::send_values(
      brokers, topic,
      {framed(ids.json, json_of(trade(0))), framed(ids.protobuf, json_of(trade(1))),
       framed(unknown_id, json_of(trade(2))), json_of(trade(3)),
       framed(ids.json, json_of(trade(4))), framed(unknown_id, json_of(trade(5)))});

  const auto run = run_cli({"consume", "-b", brokers, "-t", topic, "-e", "--decode", "trade",
                            "--registry", mib::test::test_registry()});
  EXPECT_EQ(run.exit_code, 1) << run.output();
  EXPECT_EQ(run.lines, (std::vector<std::string>{json_of(trade(0)), json_of(trade(4))}))
      << run.output();
  EXPECT_TRUE(contains(run.errors, at(topic, 1) + "schema id " + std::to_string(ids.protobuf) +
                                       " is a PROTOBUF schema, not JSON"))
      << run.output();
  const std::string unknown =
      concat("schema id ", std::to_string(unknown_id), ": schema registry ");
  EXPECT_TRUE(contains(run.errors, at(topic, 2) + unknown)) << run.output();
  EXPECT_TRUE(contains(run.errors, "404")) << run.output();
  EXPECT_TRUE(contains(run.errors, at(topic, 3) + "Confluent wire format: unknown magic byte 123"))
      << run.output();
  EXPECT_TRUE(contains(run.errors, at(topic, 5) + unknown)) << run.output();
  EXPECT_TRUE(contains(run.errors, "6 records read: 2 decoded, 4 not decodable")) << run.output();
}

TEST(RegistryCli, ProtobufValuesSkipTheMessageIndexesAndNeedAProtobufSchema) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("registry-cli-protobuf");
  mib::test::create_topic(brokers, topic, 1);
  const Ids ids = register_schemas(topic);
  mib::test::send_values(brokers, topic,
                         {protobuf_framed(ids.protobuf, protobuf_of(trade(0))),
                          protobuf_framed(ids.json, protobuf_of(trade(1))),
                          protobuf_framed(ids.protobuf, protobuf_of(trade(2)))});

  const auto run = run_cli({"consume", "-b", brokers, "-t", topic, "-e", "--decode", "trade",
                            "--format", "protobuf", "--registry", mib::test::test_registry()});
  EXPECT_EQ(run.exit_code, 1) << run.output();
  EXPECT_EQ(run.lines, (std::vector<std::string>{json_of(trade(0)), json_of(trade(2))}))
      << run.output();
  EXPECT_TRUE(contains(run.errors, at(topic, 1) + "schema id " + std::to_string(ids.json) +
                                       " is a JSON schema, not PROTOBUF"))
      << run.output();
}

TEST(RegistryCli, TheUrlComesFromTheFlagElseFromTheConfiguration) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("registry-cli-config");
  mib::test::create_topic(brokers, topic, 1);
  const Ids ids = register_schemas(topic);
  mib::test::send_values(brokers, topic, {framed(ids.json, json_of(trade(0)))});
  const std::vector<std::string> consume = {"consume", "-b", brokers,    "-t",
                                            topic,     "-e", "--decode", "trade"};
  const auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> arguments = consume;
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return arguments;
  };
  const std::vector<std::string> decoded = {json_of(trade(0))};

  // --registry alone: [schema_registry] url, here from the environment.
  const auto configured =
      run_cli(with({"--registry"}), {},
              "env MIB_SCHEMA_REGISTRY_URL=" + mib::test::test_registry() + " timeout 60");
  EXPECT_EQ(configured.exit_code, 0) << configured.output();
  EXPECT_EQ(configured.lines, decoded) << configured.output();

  // The flag's URL wins over the configuration's.
  const auto flag = run_cli(with({"--registry", mib::test::test_registry()}), {},
                            "env MIB_SCHEMA_REGISTRY_URL=http://127.0.0.1:1 timeout 60");
  EXPECT_EQ(flag.exit_code, 0) << flag.output();
  EXPECT_EQ(flag.lines, decoded) << flag.output();

  // Neither: a usage error naming the flag, before any record is read.
  const auto neither = run_cli(with({"--registry"}));
  EXPECT_EQ(neither.exit_code, 2) << neither.output();
  EXPECT_TRUE(contains(neither.errors, "--registry")) << neither.output();
  EXPECT_TRUE(contains(neither.errors, "[schema_registry] url")) << neither.output();

  // A registry that does not answer stops the run: every record would fail the same way.
  const auto dead = run_cli(with({"--registry", "http://127.0.0.1:1"}));
  EXPECT_EQ(dead.exit_code, 1) << dead.output();
  EXPECT_TRUE(dead.lines.empty()) << dead.output();
  EXPECT_TRUE(contains(dead.errors, "schema registry http://127.0.0.1:1: GET /schemas/ids/" +
                                        std::to_string(ids.json) + ": no answer"))
      << dead.output();
}

TEST(RegistryCli, ARecordTheRegistryCouldNotBeAskedForIsNotCommitted) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("registry-cli-group");
  mib::test::create_topic(brokers, topic, 1);
  const Ids ids = register_schemas(topic);
  mib::test::send_values(
      brokers, topic, {framed(ids.json, json_of(trade(0))), framed(ids.json, json_of(trade(1)))});
  const std::string group = mib::test::unique_name("registry-cli-group");
  const auto in_group = [&](const std::string& registry) {
    return run_cli({"consume", "-b", brokers, "-t", topic, "-g", group, "-e", "--decode", "trade",
                    "--registry", registry});
  };

  const auto down = in_group("http://127.0.0.1:1");
  EXPECT_EQ(down.exit_code, 1) << down.output();
  // The next run of the group, with the registry up, starts at the first record again.
  const auto up = in_group(mib::test::test_registry());
  EXPECT_EQ(up.exit_code, 0) << up.output();
  EXPECT_EQ(up.lines, (std::vector<std::string>{json_of(trade(0)), json_of(trade(1))}))
      << up.output();
}

}  // namespace
