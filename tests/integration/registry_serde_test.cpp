// RegistrySerde against the real registry of scripts/registry: the schema it registers,
// the Confluent framing it writes, and the records it refuses, each error naming the id.
#include <gtest/gtest.h>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"
#include "unit/market_samples.hpp"

using namespace std::chrono_literals;

namespace {

mib::SchemaRegistry test_registry() {
  return mib::SchemaRegistry{mib::SchemaRegistryOptions{.url = mib::test::test_registry()}};
}

std::int32_t id_in(std::string_view framed) {
  auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(framed[i]); };
  return static_cast<std::int32_t>((byte(1) << 24) | (byte(2) << 16) | (byte(3) << 8) | byte(4));
}

}  // namespace

TEST(RegistrySerde, JsonRegistersTheTypesSchemaAndFramesEachRecordWithItsId) {
  auto registry = test_registry();
  const std::string subject = mib::value_subject(mib::test::unique_name("quotes"));
  const auto serde = mib::RegistrySerde<mib::MarketData>::json(registry, subject);
  EXPECT_EQ(serde.schema_id(), 0) << "nothing is registered before the first record";

  std::string bytes;
  ASSERT_FALSE(serde.encode(samples::quote(), bytes)) << "encode";
  ASSERT_GT(serde.schema_id(), 0);
  EXPECT_EQ(bytes[0], '\0') << "the magic byte";
  EXPECT_EQ(id_in(bytes), serde.schema_id());
  std::string json;
  ASSERT_FALSE(mib::json::encode(samples::quote(), json));
  EXPECT_EQ(bytes.substr(5), json) << "the payload is the plain JSON";

  const mib::RegisteredSchema held = registry.latest(subject);
  EXPECT_EQ(held.id, serde.schema_id());
  EXPECT_EQ(held.type, mib::SchemaType::json);
  EXPECT_EQ(held.schema, mib::json::schema_of<mib::MarketData>());

  mib::MarketData back;
  ASSERT_FALSE(serde.decode(bytes, back));
  EXPECT_EQ(back, samples::quote());
}

TEST(RegistrySerde, ProtobufRegistersTheFileWithItsImportsAsReferences) {
  auto registry = test_registry();
  const std::string subject = mib::value_subject(mib::test::unique_name("trades"));
  const auto serde = mib::RegistrySerde<mib::Trade>::protobuf(registry, subject);
  std::string bytes;
  ASSERT_FALSE(serde.encode(samples::fill(), bytes));
  EXPECT_EQ(bytes[0], '\0');
  EXPECT_EQ(id_in(bytes), serde.schema_id());
  EXPECT_EQ(bytes[5], '\0') << "message indexes [0]: Trade is its file's first message";

  const mib::RegisteredSchema held = registry.latest(subject);
  EXPECT_EQ(held.type, mib::SchemaType::protobuf);
  EXPECT_NE(held.schema.find("message Trade"), std::string::npos) << held.schema;
  std::vector<std::string> referenced;
  for (const auto& r : held.references) {
    referenced.push_back(r.name);
    EXPECT_EQ(r.subject, r.name) << "each import under its own import path";
    EXPECT_EQ(registry.latest(r.subject).version, r.version);
  }
  std::sort(referenced.begin(), referenced.end());
  EXPECT_EQ(referenced, (std::vector<std::string>{"market_intel/v1/enums.proto",
                                                  "market_intel/v1/json_value.proto"}));

  mib::Trade back;
  ASSERT_FALSE(serde.decode(bytes, back));
  EXPECT_EQ(back, samples::fill());
}

TEST(RegistrySerde, ReadsRecordsOfAnotherWriterOfTheSameFormat) {
  auto registry = test_registry();
  const std::string topic = mib::test::unique_name("orders");
  // Another writer registered its own (here: an older, smaller) JSON Schema for the topic.
  const std::int32_t other =
      registry.register_schema(mib::test::unique_name("other-writer"), mib::SchemaType::json,
                               R"({"type":"object","properties":{"order_id":{"type":"string"}}})");
  std::string bytes;
  mib::wire::append_header(other, bytes);
  ASSERT_FALSE(mib::json::encode(samples::limit_order(), bytes));

  const auto serde = mib::RegistrySerde<mib::Order>::json(registry, mib::value_subject(topic));
  mib::Order back;
  ASSERT_FALSE(serde.decode(bytes, back));
  EXPECT_EQ(back, samples::limit_order());
}

