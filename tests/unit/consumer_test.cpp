// Consumer behaviour on the embedded broker: reading, offsets, seeking, pausing and the
// handler loop's error policy. Groups and rebalances are tested on the real broker.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {

// A cluster with one single-partition topic holding "value-0".."value-<count-1>".
struct Filled {
  mib::EmbeddedCluster cluster;
  std::string topic = "ticks";

  explicit Filled(int count) {
    cluster.create_topic(topic, 1);
    cluster.create_topic(topic + ".dlq", 1);
    mib::Producer producer{{{"bootstrap.servers", cluster.bootstrap_servers()}}};
    for (int i = 0; i < count; ++i) {
      producer.send({.topic = topic,
                     .key = "key-" + std::to_string(i),
                     .value = "value-" + std::to_string(i),
                     .headers = {{"seq", std::to_string(i)}}},
                    nullptr);
    }
    EXPECT_TRUE(producer.flush(10s).ok());
  }

  mib::KafkaProperties properties(std::string group = "readers") const {
    return {{"bootstrap.servers", cluster.bootstrap_servers()},
            {"group.id", std::move(group)},
            {"enable.auto.commit", "false"},
            {"auto.offset.reset", "earliest"}};
  }

  mib::TopicPartition partition(std::int64_t offset = mib::offset::beginning) const {
    return {topic, 0, offset};
  }
};

// Polls until `count` records arrived (or 10 s passed); returns their offsets.
std::vector<std::int64_t> poll_offsets(mib::Consumer& consumer, std::size_t count) {
  std::vector<std::int64_t> offsets;
  mib::test::wait_until(
      [&] {
        while (auto m = consumer.poll(10ms)) {
          EXPECT_TRUE(m->ok()) << m->error().message();
          offsets.push_back(m->offset());
          if (offsets.size() == count) return true;
        }
        return offsets.size() >= count;
      },
      10s);
  return offsets;
}

std::vector<std::int64_t> sequence(std::int64_t from, std::int64_t to) {
  std::vector<std::int64_t> out;
  for (std::int64_t i = from; i < to; ++i) out.push_back(i);
  return out;
}

}  // namespace

TEST(Consumer, PollBatchReturnsEveryRecordInOrderInBatchesOfAtMostMaxPollRecords) {
  Filled data{1000};
  mib::Consumer consumer{data.properties(), {.max_poll_records = 64}};
  consumer.assign({data.partition()});
  std::vector<std::int64_t> offsets;
  std::size_t largest = 0;
  mib::test::wait_until(
      [&] {
        auto batch = consumer.poll_batch(20ms);
        largest = std::max(largest, batch.size());
        for (const mib::Message& m : batch) {
          EXPECT_TRUE(m.ok()) << m.error().message();
          EXPECT_EQ(m.value(), "value-" + std::to_string(m.offset()));
          EXPECT_EQ(m.key(), "key-" + std::to_string(m.offset()));
          EXPECT_EQ(m.header("seq"), std::to_string(m.offset()));
          offsets.push_back(m.offset());
        }
        return offsets.size() >= 1000;
      },
      10s);
  EXPECT_EQ(offsets, sequence(0, 1000));
  EXPECT_LE(largest, 64u);
  EXPECT_GT(largest, 1u);  // batches, not one record per poll
  const auto metrics = consumer.metrics();
  EXPECT_EQ(metrics.messages_received_total, 1000u);
  EXPECT_GT(metrics.bytes_received_total, 1000u * 10);
  EXPECT_GT(metrics.poll_duration.count, 0u);
}

TEST(Consumer, CommitCoversExactlyTheRecordsHandedOut) {
  Filled data{20};
  {
    mib::Consumer consumer{data.properties("committers")};
    consumer.assign({data.partition()});
    EXPECT_EQ(poll_offsets(consumer, 7), sequence(0, 7));
    ASSERT_TRUE(consumer.commit().ok());
    const auto committed = consumer.committed({data.partition()}, 5s);
    ASSERT_EQ(committed.size(), 1u);
    EXPECT_EQ(committed[0].offset, 7);  // the next record to read
  }
  // A new member of the group starts right after the commit.
  mib::Consumer next{data.properties("committers")};
  next.assign({data.partition(mib::offset::stored)});
  EXPECT_EQ(poll_offsets(next, 13), sequence(7, 20));
}

