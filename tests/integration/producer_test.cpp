// The producer against the real broker: every codec, a long key-ordered stream,
// transactions and dead letters.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <random>
#include <set>

#include "mib/mib.hpp"
#include "support/roundtrip.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {

mib::Config config_for(const std::string& brokers) {
  mib::Config config;
  config.set("brokers.addresses", brokers);
  return config;
}

}  // namespace

class Compression : public ::testing::TestWithParam<const char*> {};

TEST_P(Compression, QuotesRoundTripAndShrink) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name(std::string{"codec-"} + GetParam());
  mib::test::create_topic(brokers, topic, 2);
  auto config = config_for(brokers);
  config.set("producer.compression_type", GetParam());
  config.set("producer.linger_ms", "20ms");
  config.set("global.statistics_interval", "100ms");
  mib::Producer producer{config};

  mib::SyntheticFeed feed{{"AAPL", "MSFT", "GOOG", "AMZN"}, 7};
  std::vector<std::string> sent;
  for (int i = 0; i < 20000; ++i) {
    std::string json;
    const auto quote = feed.next(mib::Timestamp{std::chrono::milliseconds{1'795'772'400'000 + i}});
    mib::json::encode(quote, json);
    producer.send({.topic = topic, .key = quote.symbol, .value = json}, nullptr);
    sent.push_back(std::move(json));
  }
  ASSERT_TRUE(producer.flush(60s).ok());
  EXPECT_EQ(producer.metrics().messages_sent_total, 20000u);
  // Statistics arrive every 100 ms; wait for one that covers everything sent.
  std::this_thread::sleep_for(300ms);
  const double ratio = producer.metrics().compression_ratio;
  std::printf("compression %s: %.1f%% smaller on the wire (20000 JSON quotes)\n", GetParam(),
              ratio * 100);
  EXPECT_GT(ratio, 0.3) << GetParam();  // JSON quotes compress well with every codec

  const auto received = mib::test::read_from_beginning(brokers, topic, sent.size());
  ASSERT_EQ(received.size(), sent.size());
  std::multiset<std::string> expected(sent.begin(), sent.end()), got;
  for (const auto& m : received) got.emplace(m.value());
  EXPECT_TRUE(expected == got);
}

INSTANTIATE_TEST_SUITE_P(EveryCodec, Compression,
                         ::testing::Values("lz4", "zstd", "gzip", "snappy"));

TEST(RealBrokerProducer, HundredThousandKeyedRecordsArriveCompleteAndInOrder) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("ordered-100k");
  mib::test::create_topic(brokers, topic, 6);
  mib::test::expect_roundtrip(brokers, topic, 100'000, 97);
}

TEST(RealBrokerProducer, ReadCommittedSeesCommittedTransactionsAndNeverAbortedOnes) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("txn");
  mib::test::create_topic(brokers, topic, 3);
  auto config = config_for(brokers);
  config.set("producer.transactional_id", mib::test::unique_name("txn-id"));
  mib::Producer producer{config};
  ASSERT_TRUE(producer.init_transactions(30s).ok());

  ASSERT_TRUE(producer.begin_transaction().ok());
  for (int i = 0; i < 10; ++i)
    producer.send({.topic = topic, .key = "k", .value = "aborted-" + std::to_string(i)});
  ASSERT_TRUE(producer.flush(10s).ok());
  const auto aborted = producer.abort_transaction(30s);
  ASSERT_TRUE(aborted.ok()) << aborted.message();

  ASSERT_TRUE(producer.begin_transaction().ok());
  std::vector<std::future<mib::DeliveryReport>> reports;
  for (int i = 0; i < 10; ++i) {
    reports.push_back(
        producer.send({.topic = topic, .key = "k", .value = "committed-" + std::to_string(i)}));
  }
  const auto committed = producer.commit_transaction(30s);
  ASSERT_TRUE(committed.ok()) << committed.message();
  for (auto& r : reports) EXPECT_TRUE(r.get().ok());

  const auto seen = mib::test::read_from_beginning(brokers, topic, 10);
  ASSERT_EQ(seen.size(), 10u);
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(seen[static_cast<std::size_t>(i)].value(), "committed-" + std::to_string(i));
  // Nothing else shows up for a committed reader, and an uncommitted reader sees both.
  const auto extra = mib::test::read_from_beginning(brokers, topic, 11, 2s);
  EXPECT_EQ(extra.size(), 10u);
  EXPECT_EQ(mib::test::read_from_beginning(brokers, topic, 20, 30s, "read_uncommitted").size(),
            20u);
}

TEST(RealBrokerProducer, ARecordTheBrokerRefusesGoesToTheDeadLetterTopic) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("too-small");
  // The topic takes records of at most 1000 bytes; its dead-letter topic takes the default.
  mib::test::create_topic(brokers, topic, 1, 1, {{"max.message.bytes", "1000"}});
  mib::test::create_topic(brokers, topic + ".dlq", 1);
  mib::Producer producer{config_for(brokers)};
  // Incompressible, so that the batch stays larger than the topic allows.
  std::string big(5000, '\0');
  std::mt19937 random{42};
  for (char& c : big) c = static_cast<char>('!' + random() % 90);
  const auto report =
      producer.send({.topic = topic, .key = "big", .value = big, .headers = {{"source", "it"}}})
          .get();
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.error.name(), "MSG_SIZE_TOO_LARGE") << report.error.message();
  ASSERT_TRUE(report.dead_letter) << report.error.message();
  EXPECT_EQ(report.dead_letter->topic, topic + ".dlq");

  const auto letters = mib::test::read_from_beginning(brokers, topic + ".dlq", 1);
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].value(), big);
  EXPECT_EQ(letters[0].header("source"), "it");
  EXPECT_EQ(letters[0].header("mib.dlq.original.topic"), topic);
  EXPECT_EQ(letters[0].header("mib.dlq.error.code"), "MSG_SIZE_TOO_LARGE");
}