TEST(RegistrySerde, RefusesUnknownIdsOtherFormatsAndUnframedRecordsNamingWhatIsWrong) {
  auto registry = test_registry();
  const auto json = mib::RegistrySerde<mib::Trade>::json(
      registry, mib::value_subject(mib::test::unique_name("trades-json")));
  const auto protobuf = mib::RegistrySerde<mib::Trade>::protobuf(
      registry, mib::value_subject(mib::test::unique_name("trades-pb")));
  std::string framed_json;
  ASSERT_FALSE(json.encode(samples::fill(), framed_json));
  mib::Trade back;

  std::string unknown;
  mib::wire::append_protobuf_header(987654, {}, unknown);
  ASSERT_FALSE(mib::protobuf::encode(samples::fill(), unknown));
  mib::Error e = protobuf.decode(unknown, back);
  EXPECT_EQ(e.code(), mib::errc::bad_message);
  EXPECT_NE(e.message().find("schema id 987654"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("404"), std::string::npos) << e.message();

  // A JSON record's id read as Protobuf: the registry says which format the id is.
  std::string as_protobuf;
  mib::wire::append_protobuf_header(json.schema_id(), {}, as_protobuf);
  as_protobuf += framed_json.substr(5);
  e = protobuf.decode(as_protobuf, back);
  EXPECT_EQ(e.code(), mib::errc::bad_message);
  EXPECT_NE(e.message().find("schema id " + std::to_string(json.schema_id()) +
                             " is a JSON schema, not PROTOBUF"),
            std::string::npos)
      << e.message();

  // An id already read is checked again for the message: indexes [1] are not a Trade.
  std::string framed_protobuf;
  ASSERT_FALSE(protobuf.encode(samples::fill(), framed_protobuf));
  ASSERT_FALSE(protobuf.decode(framed_protobuf, back));
  std::string second_message;
  const std::int32_t second[] = {1};
  mib::wire::append_protobuf_header(protobuf.schema_id(), second, second_message);
  ASSERT_FALSE(mib::protobuf::encode(samples::fill(), second_message));
  e = protobuf.decode(second_message, back);
  EXPECT_EQ(e.code(), mib::errc::bad_message);
  EXPECT_NE(e.message().find("message indexes [1] are not [0], the message that is Trade"),
            std::string::npos)
      << e.message();

  std::string plain;
  ASSERT_FALSE(mib::json::encode(samples::fill(), plain));
  e = json.decode(plain, back);
  EXPECT_EQ(e.code(), mib::errc::bad_message);
  EXPECT_NE(e.message().find("magic byte"), std::string::npos) << e.message();

  // A framed record with a bad field: the decoder's message names the field.
  std::string bad = framed_json.substr(0, 5) + R"({"trade_id":"t1"})";
  e = json.decode(bad, back);
  EXPECT_EQ(e.code(), mib::errc::bad_message);
  EXPECT_NE(e.message().find("is missing"), std::string::npos) << e.message();
}

TEST(RegistrySerde, ARegistryThatDoesNotAnswerIsATransportErrorAtOnce) {
  mib::SchemaRegistry dead{mib::SchemaRegistryOptions{.url = "http://127.0.0.1:9", .timeout = 2s}};
  const auto serde = mib::RegistrySerde<mib::MarketData>::json(dead, "quotes-value");
  std::string bytes = "kept";
  const auto started = std::chrono::steady_clock::now();
  const mib::Error e = serde.encode(samples::quote(), bytes);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(e.code(), mib::errc::transport) << e.message();
  EXPECT_NE(e.message().find("quotes-value"), std::string::npos) << e.message();
  EXPECT_EQ(bytes, "kept") << "nothing is appended";
}

TEST(RegistrySerde, ATypedSendCarriesTheSchemaIdHeader) {
  auto registry = test_registry();
  mib::EmbeddedCluster cluster;
  const std::string topic = mib::test::unique_name("typed-registry");
  const auto serde = mib::RegistrySerde<mib::Trade>::protobuf(registry, mib::value_subject(topic));
  mib::Producer producer{{{"bootstrap.servers", cluster.bootstrap_servers()}}};
  const mib::DeliveryReport report = producer.send(topic, samples::fill(), serde).get();
  ASSERT_TRUE(report.ok()) << report.error.message();

  mib::Consumer consumer{{{"bootstrap.servers", cluster.bootstrap_servers()},
                          {"group.id", "registry-typed"},
                          {"auto.offset.reset", "earliest"}}};
  consumer.subscribe({topic});
  std::optional<mib::Message> m;
  mib::test::wait_until([&] { return (m = consumer.poll(100ms)) && m->ok(); }, 20s);
  ASSERT_TRUE(m && m->ok());
  EXPECT_EQ(m->header(mib::content_type_header), "application/vnd.confluent.protobuf");
  EXPECT_EQ(m->header(mib::schema_id_header), std::to_string(serde.schema_id()));
  mib::Trade back;
  ASSERT_FALSE(mib::decode(*m, back, serde));
  EXPECT_EQ(back, samples::fill());
}
