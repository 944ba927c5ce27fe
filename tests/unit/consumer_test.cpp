// Consumer behaviour on the embedded broker: reading, offsets, seeking and pausing.
// Groups and rebalances are tested on the real broker, the handler loop in
// processor_test.cpp.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"
#include "unit/filled_topic.hpp"

using namespace std::chrono_literals;
using mib::test::Filled;
using mib::test::poll_offsets;
using mib::test::sequence;

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

TEST(Consumer, UseAfterCloseIsRefused) {
  Filled data{1};
  mib::Consumer consumer{data.properties()};
  consumer.assign({data.partition()});
  consumer.close();
  try {
    consumer.poll(1ms);
    FAIL() << "poll() after close() was accepted";
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find("after close()"), std::string::npos) << e.what();
  }
}

TEST(Consumer, SeekingBackMakesTheRecordsFromThereUnconsumed) {
  Filled data{10};
  mib::Consumer consumer{data.properties()};
  consumer.assign({data.partition()});
  ASSERT_EQ(poll_offsets(consumer, 10), sequence(0, 10));
  // Records 4..9 are to be read again: a commit now must not cover them.
  ASSERT_TRUE(consumer.seek(data.partition(4), 5s).ok());
  ASSERT_TRUE(consumer.commit().ok());
  EXPECT_EQ(consumer.committed({data.partition()}, 5s)[0].offset, 4);
  EXPECT_EQ(poll_offsets(consumer, 6), sequence(4, 10));
}

TEST(Consumer, MissingGroupIdIsRefusedWithItsName) {
  try {
    mib::Consumer consumer{mib::KafkaProperties{{"bootstrap.servers", "127.0.0.1:1"}}};
    FAIL() << "a consumer without group.id was made";
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find("group.id"), std::string::npos) << e.what();
  }
}
