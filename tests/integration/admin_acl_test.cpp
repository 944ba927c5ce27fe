// mib::Admin's ACLs on the broker of `scripts/kafka start --acl` (StandardAuthorizer,
// admin a super user, trader not): a DENY stops trader's writes with a clear error, its
// removal lets them through, and Kafka's own Admin client sees each change.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>

#include "cli_run.hpp"
#include "mib/mib.hpp"
#include "support/kafka_probe.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {

// The probe's ACLs as our bindings, for comparing with what we created.
std::vector<mib::AclBinding> probe_acls() {
  simdjson::dom::parser parser;
  const std::string text =
      mib::test::probe({"acls"}, mib::test::acl_brokers(), mib::test::acl_admin);
  std::vector<mib::AclBinding> out;
  for (auto a : parser.parse(text)["acls"].get_array()) {
    const auto s = [&](const char* key) { return std::string{std::string_view{a[key]}}; };
    mib::AclBinding b{.name = s("resource_name"), .principal = s("principal"), .host = s("host")};
    EXPECT_TRUE(mib::parse(s("resource_type"), b.resource));
    EXPECT_TRUE(mib::parse(s("pattern_type"), b.pattern));
    EXPECT_TRUE(mib::parse(s("operation"), b.operation));
    EXPECT_TRUE(mib::parse(s("permission"), b.permission));
    out.push_back(std::move(b));
  }
  return out;
}

mib::DeliveryReport send_as_trader(const std::string& topic) {
  mib::Config config = mib::test::acl_config(mib::test::acl_trader);
  config.set("producer.delivery_timeout_ms", "10s");
  mib::Producer producer{config};
  return producer.send({.topic = topic, .key = "AAPL", .value = "189.5"}).get();
}

}  // namespace

TEST(AdminAcl, ADenyStopsTradersWritesUntilItIsDeleted) {
  const mib::Admin admin{mib::test::acl_config(mib::test::acl_admin)};
  const auto topic = mib::test::unique_name("acl-deny");
  admin.create_topic({.name = topic, .partitions = 1, .replication = 1});
  ASSERT_TRUE(send_as_trader(topic).ok()) << "trader could not write before any ACL";

  const mib::AclBinding deny{.resource = mib::AclResource::topic,
                             .name = topic,
                             .principal = "User:trader",
                             .operation = mib::AclOperation::write,
                             .permission = mib::AclPermission::deny};
  admin.create_acls({deny});
  const auto found = admin.describe_acls({.resource = mib::AclResource::topic, .name = topic});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found.front(), deny);
  const auto seen = probe_acls();
  EXPECT_NE(std::find(seen.begin(), seen.end(), deny), seen.end()) << "Kafka does not see it";
  const auto by_principal = admin.describe_acls({.principal = "User:trader"});
  EXPECT_NE(std::find(by_principal.begin(), by_principal.end(), deny), by_principal.end());
  EXPECT_TRUE(admin.describe_acls({.principal = "User:nobody"}).empty());
  EXPECT_TRUE(
      admin.describe_acls({.name = topic, .permission = mib::AclPermission::allow}).empty());

  const auto start = std::chrono::steady_clock::now();
  const mib::DeliveryReport denied = send_as_trader(topic);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error.code(), mib::errc::topic_authorization_failed) << denied.error.message();
  EXPECT_NE(denied.error.message().find("authoriz"), std::string::npos) << denied.error.message();

  const auto deleted = admin.delete_acls(mib::AclFilter::exactly(deny));
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_EQ(deleted.front(), deny);
  const auto after = probe_acls();
  EXPECT_EQ(std::find(after.begin(), after.end(), deny), after.end()) << "still on the broker";
  admin.create_acls({{.resource = mib::AclResource::topic,
                      .name = topic,
                      .principal = "User:trader",
                      .operation = mib::AclOperation::write,
                      .permission = mib::AclPermission::allow}});
  const mib::DeliveryReport granted = send_as_trader(topic);
  EXPECT_TRUE(granted.ok()) << granted.error.message();
  admin.delete_acls({.resource = mib::AclResource::topic, .name = topic});
}

