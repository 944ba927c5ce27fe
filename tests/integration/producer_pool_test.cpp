// ProducerPool against the real broker: many keyed records from several threads through
// four producers arrive complete, once each, and in send order per key.
#include <gtest/gtest.h>

#include <thread>

#include "mib/mib.hpp"
#include "support/roundtrip.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

TEST(RealBrokerProducerPool, TwentyThousandKeyedRecordsArriveCompleteOnceAndInKeyOrder) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("pool-20k");
  mib::test::create_topic(brokers, topic, 6);
  constexpr int count = 20'000;
  constexpr int keys = 64;
  constexpr int senders = 4;
  mib::Config config;
  config.set("brokers.addresses", brokers);  // idempotent, acks=all, lz4 by default
  mib::ProducerPool pool{config, 4, mib::PoolRouting::key_affinity};

  // Each sending thread owns some keys and sends them in record order, so every key's
  // send order is well defined while four threads share the pool.
  std::vector<mib::test::Placement> placed(count);
  std::atomic<int> failed{0};
  std::vector<std::jthread> threads;
  for (int t = 0; t < senders; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < count; ++n) {
        if (n % keys % senders != t) continue;
        const std::string seq = std::to_string(n);
        pool.send({.topic = topic,
                   .key = "key-" + std::to_string(n % keys),
                   .value = "value-" + seq,
                   .headers = {{"seq", seq}, {"source", "roundtrip"}}},
                  [&placed, &failed, n](const mib::DeliveryReport& r) {
                    if (!r.ok()) ++failed;
                    placed[static_cast<std::size_t>(n)] = {r.partition, r.offset};
                  });
      }
    });
  }
  threads.clear();  // joins
  ASSERT_TRUE(pool.flush(60s).ok());
  EXPECT_EQ(failed.load(), 0);

  const auto stats = pool.stats();
  EXPECT_EQ(stats.routed_total, static_cast<std::uint64_t>(count));
  EXPECT_EQ(stats.total.messages_sent_total, static_cast<std::uint64_t>(count));
  for (std::size_t p = 0; p < stats.producers.size(); ++p) {
    EXPECT_GT(stats.producers[p].routed, 0u) << "producer " << p << " got no key";
    EXPECT_EQ(stats.producers[p].metrics.messages_sent_total, stats.producers[p].routed);
  }
  pool.close();

  mib::test::expect_consumed_once(brokers, topic, keys, placed);
}
