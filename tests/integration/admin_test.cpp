// mib::Admin against the real broker. Every change is checked through a second path:
// Kafka's own Java Admin client (tools/kafka/AdminProbe.java), never our code alone.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <set>

#include "mib/mib.hpp"
#include "support/kafka_probe.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {

// One probe answer, parsed.
struct Probe {
  simdjson::dom::parser parser;
  simdjson::dom::element root;

  explicit Probe(const std::vector<std::string>& args,
                 const std::string& brokers = mib::test::test_brokers()) {
    text = mib::test::probe(args, brokers);
    root = parser.parse(text);
  }
  simdjson::dom::array list(const char* key) const { return root[key].get_array(); }

 private:
  std::string text;
};

std::string str(simdjson::dom::element e) {
  return std::string{std::string_view{e.get_string()}};
}

// The probe's value of `name` in a configs list, or "" if absent.
std::string probe_config(const Probe& p, std::string_view name) {
  for (auto entry : p.list("configs")) {
    if (str(entry["name"]) == name) return entry["value"].is_null() ? "" : str(entry["value"]);
  }
  return "";
}

mib::Config config_for(const std::string& brokers = mib::test::test_brokers()) {
  mib::Config config;
  config.set("brokers.addresses", brokers);
  return config;
}

std::set<std::string> probe_topic_names(const std::string& brokers = mib::test::test_brokers()) {
  const Probe p{{"topics"}, brokers};
  std::set<std::string> names;
  for (auto t : p.list("topics")) names.insert(str(t["name"]));
  return names;
}

// What a call threw, for checking code and message.
template <typename Call>
mib::Error thrown(Call&& call) {
  try {
    call();
  } catch (const mib::Exception& e) {
    return e.error();
  }
  return {};
}

// Sends `count` records to one partition and waits for each report.
void produce(const std::string& brokers, const std::string& topic, int partition, int count) {
  mib::Producer producer{config_for(brokers)};
  for (int i = 0; i < count; ++i) {
    producer.send({.topic = topic, .value = "v" + std::to_string(i), .partition = partition});
  }
  ASSERT_FALSE(producer.flush(30s));
}

}  // namespace

TEST(Admin, CreatesDescribesGrowsTrimsAndDeletesTopics) {
  const auto brokers = mib::test::test_brokers();
  const mib::Admin admin{config_for()};
  const auto topic = mib::test::unique_name("admin-topic");

  admin.create_topic({.name = topic + "-dry", .partitions = 2, .replication = 1}, true);
  admin.create_topic({.name = topic,
                      .partitions = 3,
                      .replication = 1,
                      .configs = {{"retention.ms", "3600000"}, {"max.message.bytes", "65536"}}});
  {
    const Probe p{{"describe-topic", topic}};
    EXPECT_EQ(p.list("partitions").size(), 3u);
    EXPECT_EQ(probe_config(p, "retention.ms"), "3600000");
    EXPECT_EQ(probe_config(p, "max.message.bytes"), "65536");
    const auto names = probe_topic_names();
    EXPECT_TRUE(names.contains(topic));
    EXPECT_FALSE(names.contains(topic + "-dry")) << "validate_only created the topic";
  }

  const mib::TopicDescription d = admin.describe_topic(topic);
  ASSERT_EQ(d.partitions.size(), 3u);
  for (const auto& p : d.partitions) {
    EXPECT_EQ(p.leader, 1);
    EXPECT_EQ(p.replicas, std::vector<std::int32_t>{1});
    EXPECT_EQ(p.isr, std::vector<std::int32_t>{1});
  }
  ASSERT_NE(d.config("retention.ms"), nullptr);
  EXPECT_EQ(d.config("retention.ms")->value, "3600000");
  EXPECT_EQ(d.config("retention.ms")->source, mib::ConfigValueSource::dynamic_topic);
  ASSERT_NE(d.config("min.compaction.lag.ms"), nullptr);
  EXPECT_EQ(d.config("min.compaction.lag.ms")->source, mib::ConfigValueSource::default_config);
  ASSERT_NE(d.config("segment.bytes"), nullptr);  // scripts/kafka's log.segment.bytes
  EXPECT_EQ(d.config("segment.bytes")->source, mib::ConfigValueSource::static_broker);

  const auto listed = admin.list_topics();
  EXPECT_TRUE(std::any_of(listed.begin(), listed.end(), [&](const auto& t) {
    return t.name == topic && t.partitions == 3 && !t.internal;
  }));
  EXPECT_TRUE(std::none_of(listed.begin(), listed.end(), [](const auto& t) { return t.internal; }));
  {
    std::set<std::pair<std::string, bool>> ours, kafkas;  // with internal topics: as Kafka's
    for (const auto& t : admin.list_topics(true)) ours.insert({t.name, t.internal});
    const Probe probe{{"topics"}};
    for (auto t : probe.list("topics")) kafkas.insert({str(t["name"]), bool(t["internal"])});
    EXPECT_EQ(ours, kafkas);
    EXPECT_TRUE(ours.contains({"__consumer_offsets", true}) ||
                !kafkas.contains({"__consumer_offsets", true}));
  }

  admin.create_partitions(topic, 5);
  EXPECT_EQ(Probe({"describe-topic", topic}).list("partitions").size(), 5u);

  produce(brokers, topic, 0, 10);
  const auto low = admin.delete_records({{topic, 0, 4}});
  ASSERT_EQ(low.size(), 1u);
  EXPECT_EQ(low.front().offset, 4);
  {
    const Probe p{{"log-offsets", topic}};
    auto first = p.list("partitions").at(0);
    EXPECT_EQ(int64_t(first["partition"]), 0);
    EXPECT_EQ(int64_t(first["earliest"]), 4);
    EXPECT_EQ(int64_t(first["latest"]), 10);
  }
  const auto offsets = admin.list_offsets(topic);
  ASSERT_EQ(offsets.size(), 5u);
  EXPECT_EQ(offsets[0].earliest, 4);
  EXPECT_EQ(offsets[0].latest, 10);
  EXPECT_EQ(offsets[1].latest, 0);

  admin.delete_topic(topic);
  EXPECT_TRUE(mib::test::wait_until([&] { return !probe_topic_names().contains(topic); }, 30s));
}