TEST(Consumer, CommitOfGivenOffsetsAndAsyncCommit) {
  Filled data{10};
  mib::Consumer consumer{data.properties("explicit")};
  consumer.assign({data.partition()});
  EXPECT_EQ(poll_offsets(consumer, 10), sequence(0, 10));
  ASSERT_TRUE(consumer.commit({data.partition(4)}).ok());
  EXPECT_EQ(consumer.committed({data.partition()}, 5s)[0].offset, 4);
  consumer.commit_async();
  EXPECT_TRUE(mib::test::wait_until(
      [&] {
        consumer.poll(10ms);  // serves the commit's answer
        return consumer.committed({data.partition()}, 5s)[0].offset == 10;
      },
      10s));
}

TEST(Consumer, SeekRereadsFromAnEarlierOffsetOrTheBeginning) {
  Filled data{10};
  mib::Consumer consumer{data.properties()};
  consumer.assign({data.partition()});
  EXPECT_EQ(poll_offsets(consumer, 6), sequence(0, 6));
  ASSERT_TRUE(consumer.seek(data.partition(2), 5s).ok());
  EXPECT_EQ(poll_offsets(consumer, 8), sequence(2, 10));
  EXPECT_EQ(consumer.position({data.partition()})[0].offset, 10);
  ASSERT_TRUE(consumer.seek_to_beginning({data.partition()}, 5s).ok());
  EXPECT_EQ(poll_offsets(consumer, 1), sequence(0, 1));
}

TEST(Consumer, SeekOnAPartitionNotAssignedNamesIt) {
  Filled data{1};
  mib::Consumer consumer{data.properties()};
  consumer.assign({data.partition()});
  const auto error = consumer.seek({"ticks", 7, 0}, 2s);
  ASSERT_FALSE(error.ok());
  EXPECT_NE(error.message().find("partition 7"), std::string::npos) << error.message();
}

TEST(Consumer, PausedPartitionDeliversNothingUntilResumed) {
  Filled data{5};
  mib::Consumer consumer{data.properties()};
  consumer.assign({data.partition()});
  consumer.pause({data.partition()});
  // Records are there; a paused partition must not hand them out.
  const auto deadline = std::chrono::steady_clock::now() + 500ms;
  while (std::chrono::steady_clock::now() < deadline) {
    auto m = consumer.poll(50ms);
    ASSERT_FALSE(m && m->ok()) << "record at offset " << m->offset() << " from a paused partition";
  }
  consumer.resume({data.partition()});
  EXPECT_EQ(poll_offsets(consumer, 5), sequence(0, 5));
}

TEST(Consumer, WatermarksAndLagAgreeWithWhatWasRead) {
  Filled data{30};
  mib::Consumer consumer{data.properties("laggards")};
  consumer.assign({data.partition()});
  const auto marks = consumer.watermarks(data.partition(), 5s);
  EXPECT_EQ(marks.low, 0);
  EXPECT_EQ(marks.high, 30);
  EXPECT_EQ(poll_offsets(consumer, 12), sequence(0, 12));
  const auto lag = consumer.lag(5s);
  ASSERT_EQ(lag.size(), 1u);
  EXPECT_EQ(lag[0].high_watermark, 30);
  EXPECT_EQ(lag[0].position, 12);
  EXPECT_EQ(lag[0].committed, std::nullopt);
  EXPECT_EQ(lag[0].lag, 18);
}