TEST(AdminAcl, AnAdminCallThePrincipalMayNotMakeIsAClearError) {
  const mib::Admin admin{mib::test::acl_config(mib::test::acl_admin)};
  const auto prefix = mib::test::unique_name("acl-nocreate");
  // Kafka allows a create with CREATE on the cluster or on the topic: deny both. Once the
  // cluster has an ACL, allow.everyone.if.no.acl.found no longer lets trader alter ACLs.
  const std::vector<mib::AclBinding> deny{{.resource = mib::AclResource::topic,
                                           .name = prefix,
                                           .pattern = mib::AclPattern::prefixed,
                                           .principal = "User:trader",
                                           .operation = mib::AclOperation::create,
                                           .permission = mib::AclPermission::deny},
                                          {.resource = mib::AclResource::cluster,
                                           .name = "kafka-cluster",
                                           .principal = "User:trader",
                                           .operation = mib::AclOperation::create,
                                           .permission = mib::AclPermission::deny}};
  admin.create_acls(deny);
  // MATCH finds the prefixed ACL that applies to a topic of that prefix.
  const auto applying = admin.describe_acls({.resource = mib::AclResource::topic,
                                             .name = prefix + "-t",
                                             .pattern = mib::AclPattern::match});
  ASSERT_EQ(applying.size(), 1u);
  EXPECT_EQ(applying.front(), deny.front());
  const mib::Admin trader{mib::test::acl_config(mib::test::acl_trader)};
  try {
    trader.create_topic({.name = prefix + "-t", .partitions = 1, .replication = 1});
    ADD_FAILURE() << "trader created a topic it is denied";
  } catch (const mib::Exception& e) {
    EXPECT_EQ(e.error().code(), mib::errc::topic_authorization_failed) << e.what();
    EXPECT_NE(std::string{e.what()}.find("create topic '" + prefix + "-t'"), std::string::npos)
        << e.what();
  }
  try {
    trader.create_acls({{.resource = mib::AclResource::topic,
                         .name = prefix,
                         .principal = "User:trader",
                         .operation = mib::AclOperation::all}});
    ADD_FAILURE() << "trader granted itself an ACL";
  } catch (const mib::Exception& e) {
    EXPECT_EQ(e.error().code(), mib::errc::cluster_authorization_failed) << e.what();
  }
  for (const auto& acl : deny)
    EXPECT_EQ(admin.delete_acls(mib::AclFilter::exactly(acl)).size(), 1u);
}

TEST(AclCli, CreateListAndDeleteAsKafkasToolsSpellThem) {
  const auto toml =
      std::filesystem::temp_directory_path() / (mib::test::unique_name("acl") + ".toml");
  std::ofstream{toml} << "[brokers]\naddresses = [\"" << mib::test::acl_brokers()
                      << "\"]\n[security]\nsecurity_protocol = \"SaslPlaintext\"\n"
                         "[security.sasl]\nmechanism = \"Plain\"\nusername = \"admin\"\n"
                         "password = \"admin-secret\"\n";
  const auto topic = mib::test::unique_name("acl-cli");
  const std::string f = toml.string();
  auto run = mib::test::run_cli({"acl", "create", "-F", f, "--deny", "--principal", "User:trader",
                                 "--operation", "write", "--operation", "read", "--topic", topic});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  const mib::AclBinding write{.resource = mib::AclResource::topic,
                              .name = topic,
                              .principal = "User:trader",
                              .operation = mib::AclOperation::write,
                              .permission = mib::AclPermission::deny};
  auto seen = probe_acls();
  EXPECT_NE(std::find(seen.begin(), seen.end(), write), seen.end()) << run.output();

  run = mib::test::run_cli({"acl", "list", "-F", f, "--topic", topic});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  ASSERT_EQ(run.lines.size(), 3u) << run.output();  // the heading and two ACLs
  EXPECT_NE(run.output().find("User:trader  *     READ       DENY        TOPIC"), std::string::npos)
      << run.output();

  run = mib::test::run_cli({"acl", "delete", "-F", f});
  EXPECT_EQ(run.exit_code, 2) << "deleting every ACL needs a filter: " << run.output();
  run = mib::test::run_cli({"acl", "delete", "-F", f, "--topic", topic, "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.output();
  EXPECT_NE(run.output().find("\"deleted\":true"), std::string::npos) << run.output();
  seen = probe_acls();
  EXPECT_EQ(std::find(seen.begin(), seen.end(), write), seen.end()) << "still on the broker";
  std::filesystem::remove(toml);
}
