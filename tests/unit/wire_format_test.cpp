// The Confluent wire format, byte for byte as the Java serializers write it, and what a
// malformed header is told; the registry client's errors when there is no registry.
#include <gtest/gtest.h>

#include <chrono>

#include "mib/mib.hpp"

using namespace std::chrono_literals;

namespace {
std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out += static_cast<char>(v);
  return out;
}
}  // namespace

TEST(WireFormat, HeaderIsMagicByteAndBigEndianSchemaId) {
  std::string out;
  mib::wire::append_header(0x01020304, out);
  out += "{}";
  EXPECT_EQ(out, bytes({0, 1, 2, 3, 4}) + "{}");
  mib::wire::Framed framed;
  ASSERT_TRUE(mib::wire::read(out, framed).ok());
  EXPECT_EQ(framed.schema_id, 0x01020304);
  EXPECT_EQ(framed.payload, "{}");
  EXPECT_TRUE(framed.message_indexes.empty());
}

TEST(WireFormat, ProtobufMessageIndexesAreZigZagVarintsWithTheFirstMessageAsOneZero) {
  const std::vector<std::pair<std::vector<std::int32_t>, std::string>> cases{
      {{0}, bytes({0})},
      {{}, bytes({0})},
      {{1}, bytes({2, 2})},           // count 1, index 1
      {{0, 2}, bytes({4, 0, 4})},     // count 2, indexes 0 and 2
      {{70}, bytes({2, 0x8C, 0x01})}  // 70 zig-zags to 140: two varint bytes
  };
  for (const auto& [indexes, encoded] : cases) {
    std::string out;
    mib::wire::append_protobuf_header(7, indexes, out);
    out += "pb";
    EXPECT_EQ(out, bytes({0, 0, 0, 0, 7}) + encoded + "pb");
    mib::wire::Framed framed;
    ASSERT_TRUE(mib::wire::read_protobuf(out, framed).ok());
    EXPECT_EQ(framed.schema_id, 7);
    EXPECT_EQ(framed.message_indexes, indexes.empty() ? std::vector<std::int32_t>{0} : indexes);
    EXPECT_EQ(framed.payload, "pb");
  }
}

TEST(WireFormat, MalformedHeadersSayWhatIsWrong) {
  mib::wire::Framed framed;
  EXPECT_EQ(mib::wire::read(bytes({0, 0, 1}), framed).message(),
            "Confluent wire format: 3 bytes are too few for the 5-byte header (magic byte and "
            "schema id)");
  const mib::Error magic = mib::wire::read(std::string{"{\"symbol\":\"AAPL\"}"}, framed);
  EXPECT_EQ(magic.code(), mib::errc::bad_message);
  EXPECT_EQ(magic.message(),
            "Confluent wire format: unknown magic byte 123 (expected 0): not written by a "
            "schema-registry serializer");
  EXPECT_NE(mib::wire::read_protobuf(bytes({0, 0, 0, 0, 1, 0x80}), framed)
                .message()
                .find("count is cut off"),
            std::string::npos);
  EXPECT_NE(mib::wire::read_protobuf(bytes({0, 0, 0, 0, 1, 20, 2}), framed)
                .message()
                .find("count 10 is not possible"),
            std::string::npos);
  EXPECT_NE(
      mib::wire::read_protobuf(bytes({0, 0, 0, 0, 1, 2, 1}), framed).message().find("out of range"),
      std::string::npos);
}

TEST(SchemaRegistryClient, ABadUrlIsRefusedNamingTheSetting) {
  try {
    mib::SchemaRegistry registry{mib::SchemaRegistryOptions{.url = "localhost:8081"}};
    FAIL() << "a URL without a scheme was accepted";
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find("[schema_registry] url"), std::string::npos) << e.what();
  }
}

TEST(SchemaRegistryClient, NoRegistryListeningIsAnErrorNamingTheRequestAtOnce) {
  mib::SchemaRegistry registry{
      mib::SchemaRegistryOptions{.url = "http://127.0.0.1:1/", .timeout = 2s}};
  try {
    registry.schema_by_id(1);
    FAIL() << "no registry, and no error";
  } catch (const mib::Exception& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("schema registry http://127.0.0.1:1: GET /schemas/ids/1: no answer"),
              std::string::npos)
        << what;
    EXPECT_EQ(e.error().code(), mib::errc::transport) << what;
  }
}
