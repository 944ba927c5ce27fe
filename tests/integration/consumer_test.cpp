// The Consumer on the real broker: replay by time, pause/resume, lag against known
// offsets, commit modes and the handler loop's dead letters. Groups and rebalances are in
// consumer_group_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {

const mib::Timestamp market_open{
    std::chrono::milliseconds{1'795'771'800'000}};  // 2026-11-27T09:30Z

// Record i goes to partition i % partitions with timestamp market_open + i seconds.
void produce_timed(const std::string& brokers, const std::string& topic, int count,
                   int partitions) {
  mib::Producer producer{{{"bootstrap.servers", brokers}}};
  for (int i = 0; i < count; ++i) {
    producer.send({.topic = topic,
                   .key = "k",
                   .value = "tick-" + std::to_string(i),
                   .partition = i % partitions,
                   .timestamp = market_open + std::chrono::seconds{i}},
                  [](const mib::DeliveryReport& r) { EXPECT_TRUE(r.ok()) << r.error.message(); });
  }
  ASSERT_TRUE(producer.flush(30s).ok());
}

mib::KafkaProperties consumer_properties(const std::string& brokers, const std::string& group) {
  return {{"bootstrap.servers", brokers},
          {"group.id", group},
          {"auto.offset.reset", "earliest"},
          {"enable.auto.commit", "false"}};
}

// Polls until `count` records arrived or 20 s passed.
std::vector<mib::Message> poll_records(mib::Consumer& consumer, std::size_t count) {
  std::vector<mib::Message> out;
  mib::test::wait_until(
      [&] {
        while (auto m = consumer.poll(20ms)) {
          EXPECT_TRUE(m->ok()) << m->error().message();
          if (m->ok()) out.push_back(std::move(*m));
          if (out.size() >= count) return true;
        }
        return false;
      },
      20s);
  return out;
}

std::set<std::string> values_of(const std::vector<mib::Message>& messages) {
  std::set<std::string> out;
  for (const auto& m : messages) out.emplace(m.value());
  return out;
}

std::set<std::string> ticks(int from, int to) {
  std::set<std::string> out;
  for (int i = from; i < to; ++i) out.insert("tick-" + std::to_string(i));
  return out;
}

}  // namespace

TEST(RealBrokerConsumer, SeekToTimeReplaysEveryPartitionFromThatMoment) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("replay");
  mib::test::create_topic(brokers, topic, 3);
  produce_timed(brokers, topic, 90, 3);

  mib::Consumer consumer{consumer_properties(brokers, mib::test::unique_name("replayer"))};
  consumer.assign(
      {{topic, 0, mib::offset::end}, {topic, 1, mib::offset::end}, {topic, 2, mib::offset::end}});
  // 09:31:00 is record 60: records 60..89 and nothing before, in every partition.
  ASSERT_TRUE(consumer.seek_to_time(market_open + 60s, 10s).ok());
  const auto replayed = poll_records(consumer, 30);
  EXPECT_EQ(values_of(replayed), ticks(60, 90));
  for (const auto& m : replayed) EXPECT_GE(m.timestamp(), market_open + 60s);
  EXPECT_FALSE(consumer.poll(300ms).has_value()) << "more than the records after the time";

  // A time after the last record: nothing to replay, each partition reads from its end.
  ASSERT_TRUE(consumer.seek_to_time(market_open + 1h, 10s).ok());
  EXPECT_FALSE(consumer.poll(300ms).has_value());
}

TEST(RealBrokerConsumer, SeekToTimeInOnAssignedStartsAGroupMemberThere) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("replay-group");
  mib::test::create_topic(brokers, topic, 2);
  produce_timed(brokers, topic, 40, 2);

  mib::Error seek_error;
  mib::Consumer consumer{
      consumer_properties(brokers, mib::test::unique_name("replay-group")),
      {.topics = {topic}, .rebalance = {.on_assigned = [&](mib::Consumer& c, const auto&) {
                            seek_error = c.seek_to_time(market_open + 30s, 10s);
                          }}}};
  const auto replayed = poll_records(consumer, 10);
  ASSERT_TRUE(seek_error.ok()) << seek_error.message();
  EXPECT_EQ(values_of(replayed), ticks(30, 40));
  EXPECT_FALSE(consumer.poll(300ms).has_value());
}

TEST(RealBrokerConsumer, PauseHoldsOnePartitionBackWhileOthersFlow) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("paused");
  mib::test::create_topic(brokers, topic, 2);
  produce_timed(brokers, topic, 40, 2);  // even ticks on partition 0, odd on 1

  mib::Consumer consumer{consumer_properties(brokers, mib::test::unique_name("pauser"))};
  consumer.assign({{topic, 0, mib::offset::beginning}, {topic, 1, mib::offset::beginning}});
  consumer.pause({{topic, 1}});
  const auto flowing = poll_records(consumer, 20);
  for (const auto& m : flowing) EXPECT_EQ(m.partition(), 0) << "from the paused partition";
  EXPECT_FALSE(consumer.poll(500ms).has_value());
  consumer.resume({{topic, 1}});
  const auto resumed = poll_records(consumer, 20);
  ASSERT_EQ(resumed.size(), 20u);
  for (const auto& m : resumed) EXPECT_EQ(m.partition(), 1);
}

