// ProducerPool on the embedded broker: where records go, that one key keeps its order,
// that the pool's statistics add up, and that nothing is lost at close.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>

#include "mib/mib.hpp"
#include "support/roundtrip.hpp"

using namespace std::chrono_literals;

namespace {

std::vector<std::uint64_t> routed_counts(const mib::ProducerPool& pool) {
  std::vector<std::uint64_t> counts;
  for (const auto& member : pool.stats().producers) counts.push_back(member.routed);
  return counts;
}

// Sends `count` records of `key` to topic "affinity" and returns, by producer index, how
// many more records each producer that was given any got.
std::map<std::size_t, std::uint64_t> send_and_see_where(mib::ProducerPool& pool,
                                                        const std::string& key, int count) {
  const auto before = routed_counts(pool);
  for (int i = 0; i < count; ++i)
    pool.send({.topic = "affinity", .key = key, .value = "v"}, nullptr);
  const auto after = routed_counts(pool);
  std::map<std::size_t, std::uint64_t> grew;
  for (std::size_t p = 0; p < after.size(); ++p) {
    if (after[p] != before[p]) grew[p] = after[p] - before[p];
  }
  return grew;
}

mib::KafkaProperties idempotent(const std::string& brokers) {
  return {{"bootstrap.servers", brokers}, {"enable.idempotence", "true"}, {"acks", "all"}};
}

// Nowhere to deliver to: records stay queued until close() purges them.
const mib::KafkaProperties unreachable{{"bootstrap.servers", "127.0.0.1:1"}, {"log_level", "0"}};

}  // namespace