TEST(Admin, EachRefusalIsAClearErrorNamingTheResource) {
  const mib::Admin admin{config_for()};
  const auto topic = mib::test::unique_name("admin-errors");
  admin.create_topic({.name = topic, .partitions = 1, .replication = 1});

  mib::Error err = thrown([&] { admin.create_topic({.name = topic, .partitions = 1}); });
  EXPECT_EQ(err.code(), mib::errc::topic_already_exists);
  EXPECT_NE(err.message().find("create topic '" + topic + "'"), std::string::npos) << err.message();

  const auto missing = mib::test::unique_name("admin-missing");
  err = thrown([&] { admin.describe_topic(missing); });
  EXPECT_EQ(err.code(), mib::errc::unknown_topic_or_partition);
  EXPECT_NE(err.message().find(missing), std::string::npos) << err.message();
  err = thrown([&] { admin.delete_topic(missing); });
  EXPECT_EQ(err.code(), mib::errc::unknown_topic_or_partition);
  EXPECT_NE(err.message().find(missing), std::string::npos) << err.message();

  err = thrown([&] { admin.create_topic({.name = missing, .partitions = 0}); });
  EXPECT_EQ(err.code(), mib::errc::invalid_partitions);
  EXPECT_NE(err.message().find(missing), std::string::npos) << err.message();
  err = thrown([&] { admin.create_topic({.name = missing, .partitions = 1, .replication = 3}); });
  EXPECT_EQ(err.code(), mib::errc::invalid_replication_factor);
  EXPECT_NE(err.message().find(missing), std::string::npos) << err.message();
  err = thrown([&] { admin.create_partitions(topic, 1); });  // cannot shrink or stay
  EXPECT_EQ(err.code(), mib::errc::invalid_partitions);
  EXPECT_NE(err.message().find(topic), std::string::npos) << err.message();

  err = thrown([&] {
    admin.create_topic({.name = missing, .partitions = 1, .configs = {{"no.such.key", "1"}}});
  });
  EXPECT_EQ(err.code(), mib::errc::invalid_config);
  EXPECT_NE(err.message().find("no.such.key"), std::string::npos) << err.message();
  err = thrown([&] {
    admin.alter_configs(mib::ConfigResource::topic(topic),
                        {mib::ConfigChange::set("retention.ms", "soon")});
  });
  EXPECT_EQ(err.code(), mib::errc::invalid_config);
  EXPECT_NE(err.message().find("retention.ms"), std::string::npos) << err.message();
  EXPECT_NE(err.message().find(topic), std::string::npos) << err.message();
  EXPECT_FALSE(probe_topic_names().contains(missing));
}

