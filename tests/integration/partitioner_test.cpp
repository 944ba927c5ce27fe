// A key lands on the partition Java's KafkaProducer picks for it: the same 1,000 keys are
// sent by us (default Config) and by Kafka's own Java producer
// (tools/kafka/JavaPartitions.java, run against the broker's jars), and the partitions the
// broker acknowledged are compared key by key.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <future>
#include <set>
#include <string>
#include <vector>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {

constexpr int kPartitions = 12;
constexpr std::size_t kKeys = 1000;

std::string quoted(const std::string& s) {
  return "'" + s + "'";  // paths and names here have no single quotes
}

// Keys as a market-data shop has them, and of every length from 1 to 40 bytes, so that
// murmur2's tail of 0 to 3 bytes is covered as well as whole blocks.
std::vector<std::string> make_keys() {
  const std::array<const char*, 8> symbols{"AAPL", "MSFT", "GOOG", "AMZN",
                                           "TSLA", "NVDA", "META", "BRK.B"};
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:/";
  std::vector<std::string> keys;
  for (std::size_t i = 0; keys.size() < kKeys; ++i) {
    switch (i % 4) {
      case 0:
        keys.push_back(std::string{symbols[i % symbols.size()]} + "." + std::to_string(i));
        break;
      case 1: keys.push_back("XNAS:" + std::to_string(i * 7919)); break;
      case 2: keys.push_back("order-" + std::to_string(1'000'000 + i)); break;
      default: {
        std::string key;
        for (std::size_t j = 0; j < 1 + i % 40; ++j)
          key += alphabet[(i * 31 + j * 17) % alphabet.size()];
        keys.push_back(key);
      }
    }
  }
  return keys;
}

// The partition the broker acknowledged for each key, sent by mib::Producer with `config`.
std::vector<int> our_partitions(const mib::Config& config, const std::string& topic,
                                const std::vector<std::string>& keys) {
  mib::Producer producer{config};
  std::vector<std::future<mib::DeliveryReport>> reports;
  reports.reserve(keys.size());
  for (const auto& key : keys)
    reports.push_back(producer.send({.topic = topic, .key = key, .value = key}));
  EXPECT_TRUE(producer.flush(60s).ok());
  std::vector<int> partitions;
  for (auto& report : reports) {
    const auto r = report.get();
    EXPECT_TRUE(r.ok()) << r.error.message();
    partitions.push_back(r.partition);
  }
  return partitions;
}

// The partition Kafka's Java producer (default settings) got for each key.
std::vector<int> java_partitions(const std::string& brokers, const std::string& topic,
                                 const std::string& keys_file) {
  const std::string source = MIB_SOURCE_DIR;
  const auto libs = mib::test::run_command(quoted(source + "/scripts/kafka") + " libs");
  EXPECT_EQ(libs.exit_code, 0) << "scripts/kafka libs failed";
  std::string dir = libs.output;
  while (!dir.empty() && (dir.back() == '\n' || dir.back() == '\r')) dir.pop_back();
  const auto java = mib::test::run_command(
      "java -Dlog4j2.configurationFile=" + quoted(source + "/tools/kafka/quiet-log4j2.properties") +
      " -cp " + quoted(dir + "/*") + " " + quoted(source + "/tools/kafka/JavaPartitions.java") +
      " " + quoted(brokers) + " " + quoted(topic) + " " + quoted(keys_file));
  EXPECT_EQ(java.exit_code, 0) << "JavaPartitions.java failed; its output:\n" << java.output;
  std::vector<int> partitions;
  std::size_t start = 0;
  while (start < java.output.size()) {
    const auto end = java.output.find('\n', start);
    partitions.push_back(std::stoi(java.output.substr(start, end - start)));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return partitions;
}

std::size_t agreeing(const std::vector<int>& a, const std::vector<int>& b) {
  std::size_t same = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) same += a[i] == b[i] ? 1 : 0;
  return same;
}

}  // namespace

TEST(Partitioner, DefaultConfigPicksJavasPartitionForEveryKey) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("partitioner-java");
  mib::test::create_topic(brokers, topic, kPartitions);

  const auto keys = make_keys();
  ASSERT_EQ(keys.size(), kKeys);
  ASSERT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), kKeys) << "keys repeat";
  const std::string keys_file = ::testing::TempDir() + "/" + topic + ".keys";
  {
    std::ofstream out{keys_file};
    for (const auto& key : keys) out << key << '\n';
    ASSERT_TRUE(out.good()) << keys_file;
  }

  const auto java = java_partitions(brokers, topic, keys_file);
  ASSERT_EQ(java.size(), kKeys);
  // Java spreads the keys over every partition, so agreeing is not agreeing on one.
  EXPECT_EQ(std::set<int>(java.begin(), java.end()).size(), static_cast<std::size_t>(kPartitions));

  mib::Config config;  // defaults: the partitioner under test is the default one
  config.set("brokers.addresses", brokers);
  const auto ours = our_partitions(config, topic, keys);
  ASSERT_EQ(ours.size(), kKeys);
  const std::size_t same = agreeing(ours, java);
  std::printf("default partitioner (%s): %zu of %zu keys on Java's partition\n",
              config.producer_properties().at("partitioner").c_str(), same, kKeys);
  EXPECT_EQ(same, kKeys);
  for (std::size_t i = 0, shown = 0; i < kKeys && shown < 5; ++i) {
    if (ours[i] != java[i]) {
      ADD_FAILURE() << "key '" << keys[i] << "': ours " << ours[i] << ", Java " << java[i];
      ++shown;
    }
  }

  // librdkafka's own default (CRC32) agrees only by chance, about 1 key in 12: the
  // comparison tells partitioners apart.
  config.set("producer.partitioner", "consistent_random");
  const auto crc32 = our_partitions(config, topic, keys);
  ASSERT_EQ(crc32.size(), kKeys);
  const std::size_t crc32_same = agreeing(crc32, java);
  std::printf("consistent_random: %zu of %zu keys on Java's partition\n", crc32_same, kKeys);
  EXPECT_LT(crc32_same, kKeys / 4);
  std::remove(keys_file.c_str());
}
