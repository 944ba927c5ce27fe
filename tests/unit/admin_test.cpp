// mib::Admin without a broker: the standard topics, ACL names, reset targets, version
// gates, and a cluster that does not answer.
#include <gtest/gtest.h>

#include "mib/mib.hpp"

using namespace std::chrono_literals;

TEST(StandardTopics, AreTheSeedsTablePerKindWithThePrefix) {
  mib::TopicsConfig topics;
  topics.prefix = "desk";
  const auto specs = mib::standard_topics(topics);
  ASSERT_EQ(specs.size(), 5u);
  const std::vector<mib::MessageType> kinds{mib::MessageType::market_data, mib::MessageType::order,
                                            mib::MessageType::trade, mib::MessageType::event,
                                            mib::MessageType::control};
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    EXPECT_EQ(specs[i].name, mib::topic_for(kinds[i], "desk"));
  }
  // market_data: 12 partitions, replication 3, 24 h, 1 MiB, delete, lz4.
  EXPECT_EQ(specs[0].partitions, 12);
  EXPECT_EQ(specs[0].replication, 3);
  EXPECT_EQ(specs[0].configs.at("retention.ms"), "86400000");
  EXPECT_EQ(specs[0].configs.at("max.message.bytes"), "1048576");
  EXPECT_EQ(specs[0].configs.at("cleanup.policy"), "delete");
  EXPECT_EQ(specs[0].configs.at("compression.type"), "lz4");
  // orders: compact, zstd; events: replication 2, gzip; control: no compression.
  EXPECT_EQ(specs[1].configs.at("cleanup.policy"), "compact");
  EXPECT_EQ(specs[1].configs.at("compression.type"), "zstd");
  EXPECT_EQ(specs[2].configs.at("retention.ms"), "2592000000");
  EXPECT_EQ(specs[3].replication, 2);
  EXPECT_EQ(specs[3].configs.at("compression.type"), "gzip");
  EXPECT_EQ(specs[4].configs.at("compression.type"), "uncompressed");
  EXPECT_EQ(specs[4].configs.at("max.message.bytes"), "65536");
}

TEST(StandardTopics, FollowTheTopicsSectionOfAConfig) {
  mib::Config config;
  config.set("topics.trades.partitions", "16");
  config.set("topics.trades.cleanup_policy", "compact,delete");
  const auto specs = mib::standard_topics(config.topics);
  EXPECT_EQ(specs[2].partitions, 16);
  EXPECT_EQ(specs[2].configs.at("cleanup.policy"), "compact,delete");
}

TEST(AclNames, AreKafkasBothWays) {
  EXPECT_EQ(mib::to_string(mib::AclOperation::remove), "DELETE");
  EXPECT_EQ(mib::to_string(mib::AclOperation::idempotent_write), "IDEMPOTENT_WRITE");
  EXPECT_EQ(mib::to_string(mib::AclResource::cluster), "CLUSTER");
  mib::AclOperation op{};
  ASSERT_TRUE(mib::parse("idempotent-write", op));
  EXPECT_EQ(op, mib::AclOperation::idempotent_write);
  ASSERT_TRUE(mib::parse("delete", op));
  EXPECT_EQ(op, mib::AclOperation::remove);
  mib::AclPermission permission{};
  ASSERT_TRUE(mib::parse("Deny", permission));
  EXPECT_EQ(permission, mib::AclPermission::deny);
  mib::AclPattern pattern{};
  EXPECT_FALSE(mib::parse("glob", pattern));
  const mib::AclBinding b{.resource = mib::AclResource::topic,
                          .name = "trades",
                          .principal = "User:trader",
                          .operation = mib::AclOperation::write,
                          .permission = mib::AclPermission::deny};
  EXPECT_EQ(b.describe(), "DENY User:trader from * WRITE on TOPIC 'trades' (LITERAL)");
}

TEST(ResetTo, DescribesItself) {
  EXPECT_EQ(mib::ResetTo::earliest().describe(), "to earliest");
  EXPECT_EQ(mib::ResetTo::offset(42).describe(), "to offset 42");
  EXPECT_EQ(mib::ResetTo::shift_by(-100).describe(), "by -100");
  const auto t = std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + 10h;
  EXPECT_EQ(mib::ResetTo::time(t).describe(), "to 2026-12-01T10:00:00.000Z");
}

TEST(Admin, ACallToAClusterThatDoesNotAnswerSaysWhyWithinItsTimeout) {
  mib::Config config;
  config.set("brokers.addresses", "127.0.0.1:1");
  config.set("client.request_timeout", "2s");
  const mib::Admin admin{config};
  const auto start = std::chrono::steady_clock::now();
  try {
    admin.create_topic({.name = "never"});
    FAIL() << "no error";
  } catch (const mib::Exception& e) {
    EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
    const std::string message = e.what();
    EXPECT_NE(message.find("127.0.0.1:1"), std::string::npos) << message;
    EXPECT_NE(message.find("refused"), std::string::npos) << message;
  }
}

TEST(Admin, RequestsItCanRefuseItselfAreRefusedBeforeAnyCall) {
  mib::Config config;
  config.set("brokers.addresses", "127.0.0.1:1");  // nothing answers: no call may be needed
  const mib::Admin admin{config};
  const auto start = std::chrono::steady_clock::now();
  try {
    admin.create_topic({.name = "wide", .partitions = 100'001});
    FAIL() << "no error";
  } catch (const mib::Exception& e) {
    EXPECT_EQ(e.error().code(), mib::errc::invalid_partitions) << e.what();
    EXPECT_NE(std::string{e.what()}.find("create topic 'wide'"), std::string::npos) << e.what();
  }
  try {
    admin.alter_configs(mib::ConfigResource::topic("t"),
                        {mib::ConfigChange::remove("retention.ms"),
                         mib::ConfigChange::set("retention.ms", "1000")});
    FAIL() << "no error";
  } catch (const mib::Exception& e) {
    EXPECT_EQ(e.error().code(), mib::errc::invalid_argument) << e.what();
    EXPECT_NE(std::string{e.what()}.find("'retention.ms' is changed twice"), std::string::npos)
        << e.what();
  }
  try {
    admin.delete_acls({.resource = mib::AclResource::unknown, .name = "x"});
    FAIL() << "no error";
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find("UNKNOWN"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  mib::AclResource resource{};
  EXPECT_FALSE(mib::parse("unknown", resource));
  EXPECT_EQ(mib::to_string(mib::AclResource::unknown), "UNKNOWN");
}