TEST(Admin, AltersConfigsIncrementallyKeepingTheKeysNotNamed) {
  const mib::Admin admin{config_for()};
  const auto topic = mib::test::unique_name("admin-configs");
  admin.create_topic({.name = topic, .partitions = 1, .configs = {{"max.message.bytes", "65536"}}});
  const auto resource = mib::ConfigResource::topic(topic);

  admin.alter_configs(resource, {mib::ConfigChange::set("retention.ms", "7200000"),
                                 mib::ConfigChange::append("cleanup.policy", "compact")});
  {
    const Probe p{{"topic-config", topic}};
    EXPECT_EQ(probe_config(p, "retention.ms"), "7200000");
    EXPECT_EQ(probe_config(p, "cleanup.policy"), "delete,compact");
    EXPECT_EQ(probe_config(p, "max.message.bytes"), "65536") << "a key not named was lost";
  }
  admin.alter_configs(resource, {mib::ConfigChange::subtract("cleanup.policy", "delete"),
                                 mib::ConfigChange::remove("retention.ms")});
  {
    const Probe p{{"topic-config", topic}};
    EXPECT_EQ(probe_config(p, "cleanup.policy"), "compact");
    EXPECT_EQ(probe_config(p, "retention.ms"), "604800000") << "not back at Kafka's default";
    EXPECT_EQ(probe_config(p, "max.message.bytes"), "65536");
  }
  admin.alter_configs(resource, {mib::ConfigChange::set("retention.ms", "1000")}, true);
  EXPECT_EQ(probe_config(Probe{{"topic-config", topic}}, "retention.ms"), "604800000")
      << "validate_only changed the topic";

  // A broker: its static settings (scripts/kafka's server.properties) and a dynamic one.
  const auto broker = mib::ConfigResource::broker(1);
  const auto entries = admin.describe_configs(broker);
  const auto* segment = mib::find_config(entries, "log.segment.bytes");
  ASSERT_NE(segment, nullptr);
  EXPECT_EQ(segment->value, "67108864");
  EXPECT_EQ(segment->source, mib::ConfigValueSource::static_broker);
  admin.alter_configs(broker, {mib::ConfigChange::set("log.cleaner.backoff.ms", "16000")});
  {
    const Probe p{{"broker-config", "1"}};
    EXPECT_EQ(probe_config(p, "log.cleaner.backoff.ms"), "16000");
  }
  admin.alter_configs(broker, {mib::ConfigChange::remove("log.cleaner.backoff.ms")});
  EXPECT_EQ(probe_config(Probe{{"broker-config", "1"}}, "log.cleaner.backoff.ms"), "15000");
}