TEST(ProducerPool, KeyAffinitySendsEachKeyThroughOneProducer) {
  mib::EmbeddedCluster cluster;
  cluster.create_topic("affinity", 3);
  const mib::KafkaProperties properties{{"bootstrap.servers", cluster.bootstrap_servers()}};
  mib::ProducerPool pool{properties, {.size = 4}};
  ASSERT_EQ(pool.size(), 4u);
  const std::vector<std::string> keys{"AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "META", "TSLA"};
  std::map<std::string, std::size_t> chosen;
  for (const std::string& key : keys) {
    const auto where = send_and_see_where(pool, key, 25);
    ASSERT_EQ(where.size(), 1u) << key << " went through several producers";
    EXPECT_EQ(where.begin()->second, 25u) << key;
    chosen[key] = where.begin()->first;
  }
  std::set<std::size_t> used;
  for (const auto& [key, producer] : chosen) used.insert(producer);
  EXPECT_GT(used.size(), 1u) << "seven keys should not all hash to one of four producers";

  // The hash is stable: another pool of the same size picks the same producer for each key.
  mib::ProducerPool other{properties, {.size = 4}};
  for (const std::string& key : keys) {
    const auto where = send_and_see_where(other, key, 1);
    ASSERT_EQ(where.size(), 1u) << key;
    EXPECT_EQ(where.begin()->first, chosen[key]) << key;
  }
  EXPECT_TRUE(pool.flush(10s).ok());
  EXPECT_TRUE(other.flush(10s).ok());
}

TEST(ProducerPool, KeyAffinityKeepsEachKeysOrderEndToEnd) {
  mib::EmbeddedCluster cluster{3};
  cluster.create_topic("pool-order", 4);
  constexpr int count = 2000;
  constexpr int keys = 17;
  mib::ProducerPool pool{idempotent(cluster.bootstrap_servers()),
                         {.size = 4, .routing = mib::PoolRouting::key_affinity}};
  std::vector<std::future<mib::DeliveryReport>> reports;
  for (int n = 0; n < count; ++n) {
    const std::string seq = std::to_string(n);
    reports.push_back(pool.send({.topic = "pool-order",
                                 .key = "key-" + std::to_string(n % keys),
                                 .value = "value-" + seq,
                                 .headers = {{"seq", seq}, {"source", "roundtrip"}}}));
  }
  std::vector<mib::test::Placement> placed;
  for (auto& report : reports) {
    const auto r = report.get();
    ASSERT_TRUE(r.ok()) << r.error.message();
    placed.push_back({r.partition, r.offset});
  }
  // Once each, at the reported place, and in send order per key.
  mib::test::expect_consumed_once(cluster.bootstrap_servers(), "pool-order", keys, placed);
}

TEST(ProducerPool, RoundRobinSpreadsEvenly) {
  mib::EmbeddedCluster cluster;
  cluster.create_topic("spread", 2);
  mib::ProducerPool pool{{{"bootstrap.servers", cluster.bootstrap_servers()}},
                         {.size = 3, .routing = mib::PoolRouting::round_robin}};
  for (int i = 0; i < 300; ++i)
    pool.send({.topic = "spread", .key = "same-key", .value = "v"}, nullptr);
  ASSERT_TRUE(pool.flush(10s).ok());
  const auto stats = pool.stats();
  ASSERT_EQ(stats.producers.size(), 3u);
  for (const auto& member : stats.producers) {
    EXPECT_EQ(member.routed, 100u);
    EXPECT_EQ(member.metrics.messages_sent_total, 100u);
  }
}

TEST(ProducerPool, EmptyKeysGoRoundRobinUnderKeyAffinity) {
  mib::EmbeddedCluster cluster;
  cluster.create_topic("unkeyed", 1);
  mib::ProducerPool pool{{{"bootstrap.servers", cluster.bootstrap_servers()}}, {.size = 4}};
  for (int i = 0; i < 8; ++i) pool.send({.topic = "unkeyed", .key = "", .value = "v"}, nullptr);
  EXPECT_EQ(routed_counts(pool), (std::vector<std::uint64_t>{2, 2, 2, 2}));
  EXPECT_TRUE(pool.flush(10s).ok());
}

TEST(ProducerPool, StatsTotalsAreTheSumOfTheProducers) {
  mib::EmbeddedCluster cluster;
  cluster.create_topic("totals", 3);
  mib::ProducerPool pool{{{"bootstrap.servers", cluster.bootstrap_servers()}}, {.size = 3}};
  for (int i = 0; i < 500; ++i) {
    pool.send({.topic = "totals", .key = "key-" + std::to_string(i % 11), .value = "value"},
              nullptr);
  }
  ASSERT_TRUE(pool.flush(10s).ok());
  const auto stats = pool.stats();
  std::uint64_t routed = 0, sent = 0, bytes = 0, timed = 0;
  for (const auto& member : stats.producers) {
    routed += member.routed;
    sent += member.metrics.messages_sent_total;
    bytes += member.metrics.bytes_sent_total;
    timed += member.metrics.send_duration.count;
    EXPECT_EQ(member.metrics.messages_sent_total, member.routed);
  }
  EXPECT_EQ(stats.routed_total, 500u);
  EXPECT_EQ(routed, 500u);
  EXPECT_EQ(stats.total.messages_sent_total, sent);
  EXPECT_EQ(sent, 500u);
  EXPECT_EQ(stats.total.bytes_sent_total, bytes);
  EXPECT_GT(bytes, 500u * 5);  // at least the values
  EXPECT_EQ(stats.total.send_duration.count, timed);
  EXPECT_EQ(stats.total.send_duration.count, 500u);
  EXPECT_EQ(stats.total.errors_total, 0u);
  EXPECT_EQ(stats.total.in_flight_messages, 0);
  EXPECT_EQ(pool.in_flight(), 0u);
}

TEST(ProducerPool, ExplicitPartitionIsKept) {
  mib::EmbeddedCluster cluster;
  cluster.create_topic("pool-placed", 3);
  mib::ProducerPool pool{{{"bootstrap.servers", cluster.bootstrap_servers()}}, {.size = 2}};
  for (int partition = 0; partition < 3; ++partition) {
    for (const char* key : {"a", "b", "c", ""}) {
      const auto report =
          pool.send({.topic = "pool-placed", .key = key, .value = "v", .partition = partition})
              .get();
      ASSERT_TRUE(report.ok()) << report.error.message();
      EXPECT_EQ(report.partition, partition) << "key '" << key << "'";
    }
  }
}

TEST(ProducerPool, BorrowedSendsAreRoutedAndDelivered) {
  mib::EmbeddedCluster cluster;
  cluster.create_topic("borrowed", 1);
  mib::ProducerPool pool{{{"bootstrap.servers", cluster.bootstrap_servers()}},
                         {.size = 2, .routing = mib::PoolRouting::round_robin}};
  const std::string value = "kept alive until reported";
  std::atomic<int> ok{0};
  for (int i = 0; i < 10; ++i) {
    pool.send_borrowed({.topic = "borrowed", .key = "k", .value = value},
                       [&](const mib::DeliveryReport& r) {
                         if (r.ok()) ++ok;
                       });
  }
  ASSERT_TRUE(pool.flush(10s).ok());
  EXPECT_EQ(ok.load(), 10);
  EXPECT_EQ(routed_counts(pool), (std::vector<std::uint64_t>{5, 5}));
}

TEST(ProducerPool, CloseDeliversEverythingSentWhenTheBrokerAnswers) {
  mib::EmbeddedCluster cluster;
  cluster.create_topic("close-ok", 2);
  mib::ProducerPool pool{{{"bootstrap.servers", cluster.bootstrap_servers()}}, {.size = 4}};
  std::atomic<int> reports{0}, delivered{0};
  for (int i = 0; i < 1000; ++i) {
    pool.send({.topic = "close-ok", .key = "key-" + std::to_string(i % 13), .value = "v"},
              [&](const mib::DeliveryReport& r) {
                ++reports;
                if (r.ok()) ++delivered;
              });
  }
  pool.close(10s);
  EXPECT_EQ(reports.load(), 1000);
  EXPECT_EQ(delivered.load(), 1000);
  EXPECT_EQ(pool.in_flight(), 0u);
  pool.close(0ms);  // idempotent
}

TEST(ProducerPool, CloseReportsEveryPendingRecordAsPurged) {
  std::atomic<int> reports{0}, purged{0};
  mib::ProducerPool pool{unreachable, {.size = 4}};
  for (int i = 0; i < 40; ++i) {
    pool.send({.topic = "t", .key = "key-" + std::to_string(i), .value = "v"},
              [&](const mib::DeliveryReport& r) {
                ++reports;
                if (r.error.code() == mib::errc::purged_in_queue ||
                    r.error.code() == mib::errc::purged_in_flight) {
                  ++purged;
                }
              });
  }
  EXPECT_EQ(pool.in_flight(), 40u);
  EXPECT_EQ(pool.stats().total.in_flight_messages, 40);
  pool.close(200ms);
  EXPECT_EQ(pool.in_flight(), 0u);
  EXPECT_EQ(reports.load(), 40);
  EXPECT_EQ(purged.load(), 40);
  // A send after close is reported too, not lost.
  EXPECT_EQ(pool.send({.topic = "t", .key = "k", .value = "v"}).get().error.code(),
            mib::errc::destroyed);
}

TEST(ProducerPool, FlushTimesOutNamingWhatIsLeft) {
  mib::ProducerPool pool{unreachable, {.size = 2}};
  auto pending = pool.send({.topic = "t", .key = "k", .value = "v"});
  const auto error = pool.flush(100ms);
  EXPECT_EQ(error.code(), mib::errc::timed_out);
  EXPECT_NE(error.message().find("1 records still unreported"), std::string::npos)
      << error.message();
  pool.close(0ms);
  EXPECT_EQ(pending.get().error.code(), mib::errc::purged_in_queue);
}

TEST(ProducerPool, DestructorClosesAllProducersWithinOneCloseTimeout) {
  // Four producers closed one after another would take four close timeouts.
  const auto start = std::chrono::steady_clock::now();
  std::future<mib::DeliveryReport> pending;
  {
    mib::ProducerPool pool{unreachable, {.size = 4, .producer = {.close_timeout = 1s}}};
    for (int i = 0; i < 4; ++i) pending = pool.send({.topic = "t", .key = "", .value = "v"});
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_EQ(pending.get().error.code(), mib::errc::purged_in_queue);
}

TEST(ProducerPool, SizeZeroIsRefused) {
  try {
    mib::ProducerPool pool{{{"bootstrap.servers", "127.0.0.1:1"}}, {.size = 0}};
    FAIL() << "a pool of no producers was made";
  } catch (const mib::Exception& e) {
    EXPECT_EQ(e.error().code(), mib::errc::invalid_argument);
    EXPECT_NE(std::string{e.what()}.find("size must be at least 1"), std::string::npos) << e.what();
  }
  mib::Config config;
  EXPECT_THROW(mib::ProducerPool(config, 0), mib::Exception);
}

TEST(ProducerPool, TransactionalIdIsRefused) {
  try {
    mib::ProducerPool pool{{{"bootstrap.servers", "127.0.0.1:1"}, {"transactional.id", "tx"}}};
    FAIL() << "a pool of producers sharing one transactional.id was made";
  } catch (const mib::Exception& e) {
    EXPECT_EQ(e.error().code(), mib::errc::invalid_argument);
    EXPECT_NE(std::string{e.what()}.find("transactional.id"), std::string::npos) << e.what();
  }
  mib::Config config;
  config.set("producer.transactional_id", "tx");
  EXPECT_THROW(mib::ProducerPool(config, 2), mib::Exception);
}

TEST(ProducerPool, BadPropertiesAreReportedAtConstruction) {
  EXPECT_THROW(mib::ProducerPool({{"bootstrap.servers", "x"}, {"linger.mss", "5"}}),
               mib::Exception);
}

TEST(ProducerPool, MadeFromAConfig) {
  mib::EmbeddedCluster cluster;
  cluster.create_topic("from-config", 2);
  mib::Config config;
  config.set("brokers.addresses", cluster.bootstrap_servers());
  mib::ProducerPool pool{config, 2, mib::PoolRouting::round_robin};
  ASSERT_EQ(pool.size(), 2u);
  for (int i = 0; i < 4; ++i) {
    const auto report = pool.send({.topic = "from-config", .key = "k", .value = "v"}).get();
    EXPECT_TRUE(report.ok()) << report.error.message();
  }
  EXPECT_EQ(pool.producer(0).metrics().messages_sent_total, 2u);
  EXPECT_EQ(pool.producer(1).metrics().messages_sent_total, 2u);
  EXPECT_THROW(pool.producer(2), std::out_of_range);
}
