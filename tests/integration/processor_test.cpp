// The Processor on the real broker: a poison record dead-lettered and committed past,
// and a consume-transform-produce job killed between produce and commit that still
// writes every input exactly once.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mib/mib.hpp"
#include "support/roundtrip.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {

std::string copier_command(const std::string& brokers, const std::string& input,
                           const std::string& output, const std::string& group,
                           const std::string& transactional_id, int kill_after) {
  return mib::test::concat(MIB_EXACTLY_ONCE_COPIER, " ", brokers, " ", input, " ", output, " ",
                           group, " ", transactional_id, " ", std::to_string(kill_after), " 2>&1");
}

// How many times each value appears.
std::map<std::string, int> counts(const std::vector<mib::Message>& records) {
  std::map<std::string, int> out;
  for (const auto& m : records) ++out[std::string{m.value()}];
  return out;
}

}  // namespace

TEST(RealBrokerProcessor, DeadLettersAPoisonRecordAndCommitsPastIt) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("poison");
  const auto group = mib::test::unique_name("poison");
  ASSERT_NO_FATAL_FAILURE(mib::test::create_topic(brokers, topic, 1));
  ASSERT_NO_FATAL_FAILURE(mib::test::create_topic(brokers, topic + ".dlq", 1));
  std::vector<mib::test::Placement> placed;
  ASSERT_NO_FATAL_FAILURE(mib::test::produce_numbered(brokers, topic, 0, 20, 1, placed));
  const mib::KafkaProperties properties{{"bootstrap.servers", brokers},
                                        {"group.id", group},
                                        {"auto.offset.reset", "earliest"},
                                        {"enable.auto.commit", "false"}};

  std::mutex mutex;
  std::vector<std::string> handled;
  std::atomic<int> attempts{0};
  {
    mib::Consumer consumer{properties, {.topics = {topic}}};
    mib::Producer producer{{{"bootstrap.servers", brokers}}};
    mib::Processor processor{
        consumer, producer, {.error_policy = mib::ErrorPolicy::retry(1, 10ms).then_dead_letter()}};
    processor.run([&](const mib::Message& m) {
      if (m.value() == "value-7") {
        ++attempts;
        throw std::invalid_argument{"malformed tick"};
      }
      const std::lock_guard lock{mutex};
      handled.emplace_back(m.value());
    });
    EXPECT_TRUE(mib::test::wait_until(
        [&] {
          const std::lock_guard lock{mutex};
          return handled.size() == 19;
        },
        30s));
    processor.stop();
    EXPECT_TRUE(processor.wait().ok());
  }
  EXPECT_EQ(attempts.load(), 2);

  // The group resumes after the last record: nothing is handled twice.
  mib::Consumer after{properties};
  EXPECT_EQ(after.committed({{topic, 0}}, 10s)[0].offset, 20);

  const auto letters = mib::test::read_from_beginning(brokers, topic + ".dlq", 1);
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].value(), "value-7");
  EXPECT_EQ(letters[0].header("seq"), "7");  // the record's own headers travel with it
  EXPECT_EQ(letters[0].header("mib.dlq.original.offset"), "7");
  EXPECT_EQ(letters[0].header("mib.dlq.group"), group);
  EXPECT_EQ(letters[0].header("mib.dlq.error.code"), "_APPLICATION");
  EXPECT_NE(letters[0].header("mib.dlq.error.message").value_or("").find("malformed tick"),
            std::string_view::npos);
}