TEST(RealBrokerConsumer, LagPerPartitionMatchesKnownOffsets) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("lag");
  mib::test::create_topic(brokers, topic, 3);
  {
    // 30 records on partition 0, none on 1, 10 on 2.
    mib::Producer producer{{{"bootstrap.servers", brokers}}};
    for (int i = 0; i < 40; ++i)
      producer.send({.topic = topic, .key = "k", .value = "v", .partition = i < 30 ? 0 : 2});
    ASSERT_TRUE(producer.flush(30s).ok());
  }
  const auto group = mib::test::unique_name("lag");
  {
    mib::Consumer committer{consumer_properties(brokers, group)};
    ASSERT_TRUE(committer.commit({{topic, 2, 4}}).ok());
  }
  mib::Consumer consumer{consumer_properties(brokers, group)};
  consumer.assign({{topic, 0, mib::offset::beginning},
                   {topic, 1, mib::offset::beginning},
                   {topic, 2, mib::offset::stored}});
  consumer.pause({{topic, 2}});  // known committed offset, no position yet
  const auto read = poll_records(consumer, 12);
  ASSERT_EQ(read.size(), 12u);

  std::map<std::int32_t, mib::PartitionLag> by_partition;
  for (auto& l : consumer.lag(10s)) by_partition[l.partition] = l;
  ASSERT_EQ(by_partition.size(), 3u);
  EXPECT_EQ(by_partition[0].high_watermark, 30);
  EXPECT_EQ(by_partition[0].position, 12);
  EXPECT_EQ(by_partition[0].lag, 18);
  EXPECT_EQ(by_partition[1].high_watermark, 0);
  EXPECT_EQ(by_partition[1].lag, 0);  // empty
  EXPECT_EQ(by_partition[2].high_watermark, 10);
  EXPECT_EQ(by_partition[2].position, std::nullopt);
  EXPECT_EQ(by_partition[2].committed, 4);
  EXPECT_EQ(by_partition[2].lag, 6);
}

TEST(RealBrokerConsumer, AutoCommitCommitsOnlyWhatTheApplicationIsDoneWith) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("autocommit");
  mib::test::create_topic(brokers, topic, 1);
  produce_timed(brokers, topic, 10, 1);
  auto properties = consumer_properties(brokers, mib::test::unique_name("autocommit"));
  properties["enable.auto.commit"] = "true";
  properties["auto.commit.interval.ms"] = "100";

  mib::Consumer consumer{properties};
  consumer.assign({{topic, 0, mib::offset::beginning}});
  ASSERT_EQ(poll_records(consumer, 10).size(), 10u);
  // The last record is still in the application's hands: auto-commit covers 9 records,
  // and still does some commit periods later.
  EXPECT_TRUE(mib::test::wait_until(
      [&] {
        return consumer.committed({{topic, 0}}, 10s)[0].offset == 9;
      },
      10s));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(consumer.committed({{topic, 0}}, 10s)[0].offset, 9);
  // The next poll says the application is done with it.
  consumer.poll(10ms);
  EXPECT_TRUE(mib::test::wait_until(
      [&] {
        return consumer.committed({{topic, 0}}, 10s)[0].offset == 10;
      },
      10s));
}

// Every partition's done offset reaches the commit, from the consumer's offset-store thread
// (auto-commit) and from close() (a commit interval too long to come first).
TEST(RealBrokerConsumer, AutoCommitAndCloseCommitEveryPartitionDoneWith) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("autocommit_all");
  mib::test::create_topic(brokers, topic, 3);
  produce_timed(brokers, topic, 30, 3);
  const std::vector<mib::TopicPartition> partitions{{topic, 0}, {topic, 1}, {topic, 2}};
  const auto committed_all = [&](mib::Consumer& c, std::int64_t offset) {
    const auto got = c.committed(partitions, 10s);
    return got.size() == 3 &&
           std::all_of(got.begin(), got.end(), [&](const auto& p) { return p.offset == offset; });
  };

  {
    auto properties = consumer_properties(brokers, mib::test::unique_name("autocommit_all"));
    properties["enable.auto.commit"] = "true";
    properties["auto.commit.interval.ms"] = "100";
    mib::Consumer consumer{properties, {.topics = {topic}}};
    ASSERT_EQ(poll_records(consumer, 30).size(), 30u);
    consumer.poll(10ms);  // done with the last one
    EXPECT_TRUE(mib::test::wait_until([&] { return committed_all(consumer, 10); }, 10s));
  }

  const auto group = mib::test::unique_name("close_commits");
  {
    auto properties = consumer_properties(brokers, group);
    properties["enable.auto.commit"] = "true";
    properties["auto.commit.interval.ms"] = "600000";
    mib::Consumer consumer{properties, {.topics = {topic}}};
    ASSERT_EQ(poll_records(consumer, 30).size(), 30u);
    consumer.close();  // done with every record: close stores and commits them
  }
  mib::Consumer after{consumer_properties(brokers, group)};
  EXPECT_TRUE(committed_all(after, 10));
}
