// One typed path from Config to each handle: settings given in a Config are the ones the
// producer and the consumer act on, checked by what they do on the embedded broker.
#include <gtest/gtest.h>

#include <algorithm>

#include "mib/mib.hpp"
#include "support/roundtrip.hpp"
#include "support/test_cluster.hpp"
#include "unit/filled_topic.hpp"

using namespace std::chrono_literals;

namespace {

mib::Config config_for(const mib::test::Filled& data) {
  mib::Config config;
  config.brokers.addresses = {data.cluster.bootstrap_servers()};
  config.consumer.group_id = "from-config";
  config.consumer.auto_offset_reset = mib::OffsetReset::earliest;
  return config;
}

}  // namespace

TEST(ConfigToHandles, TheConsumerBatchesAsManyRecordsAsTheConfigSays) {
  mib::test::Filled data{100};
  mib::Config config = config_for(data);
  config.consumer.max_poll_records = 7;
  mib::Consumer consumer{config, {.topics = {data.topic}}};  // options leave it to config
  std::size_t total = 0, largest = 0;
  mib::test::wait_until(
      [&] {
        const auto batch = consumer.poll_batch(100ms);
        total += batch.size();
        largest = std::max(largest, batch.size());
        return total >= 100;
      },
      20s);
  EXPECT_EQ(total, 100u);
  EXPECT_EQ(largest, 7u);
}

TEST(ConfigToHandles, TheConsumerActsOnItsGroupAndCommitSettingsAsApplied) {
  mib::test::Filled data{1};
  mib::Config config = config_for(data);
  config.consumer.enable_auto_commit = false;
  const mib::Consumer manual{config};
  EXPECT_EQ(manual.group_id(), "from-config");
  EXPECT_FALSE(manual.auto_commit());

  // librdkafka's defaults count too: no enable.auto.commit given means it is on.
  const mib::Consumer defaults{
      {{"bootstrap.servers", data.cluster.bootstrap_servers()}, {"group.id", "g"}}};
  EXPECT_TRUE(defaults.auto_commit());
  EXPECT_EQ(defaults.group_id(), "g");
}

TEST(ConfigToHandles, TheProducerDeadLettersToTheConfigsSuffix) {
  mib::test::Filled data{0};
  data.cluster.create_topic("quotes", 1);
  data.cluster.create_topic("quotes.failed", 1);
  mib::Config config = config_for(data);
  config.producer.dead_letter_suffix = ".failed";
  const mib::ProducerOptions options = mib::ProducerOptions::from(config);
  EXPECT_EQ(options.dead_letter_suffix, ".failed");
  EXPECT_EQ(options.queue_full_wait, config.producer.queue_full_wait);
  EXPECT_EQ(options.close_timeout, config.producer.close_timeout);

  mib::Producer producer{config};
  constexpr std::int16_t produce_api = 0;
  constexpr int invalid_record = 87;  // not retriable: straight to the dead letter
  data.cluster.fail_next_requests(produce_api, {invalid_record});
  const auto report = producer.send({.topic = "quotes", .key = "AAPL", .value = "tick"}).get();
  ASSERT_FALSE(report.ok());
  ASSERT_TRUE(report.dead_letter) << report.error.message();
  EXPECT_EQ(report.dead_letter->topic, "quotes.failed");
  EXPECT_EQ(
      mib::test::read_from_beginning(data.cluster.bootstrap_servers(), "quotes.failed", 1).size(),
      1u);
}