TEST(Consumer, HandlerFailuresAreRetriedThenDeadLetteredAndTheStreamGoesOn) {
  Filled data{10};
  std::mutex mutex;
  std::vector<std::int64_t> handled;
  int poison_attempts = 0;
  mib::Consumer consumer{data.properties("handlers"),
                         {.error_policy = mib::ErrorPolicy::retry(2, 1ms).then_dead_letter()}};
  consumer.assign({data.partition()});
  consumer.run([&](const mib::Message& m) {
    const std::lock_guard lock{mutex};
    if (m.offset() == 3) {
      ++poison_attempts;
      throw std::runtime_error{"cannot price symbol"};
    }
    handled.push_back(m.offset());
  });
  EXPECT_TRUE(mib::test::wait_until(
      [&] {
        const std::lock_guard lock{mutex};
        return handled.size() == 9;
      },
      10s));
  consumer.stop();
  ASSERT_TRUE(consumer.wait().ok());
  EXPECT_EQ(poison_attempts, 3);  // the first try and two retries
  EXPECT_EQ(handled, (std::vector<std::int64_t>{0, 1, 2, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(consumer.metrics().dead_letters_total, 1u);
  EXPECT_EQ(consumer.metrics().errors_total, 3u);
  // The loop commits what it handled, the dead letter included.
  EXPECT_EQ(consumer.committed({data.partition()}, 5s)[0].offset, 10);

  // The dead letter: the record as it was, and why.
  mib::Consumer reader{data.properties("dlq-reader")};
  reader.assign({{data.topic + ".dlq", 0, mib::offset::beginning}});
  std::optional<mib::Message> letter;
  mib::test::wait_until([&] { return (letter = reader.poll(50ms)).has_value(); }, 10s);
  ASSERT_TRUE(letter && letter->ok());
  EXPECT_EQ(letter->key(), "key-3");
  EXPECT_EQ(letter->value(), "value-3");
  EXPECT_EQ(letter->header("seq"), "3");
  EXPECT_EQ(letter->header("mib.dlq.original.topic"), "ticks");
  EXPECT_EQ(letter->header("mib.dlq.original.offset"), "3");
  EXPECT_EQ(letter->header("mib.dlq.attempts"), "3");
  EXPECT_EQ(letter->header("mib.dlq.group"), "handlers");
  EXPECT_NE(letter->header("mib.dlq.error.message").value_or("").find("cannot price symbol"),
            std::string_view::npos);
}

TEST(Consumer, StopPolicyEndsTheLoopWithTheErrorAndRereadsTheFailedRecordNext) {
  Filled data{10};
  std::atomic<int> calls{0};
  mib::Consumer consumer{data.properties()};
  consumer.assign({data.partition()});
  consumer.run(
      [&](const mib::Message& m) {
        ++calls;
        if (m.offset() == 5) throw 42;  // not even a std::exception
      },
      mib::ErrorPolicy::stop());
  const mib::Error error = consumer.wait();
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.code(), mib::errc::application);
  EXPECT_NE(error.message().find("offset 5"), std::string::npos) << error.message();
  EXPECT_EQ(calls.load(), 6);
  // Nothing was skipped: the failed record is the next one read.
  EXPECT_EQ(poll_offsets(consumer, 5), sequence(5, 10));
}

TEST(Consumer, BatchHandlerIsRetriedAsAWhole) {
  Filled data{50};
  std::atomic<int> failures_left{2};
  std::mutex mutex;
  std::vector<std::int64_t> handled;
  mib::Consumer consumer{data.properties(),
                         {.error_policy = mib::ErrorPolicy::retry(3, 1ms).then_stop()}};
  consumer.assign({data.partition()});
  consumer.run_batches([&](std::span<const mib::Message> batch) {
    if (failures_left.fetch_sub(1) > 0) throw std::runtime_error{"store unavailable"};
    const std::lock_guard lock{mutex};
    for (const auto& m : batch) handled.push_back(m.offset());
  });
  EXPECT_TRUE(mib::test::wait_until(
      [&] {
        const std::lock_guard lock{mutex};
        return handled.size() == 50;
      },
      10s));
  consumer.stop();
  EXPECT_TRUE(consumer.wait().ok());
  EXPECT_EQ(handled, sequence(0, 50));
}

TEST(Consumer, PollWhileRunIsActiveAndUseAfterCloseAreRefused) {
  Filled data{1};
  mib::Consumer consumer{data.properties()};
  consumer.assign({data.partition()});
  consumer.run([](const mib::Message&) {});
  try {
    consumer.poll(1ms);
    FAIL() << "poll() during run() was accepted";
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find("run()"), std::string::npos) << e.what();
  }
  consumer.close();
  try {
    consumer.poll(1ms);
    FAIL() << "poll() after close() was accepted";
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find("after close()"), std::string::npos) << e.what();
  }
}

TEST(Consumer, MissingGroupIdIsRefusedWithItsName) {
  try {
    mib::Consumer consumer{mib::KafkaProperties{{"bootstrap.servers", "127.0.0.1:1"}}};
    FAIL() << "a consumer without group.id was made";
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find("group.id"), std::string::npos) << e.what();
  }
}