TEST(Admin, GroupsTheirLagResetsAndDeletion) {
  const auto brokers = mib::test::test_brokers();
  const mib::Admin admin{config_for()};
  const auto topic = mib::test::unique_name("admin-group");
  const auto group = mib::test::unique_name("admin-group-g");
  admin.create_topic({.name = topic, .partitions = 2, .replication = 1});
  produce(brokers, topic, 0, 6);
  produce(brokers, topic, 1, 4);

  {
    mib::Config config = config_for();
    config.set("consumer.group_id", group);
    mib::Consumer consumer{config, {.topics = {topic}}};
    ASSERT_TRUE(mib::test::wait_until(
        [&] {
          consumer.poll(100ms);
          return consumer.assignment().size() == 2;
        },
        30s));
    ASSERT_FALSE(consumer.commit({{topic, 0, 4}, {topic, 1, 1}}));

    const auto groups = admin.list_groups();
    const auto listed =
        std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.id == group; });
    ASSERT_NE(listed, groups.end());
    EXPECT_EQ(listed->state, mib::GroupState::stable);

    const mib::GroupDescription d = admin.describe_group(group);
    EXPECT_EQ(d.state, mib::GroupState::stable);
    EXPECT_FALSE(d.protocol.empty());
    EXPECT_EQ(d.coordinator.id, 1);
    ASSERT_EQ(d.members.size(), 1u);
    EXPECT_NE(d.members[0].host.find("127.0.0.1"), std::string::npos) << d.members[0].host;
    EXPECT_EQ(d.members[0].assignment,
              (std::vector<mib::TopicPartition>{{topic, 0, -1001}, {topic, 1, -1001}}));
    const Probe p{{"describe-group", group}};
    EXPECT_EQ(str(p.root["state"]), "Stable");
    ASSERT_EQ(p.list("members").size(), 1u);
    EXPECT_EQ(str(p.list("members").at(0)["member_id"]), d.members[0].member_id);
    EXPECT_EQ(str(p.list("members").at(0)["client_id"]), d.members[0].client_id);

    const mib::GroupLag lag = admin.group_lag(group);
    ASSERT_EQ(lag.partitions.size(), 2u);
    EXPECT_EQ(lag.partitions[0].committed, 4);
    EXPECT_EQ(lag.partitions[0].high_watermark, 6);
    EXPECT_EQ(lag.partitions[0].lag, 2);
    EXPECT_EQ(lag.partitions[1].lag, 3);
    EXPECT_EQ(lag.partitions[0].member_id, d.members[0].member_id);
    EXPECT_EQ(lag.total(), 5);

    const mib::Error err = thrown([&] { admin.delete_group(group); });
    EXPECT_EQ(err.code(), mib::errc::non_empty_group);
    EXPECT_NE(err.message().find(group), std::string::npos) << err.message();
    const mib::Error busy =
        thrown([&] { admin.reset_offsets(group, {}, mib::ResetTo::earliest(), true); });
    EXPECT_EQ(busy.code(), mib::errc::state);
    EXPECT_NE(busy.message().find("Stable"), std::string::npos) << busy.message();
    consumer.close();
  }
  EXPECT_TRUE(mib::test::wait_until(
      [&] { return admin.describe_group(group).state == mib::GroupState::empty; }, 30s));

  const auto committed = [&] {
    const Probe p{{"group-offsets", group}};
    std::map<int, std::int64_t> out;
    for (auto o : p.list("offsets"))
      out[static_cast<int>(int64_t(o["partition"]))] = int64_t(o["offset"]);
    return out;
  };
  using Offsets = std::map<int, std::int64_t>;
  const auto plan = admin.reset_offsets(group, {}, mib::ResetTo::earliest());  // a dry run
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].current, 4);
  EXPECT_EQ(plan[0].target, 0);
  EXPECT_EQ(committed(), (Offsets{{0, 4}, {1, 1}})) << "the dry run moved offsets";

  admin.reset_offsets(group, {}, mib::ResetTo::earliest(), true);
  EXPECT_EQ(committed(), (Offsets{{0, 0}, {1, 0}}));
  admin.reset_offsets(group, {topic}, mib::ResetTo::shift_by(3), true);
  EXPECT_EQ(committed(), (Offsets{{0, 3}, {1, 3}}));
  admin.reset_offsets(group, {}, mib::ResetTo::offset(100), true);  // clamped to the ends
  EXPECT_EQ(committed(), (Offsets{{0, 6}, {1, 4}}));
  const auto at_future =
      admin.reset_offsets(group, {}, mib::ResetTo::time(std::chrono::system_clock::now() + 1h));
  EXPECT_EQ(at_future[0].target, 6);
  const auto at_past =
      admin.reset_offsets(group, {}, mib::ResetTo::time(std::chrono::system_clock::now() - 1h));
  EXPECT_EQ(at_past[0].target, 0);
  EXPECT_EQ(at_past[1].target, 0);
  EXPECT_EQ(admin.group_offsets(group).size(), 2u);

  admin.delete_group_offsets(group, {{topic, 1}});
  EXPECT_EQ(committed(), (Offsets{{0, 6}}));
  admin.delete_group(group);
  const Probe groups{{"groups"}};
  for (auto g : groups.list("groups")) EXPECT_NE(str(g["group_id"]), group);
  EXPECT_EQ(thrown([&] { admin.describe_group(group); }).code(), mib::errc::group_id_not_found);
}

