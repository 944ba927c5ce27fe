#include "support/roundtrip.hpp"

#include <gtest/gtest.h>

#include <future>
#include <map>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

namespace mib::test {

void produce_numbered(const std::string& brokers, const std::string& topic, int first, int count,
                      int keys, std::vector<Placement>& placed) {
  Producer producer{{{"bootstrap.servers", brokers},
                     {"enable.idempotence", "true"},
                     {"acks", "all"},
                     {"linger.ms", "5"}}};
  std::vector<std::future<DeliveryReport>> reports;
  for (int n = first; n < first + count; ++n) {
    const std::string key = "key-" + std::to_string(n % keys);
    const std::string value = "value-" + std::to_string(n);
    const std::string seq = std::to_string(n);
    reports.push_back(
        producer.send({.topic = topic,
                       .key = key,
                       .value = value,
                       .headers = {Header{"seq", seq}, Header{"source", "roundtrip"}}}));
  }
  placed.resize(static_cast<std::size_t>(first + count));
  for (int i = 0; i < count; ++i) {
    const DeliveryReport report = reports[static_cast<std::size_t>(i)].get();
    ASSERT_TRUE(report.ok()) << "record " << first + i << ": " << report.error.message();
    EXPECT_EQ(report.topic, topic);
    placed[static_cast<std::size_t>(first + i)] = {report.partition, report.offset};
  }
  EXPECT_EQ(producer.in_flight(), 0u);
}

void expect_consumed_once(const std::string& brokers, const std::string& topic, int keys,
                          const std::vector<Placement>& placed) {
  const int count = static_cast<int>(placed.size());
  Consumer consumer{{{"bootstrap.servers", brokers},
                     {"group.id", unique_name("roundtrip-group")},
                     {"auto.offset.reset", "earliest"},
                     {"enable.auto.commit", "false"}}};
  consumer.subscribe({topic});

  std::vector<int> seen(placed.size(), 0);
  std::map<std::int32_t, std::int64_t> last_offset;  // per partition
  std::map<std::string, int> last_seq;               // per key: send order is kept
  int received = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{60};
  while (received < count && std::chrono::steady_clock::now() < deadline) {
    auto message = consumer.poll(std::chrono::milliseconds{200});
    if (!message) continue;
    ASSERT_TRUE(message->ok()) << message->error().message();
    const auto seq_header = message->header("seq");
    ASSERT_TRUE(seq_header.has_value())
        << "record without seq header at offset " << message->offset();
    const int seq = std::stoi(std::string{*seq_header});
    ASSERT_GE(seq, 0);
    ASSERT_LT(seq, count);
    const Placement& expected = placed[static_cast<std::size_t>(seq)];
    ++received;
    ++seen[static_cast<std::size_t>(seq)];
    EXPECT_EQ(message->topic(), topic);
    EXPECT_TRUE(message->has_key());
    EXPECT_EQ(message->key(), "key-" + std::to_string(seq % keys));
    EXPECT_EQ(message->value(), "value-" + std::to_string(seq));
    ASSERT_EQ(message->header_count(), 2u);
    EXPECT_EQ(message->header(1), (Header{"source", "roundtrip"}));
    EXPECT_EQ(message->timestamp_type(), TimestampType::create_time);
    EXPECT_EQ(message->partition(), expected.partition) << "record " << seq;
    EXPECT_EQ(message->offset(), expected.offset) << "record " << seq;
    auto [key_it, first_of_key] = last_seq.try_emplace(std::string{message->key()}, seq);
    if (!first_of_key) {
      EXPECT_GT(seq, key_it->second) << "key " << key_it->first << " out of send order";
      key_it->second = seq;
    }
    auto [it, first] = last_offset.try_emplace(message->partition(), message->offset());
    if (!first) {
      EXPECT_GT(message->offset(), it->second) << "out of order in partition " << it->first;
      it->second = message->offset();
    }
  }
  EXPECT_EQ(received, count) << "records missing after 60 s";
  // Nothing more may arrive: a duplicate would show up here.
  while (auto extra = consumer.poll(std::chrono::milliseconds{500})) {
    ADD_FAILURE() << "unexpected extra record at partition " << extra->partition() << " offset "
                  << extra->offset();
  }
  int missing_or_repeated = 0;
  for (int i = 0; i < count; ++i) {
    if (seen[static_cast<std::size_t>(i)] != 1 && ++missing_or_repeated <= 10) {
      ADD_FAILURE() << "record " << i << " seen " << seen[static_cast<std::size_t>(i)] << " times";
    }
  }
  EXPECT_EQ(missing_or_repeated, 0);
  EXPECT_TRUE(consumer.commit().ok());
  consumer.close();
}

std::vector<Message> read_from_beginning(const std::string& brokers, const std::string& topic,
                                         std::size_t expected, std::chrono::milliseconds timeout,
                                         std::string_view isolation) {
  Consumer consumer{{{"bootstrap.servers", brokers},
                     {"group.id", unique_name("reader")},
                     {"auto.offset.reset", "earliest"},
                     {"isolation.level", std::string{isolation}}}};
  consumer.subscribe({topic});
  std::vector<Message> out;
  wait_until(
      [&] {
        // Drain what has arrived before wait_until pauses again.
        while (auto m = consumer.poll(std::chrono::milliseconds{100})) {
          if (m->ok()) out.push_back(std::move(*m));
          if (out.size() >= expected) break;
        }
        return out.size() >= expected;
      },
      timeout);
  // Then whatever else comes within a second, so that duplicates show up too.
  while (auto m = consumer.poll(std::chrono::seconds{1})) {
    if (m->ok()) out.push_back(std::move(*m));
  }
  return out;
}

void expect_roundtrip(const std::string& brokers, const std::string& topic, int count, int keys) {
  std::vector<Placement> placed;
  produce_numbered(brokers, topic, 0, count, keys, placed);
  if (::testing::Test::HasFatalFailure()) return;
  expect_consumed_once(brokers, topic, keys, placed);
}

}  // namespace mib::test
