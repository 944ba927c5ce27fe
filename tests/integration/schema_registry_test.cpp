// The schema registry client against a real registry (scripts/registry: Apicurio's
// Confluent-compatible API): register, look up, check and set compatibility, and the
// registry's own errors passed on with what was asked.
#include <gtest/gtest.h>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

namespace {

const std::string quote_v1 =
    R"({"type":"object","properties":{"symbol":{"type":"string"}},"required":["symbol"]})";
// Adds a required field: readers of v1 data cannot satisfy it, so not backward compatible.
const std::string quote_v2_breaking =
    R"({"type":"object","properties":{"symbol":{"type":"string"},"venue":{"type":"string"}},)"
    R"("required":["symbol","venue"]})";
const std::string trade_proto =
    "syntax = \"proto3\";\npackage market_intel.v1;\nmessage Trade {\n  string trade_id = 1;\n}\n";

}  // namespace

TEST(RealSchemaRegistry, RegistersAndLooksUpSchemasById) {
  mib::SchemaRegistry registry{mib::SchemaRegistryOptions{.url = mib::test::test_registry()}};
  const std::string subject = mib::test::unique_name("quotes") + "-value";
  const std::int32_t id = registry.register_schema(subject, mib::SchemaType::json, quote_v1);
  EXPECT_GT(id, 0);
  // The same schema again is the same id (and comes from the cache).
  EXPECT_EQ(registry.register_schema(subject, mib::SchemaType::json, quote_v1), id);

  const mib::RegisteredSchema by_id = registry.schema_by_id(id);
  EXPECT_EQ(by_id.id, id);
  EXPECT_EQ(by_id.type, mib::SchemaType::json);
  EXPECT_NE(by_id.schema.find("\"symbol\""), std::string::npos) << by_id.schema;

  const mib::RegisteredSchema latest = registry.latest(subject);
  EXPECT_EQ(latest.id, id);
  EXPECT_EQ(latest.subject, subject);
  EXPECT_EQ(latest.version, 1);

  const std::string proto_subject = mib::test::unique_name("trades") + "-value";
  const std::int32_t proto_id =
      registry.register_schema(proto_subject, mib::SchemaType::protobuf, trade_proto);
  const mib::RegisteredSchema proto = registry.schema_by_id(proto_id);
  EXPECT_EQ(proto.type, mib::SchemaType::protobuf);
  EXPECT_EQ(proto.schema, trade_proto);
}

TEST(RealSchemaRegistry, CompatibilityIsCheckedAndEnforced) {
  mib::SchemaRegistry registry{mib::SchemaRegistryOptions{.url = mib::test::test_registry()}};
  const std::string subject = mib::test::unique_name("compat") + "-value";
  registry.register_schema(subject, mib::SchemaType::json, quote_v1);
  registry.set_compatibility(subject, mib::Compatibility::backward);

  EXPECT_TRUE(registry.check_compatibility(subject, mib::SchemaType::json, quote_v1).compatible);
  const mib::CompatibilityCheck breaking =
      registry.check_compatibility(subject, mib::SchemaType::json, quote_v2_breaking);
  EXPECT_FALSE(breaking.compatible);
  try {
    registry.register_schema(subject, mib::SchemaType::json, quote_v2_breaking);
    FAIL() << "an incompatible schema was registered";
  } catch (const mib::Exception& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("POST /subjects/" + subject + "/versions: 409"), std::string::npos) << what;
    EXPECT_EQ(e.error().code(), mib::errc::invalid_argument);
  }
  // Under FORWARD (old readers must read new data: they ignore the extra field) the same
  // schema is accepted as version 2. (Not NONE: Apicurio reads a subject's NONE as "no
  // rule of its own" and applies the global BACKWARD, docs/schema-registry.md.)
  registry.set_compatibility(subject, mib::Compatibility::forward);
  const std::int32_t v2 =
      registry.register_schema(subject, mib::SchemaType::json, quote_v2_breaking);
  EXPECT_EQ(registry.latest(subject).id, v2);
  EXPECT_EQ(registry.latest(subject).version, 2);
}

TEST(RealSchemaRegistry, UnknownIdsAndSubjectsAreErrorsNamingThem) {
  mib::SchemaRegistry registry{mib::SchemaRegistryOptions{.url = mib::test::test_registry()}};
  try {
    registry.schema_by_id(987654);
    FAIL() << "an unknown id was found";
  } catch (const mib::Exception& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("GET /schemas/ids/987654: 404 (error 40403)"), std::string::npos) << what;
  }
  const std::string subject = mib::test::unique_name("nobody");
  try {
    registry.latest(subject);
    FAIL() << "an unknown subject had a latest version";
  } catch (const mib::Exception& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("GET /subjects/" + subject + "/versions/latest: 404 (error 40401)"),
              std::string::npos)
        << what;
  }
}