TEST(Admin, DescribesTheClusterAsKafkasOwnClientDoes) {
  const mib::Admin admin{config_for()};
  const mib::ClusterDescription c = admin.describe_cluster();
  const Probe p{{"cluster"}};
  EXPECT_EQ(c.cluster_id, str(p.root["cluster_id"]));
  EXPECT_EQ(c.controller, int64_t(p.root["controller"]));
  ASSERT_EQ(c.brokers.size(), p.list("nodes").size());
  auto node = p.list("nodes").at(0);
  EXPECT_EQ(c.brokers[0].id, int64_t(node["id"]));
  EXPECT_EQ(c.brokers[0].port, int64_t(node["port"]));
  ASSERT_FALSE(node["rack"].is_null()) << "scripts/kafka gives its broker a rack";
  EXPECT_EQ(c.brokers[0].rack, str(node["rack"]));
}

TEST(Admin, EnsuresTheStandardTopicsAndReportsWhatDiffers) {
  mib::Config config = config_for();
  const auto prefix = mib::test::unique_name("std");
  config.set("topics.prefix", prefix);
  const mib::Admin admin{config};

  const mib::EnsureReport first = admin.ensure_topics();
  EXPECT_EQ(first.created.size(), 5u);
  EXPECT_TRUE(first.existing.empty());
  EXPECT_TRUE(first.consistent());
  ASSERT_FALSE(first.warnings.empty());  // replication 3 on one broker
  EXPECT_NE(first.warnings.front().find("capped to 1"), std::string::npos)
      << first.warnings.front();
  {
    const Probe p{{"describe-topic", prefix + ".trades"}};
    EXPECT_EQ(p.list("partitions").size(), 8u);
    EXPECT_EQ(probe_config(p, "cleanup.policy"), "compact");
    EXPECT_EQ(probe_config(p, "compression.type"), "zstd");
    EXPECT_EQ(probe_config(p, "retention.ms"), "2592000000");
    EXPECT_EQ(probe_config(p, "max.message.bytes"), "262144");
  }
  EXPECT_EQ(probe_config(Probe{{"describe-topic", prefix + ".control"}}, "compression.type"),
            "uncompressed");

  const mib::EnsureReport again = admin.ensure_topics();
  EXPECT_TRUE(again.created.empty());
  EXPECT_EQ(again.existing.size(), 5u);
  EXPECT_TRUE(again.differences.empty());

  // Someone changed a topic, and the configuration now asks for more partitions.
  admin.alter_configs(mib::ConfigResource::topic(prefix + ".orders"),
                      {mib::ConfigChange::set("retention.ms", "1000")});
  mib::Config wider = config;
  wider.set("topics.orders.partitions", "9");
  const mib::Admin wider_admin{wider};
  const mib::EnsureReport report = wider_admin.ensure_topics();
  ASSERT_EQ(report.differences.size(), 2u);
  std::map<std::string, mib::TopicDifference> by_key;
  for (const auto& d : report.differences) by_key[d.key] = d;
  EXPECT_EQ(by_key["partitions"].topic, prefix + ".orders");
  EXPECT_EQ(by_key["partitions"].wanted, "9");
  EXPECT_EQ(by_key["partitions"].actual, "6");
  EXPECT_EQ(by_key["retention.ms"].wanted, "604800000");
  EXPECT_EQ(by_key["retention.ms"].actual, "1000");
  EXPECT_FALSE(report.consistent());
  EXPECT_EQ(Probe({"describe-topic", prefix + ".orders"}).list("partitions").size(), 6u)
      << "changed without being asked to";

  const mib::EnsureReport fixed = wider_admin.ensure_topics(true);
  EXPECT_TRUE(fixed.consistent());
  const Probe p{{"describe-topic", prefix + ".orders"}};
  EXPECT_EQ(p.list("partitions").size(), 9u);
  EXPECT_EQ(probe_config(p, "retention.ms"), "604800000");
}

TEST(Admin, AclCallsOnAClusterWithoutAnAuthorizerSaySo) {
  const mib::Admin admin{config_for()};
  const mib::Error err = thrown([&] { admin.describe_acls(); });
  EXPECT_EQ(err.code(), mib::errc::security_disabled) << err.message();
  EXPECT_NE(err.message().find("ACL"), std::string::npos) << err.message();
}