// commit_interval: batches go on while the handler's sends are in flight, and the offsets
// of what was handled are held until a flush: not committed mid-interval (even with
// auto-commit on), committed at the interval and when the loop stops; nothing lost.
TEST(RealBrokerProcessor, ACommitIntervalHoldsOffsetsUntilTheSendsAreFlushed) {
  const auto brokers = mib::test::test_brokers();
  const auto input = mib::test::unique_name("held-in");
  const auto output = mib::test::unique_name("held-out");
  const auto group = mib::test::unique_name("held");
  ASSERT_NO_FATAL_FAILURE(mib::test::create_topic(brokers, input, 1));
  ASSERT_NO_FATAL_FAILURE(mib::test::create_topic(brokers, output, 1));
  std::vector<mib::test::Placement> placed;
  ASSERT_NO_FATAL_FAILURE(mib::test::produce_numbered(brokers, input, 0, 50, 1, placed));
  const mib::KafkaProperties properties{{"bootstrap.servers", brokers},
                                        {"group.id", group},
                                        {"auto.offset.reset", "earliest"},
                                        {"enable.auto.commit", "true"},
                                        {"auto.commit.interval.ms", "100"}};
  const auto committed = [&] {
    mib::Consumer probe{{{"bootstrap.servers", brokers}, {"group.id", group}}};
    return probe.committed({{input, 0}}, 10s)[0].offset;
  };
  std::atomic<int> handled{0};
  {
    mib::Consumer consumer{properties, {.topics = {input}}};
    mib::Producer producer{{{"bootstrap.servers", brokers}}};
    mib::Processor processor{consumer, producer, {.commit_interval = std::chrono::hours{1}}};
    processor.run([&](const mib::Message& m) {
      producer.send({.topic = output, .key = m.key(), .value = m.value()});
      ++handled;
    });
    ASSERT_TRUE(mib::test::wait_until([&] { return handled.load() == 50; }, 30s));
    std::this_thread::sleep_for(1s);  // auto-commit ran several times: it had nothing
    EXPECT_LT(committed(), 0);        // no offset committed yet
    processor.stop();
    EXPECT_TRUE(processor.wait().ok());
    EXPECT_EQ(committed(), 50);  // flushed and committed when the loop stopped
  }
  EXPECT_EQ(mib::test::read_from_beginning(brokers, output, 50).size(), 50U);

  // And at the interval, while it runs.
  ASSERT_NO_FATAL_FAILURE(mib::test::produce_numbered(brokers, input, 0, 10, 1, placed));
  mib::Consumer consumer{properties, {.topics = {input}}};
  mib::Producer producer{{{"bootstrap.servers", brokers}}};
  mib::Processor processor{consumer, producer, {.commit_interval = 200ms}};
  processor.run([&](const mib::Message& m) {
    producer.send({.topic = output, .key = m.key(), .value = m.value()});
  });
  EXPECT_TRUE(mib::test::wait_until([&] { return committed() == 60; }, 30s));
  processor.stop();
  EXPECT_TRUE(processor.wait().ok());
}

TEST(RealBrokerProcessor, ExactlyOnceSurvivesAKillBetweenProduceAndCommit) {
  const auto brokers = mib::test::test_brokers();
  const auto input = mib::test::unique_name("eos-in");
  const auto output = mib::test::unique_name("eos-out");
  const auto group = mib::test::unique_name("eos-copy");
  const auto transactional_id = mib::test::unique_name("eos-copy");
  constexpr int total = 300;
  ASSERT_NO_FATAL_FAILURE(mib::test::create_topic(brokers, input, 3));
  ASSERT_NO_FATAL_FAILURE(mib::test::create_topic(brokers, output, 3));
  std::vector<mib::test::Placement> placed;
  ASSERT_NO_FATAL_FAILURE(mib::test::produce_numbered(brokers, input, 0, total, 10, placed));

  // The first run dies with the copies of a batch written but not committed.
  const auto killed =
      mib::test::run_command(copier_command(brokers, input, output, group, transactional_id, 130));
  EXPECT_NE(killed.exit_code, 0) << killed.output;
  ASSERT_NE(killed.output.find("killing myself after 130 copies"), std::string::npos)
      << killed.output;
  // A reader that sees uncommitted data sees those orphans; one that reads committed
  // data only does not.
  const auto uncommitted =
      mib::test::read_from_beginning(brokers, output, 130, 30s, "read_uncommitted");
  const auto committed_so_far = mib::test::read_from_beginning(brokers, output, 130, 5s);
  EXPECT_GE(uncommitted.size(), 130u);
  EXPECT_LT(committed_so_far.size(), 130u);

  // The successor (same transactional id) fences the dead one, aborts its transaction
  // and goes on from the group's committed offsets.
  const auto finished =
      mib::test::run_command(copier_command(brokers, input, output, group, transactional_id, 0));
  ASSERT_EQ(finished.exit_code, 0) << finished.output;

  const auto copies = mib::test::read_from_beginning(brokers, output, total, 60s);
  const auto seen = counts(copies);
  EXPECT_EQ(copies.size(), static_cast<std::size_t>(total));
  for (int n = 0; n < total; ++n) {
    const std::string value = mib::test::concat("value-", std::to_string(n));
    const auto it = seen.find(value);
    EXPECT_TRUE(it != seen.end() && it->second == 1)
        << value << " copied " << (it == seen.end() ? 0 : it->second) << " times";
  }
  // The orphans are really there: exactly once is the readers' view, not an accident.
  EXPECT_GT(
      mib::test::read_from_beginning(brokers, output, total + 1, 10s, "read_uncommitted").size(),
      static_cast<std::size_t>(total));
}
