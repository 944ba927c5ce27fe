// Producer behaviour a user relies on: every record gets one report, whatever happens.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

TEST(Producer, CallbackReportsEveryRecordOnThePollerThread) {
  mib::EmbeddedCluster cluster;
  cluster.create_topic("callbacks", 2);
  mib::Producer producer{{{"bootstrap.servers", cluster.bootstrap_servers()}}};
  std::atomic<int> ok{0};
  std::atomic<bool> on_caller_thread{false};
  const auto caller = std::this_thread::get_id();
  for (int i = 0; i < 100; ++i) {
    producer.send({.topic = "callbacks", .key = "k", .value = "v"},
                  [&](const mib::DeliveryReport& r) {
                    if (r.ok() && r.offset >= 0) ++ok;
                    if (std::this_thread::get_id() == caller) on_caller_thread = true;
                  });
  }
  EXPECT_TRUE(producer.flush(10s).ok());
  EXPECT_EQ(ok.load(), 100);
  EXPECT_FALSE(on_caller_thread.load());
}

TEST(Producer, ExplicitPartitionIsKept) {
  // (The mock broker answers with a fixed LogAppendTime, so timestamps are checked on the
  // real broker in the integration tests.)
  mib::EmbeddedCluster cluster;
  cluster.create_topic("placed", 3);
  mib::Producer producer{{{"bootstrap.servers", cluster.bootstrap_servers()}}};
  for (int partition = 0; partition < 3; ++partition) {
    auto report =
        producer.send({.topic = "placed", .key = "k", .value = "v", .partition = partition}).get();
    ASSERT_TRUE(report.ok()) << report.error.message();
    EXPECT_EQ(report.partition, partition);
  }
}

TEST(Producer, QueueFullFailsAtOnceWhenNotAllowedToWait) {
  // No broker answers, so nothing leaves the local queue of one record.
  mib::Producer producer{{{"bootstrap.servers", "127.0.0.1:1"},
                          {"queue.buffering.max.messages", "1"},
                          {"log_level", "0"}},
                         {.queue_full_wait = 0ms}};
  auto first = producer.send({.topic = "t", .key = "k", .value = "v"});
  auto second = producer.send({.topic = "t", .key = "k", .value = "v"});
  ASSERT_EQ(second.wait_for(1s), std::future_status::ready);
  const auto report = second.get();
  EXPECT_EQ(report.error.code(), mib::errc::queue_full) << report.error.message();
  EXPECT_TRUE(report.error.retriable());
  EXPECT_NE(report.error.message().find("'t'"), std::string::npos) << report.error.message();
  producer.close(100ms);
  EXPECT_EQ(first.get().error.code(), mib::errc::purged_in_queue);
}

TEST(Producer, QueueFullWaitsUpToTheSetTime) {
  mib::Producer producer{{{"bootstrap.servers", "127.0.0.1:1"},
                          {"queue.buffering.max.messages", "1"},
                          {"log_level", "0"}},
                         {.queue_full_wait = 300ms}};
  auto first = producer.send({.topic = "t", .key = "k", .value = "v"});
  const auto start = std::chrono::steady_clock::now();
  auto second = producer.send({.topic = "t", .key = "k", .value = "v"});
  EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
  EXPECT_EQ(second.get().error.code(), mib::errc::queue_full);
  producer.close(0ms);
  EXPECT_EQ(first.get().error.code(), mib::errc::purged_in_queue);
}

TEST(Producer, DestructorWaitsNoLongerThanItsCloseTimeout) {
  const auto start = std::chrono::steady_clock::now();
  std::future<mib::DeliveryReport> pending;
  {
    mib::Producer producer{{{"bootstrap.servers", "127.0.0.1:1"}, {"log_level", "0"}},
                           {.close_timeout = 200ms}};
    pending = producer.send({.topic = "t", .key = "k", .value = "v"});
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(pending.get().error.code(), mib::errc::purged_in_queue);
}

TEST(Producer, CloseReportsEveryPendingRecordAsPurged) {
  std::atomic<int> reports{0}, purged{0};
  {
    mib::Producer producer{{{"bootstrap.servers", "127.0.0.1:1"}, {"log_level", "0"}}};
    for (int i = 0; i < 50; ++i) {
      producer.send({.topic = "t", .key = "k", .value = "v"}, [&](const mib::DeliveryReport& r) {
        ++reports;
        if (r.error.code() == mib::errc::purged_in_queue ||
            r.error.code() == mib::errc::purged_in_flight) {
          ++purged;
        }
      });
    }
    EXPECT_EQ(producer.in_flight(), 50u);
    producer.close(200ms);
    EXPECT_EQ(producer.in_flight(), 0u);
  }
  EXPECT_EQ(reports.load(), 50);
  EXPECT_EQ(purged.load(), 50);
}

TEST(Producer, DestructorReportsPendingFutures) {
  std::future<mib::DeliveryReport> pending;
  {
    mib::Producer producer{{{"bootstrap.servers", "127.0.0.1:1"},
                            {"message.timeout.ms", "60000"},
                            {"log_level", "0"}}};
    pending = producer.send({.topic = "t", .key = "k", .value = "v"});
    producer.close(100ms);
  }
  ASSERT_EQ(pending.wait_for(0s), std::future_status::ready);
  EXPECT_FALSE(pending.get().ok());
}

TEST(Producer, SendAfterCloseIsReportedNotLost) {
  mib::Producer producer{{{"bootstrap.servers", "127.0.0.1:1"}, {"log_level", "0"}}};
  producer.close(0ms);
  auto report = producer.send({.topic = "t", .key = "k", .value = "v"}).get();
  EXPECT_EQ(report.error.code(), mib::errc::destroyed);
}

TEST(Producer, ExceptionInCallbackDoesNotStopLaterReports) {
  mib::EmbeddedCluster cluster;
  cluster.create_topic("throws", 1);
  mib::Producer producer{{{"bootstrap.servers", cluster.bootstrap_servers()}}};
  std::atomic<int> calls{0};
  for (int i = 0; i < 3; ++i) {
    producer.send({.topic = "throws", .key = "k", .value = "v"}, [&](const mib::DeliveryReport&) {
      ++calls;
      throw std::runtime_error("user bug");
    });
  }
  EXPECT_TRUE(producer.flush(10s).ok());
  EXPECT_EQ(calls.load(), 3);
}

TEST(Producer, QueueFullIsReportedAtOnceToCallbackSendsToo) {
  // As QueueFullFailsAtOnceWhenNotAllowedToWait, through the callback and zero-copy
  // sends: the refusal is reported before send returns, once, and names the topic.
  mib::Producer producer{{{"bootstrap.servers", "127.0.0.1:1"},
                          {"queue.buffering.max.messages", "1"},
                          {"log_level", "0"}},
                         {.queue_full_wait = 0ms}};
  auto first = producer.send({.topic = "t", .key = "k", .value = "v"});
  std::vector<mib::DeliveryReport> refused;
  producer.send({.topic = "t", .key = "k", .value = "v"},
                [&](const mib::DeliveryReport& r) { refused.push_back(r); });
  ASSERT_EQ(refused.size(), 1u) << "not reported before send returned";
  const std::string borrowed = "v";
  producer.send_borrowed({.topic = "t", .key = "k", .value = borrowed},
                         [&](const mib::DeliveryReport& r) { refused.push_back(r); });
  ASSERT_EQ(refused.size(), 2u) << "not reported before send_borrowed returned";
  for (const auto& report : refused) {
    EXPECT_EQ(report.error.code(), mib::errc::queue_full) << report.error.message();
    EXPECT_TRUE(report.error.retriable());
    EXPECT_NE(report.error.message().find("'t'"), std::string::npos) << report.error.message();
  }
  EXPECT_EQ(producer.in_flight(), 1u);  // only the first record, still queued
  producer.close(100ms);
  EXPECT_EQ(refused.size(), 2u);
  EXPECT_EQ(first.get().error.code(), mib::errc::purged_in_queue);
}

// A record that expires while no broker can be reached says why, and is not sent to a
// dead-letter topic on the same dead cluster (which used to double the wait).
TEST(Producer, RecordToADeadClusterCarriesTheConnectionErrorAndNoDeadLetter) {
  std::mutex mutex;
  std::vector<std::string> events;
  mib::Producer producer{{{"bootstrap.servers", "127.0.0.1:1"}, {"delivery.timeout.ms", "3000"}},
                         {.on_error = [&](const mib::Error& e) {
                           const std::lock_guard lock{mutex};
                           events.push_back(e.message());
                         }}};
  const auto report = producer.send({.topic = "anywhere", .key = "k", .value = "v"}).get();
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.error.code(), mib::errc::message_timed_out) << report.error.message();
  EXPECT_NE(report.error.message().find(
                "no broker was reachable: broker 127.0.0.1:1: connection refused"),
            std::string::npos)
      << report.error.message();
  EXPECT_NE(report.error.message().find("not dead-lettered"), std::string::npos);
  EXPECT_FALSE(report.dead_letter.has_value());
  EXPECT_EQ(producer.metrics().dead_letters_total, 0u);
  const std::lock_guard lock{mutex};
  ASSERT_FALSE(events.empty());
  EXPECT_NE(events.front().find("broker 127.0.0.1:1: connection refused"), std::string::npos)
      << events.front();
}

// A queue of 8 records with 2,000 to send: send() waits for room over and over, and the
// reports the poller has served must be freed for room to come. Every record arrives,
// once, in the order sent.
TEST(Producer, ASmallQueueFillsAndDrainsKeepingEveryRecordInOrder) {
  mib::EmbeddedCluster cluster;
  cluster.create_topic("small-queue", 1);
  mib::Producer producer{{{"bootstrap.servers", cluster.bootstrap_servers()},
                          {"queue.buffering.max.messages", "8"},
                          {"linger.ms", "1"}},
                         {.queue_full_wait = 5s}};
  std::mutex mutex;
  std::vector<std::int64_t> offsets;
  std::vector<std::string> failures;
  for (int i = 0; i < 2000; ++i) {
    producer.send({.topic = "small-queue", .key = "k", .value = std::to_string(i)},
                  [&](const mib::DeliveryReport& r) {
                    const std::lock_guard lock{mutex};
                    if (r.ok()) {
                      offsets.push_back(r.offset);
                    } else {
                      failures.push_back(r.error.message());
                    }
                  });
  }
  ASSERT_TRUE(producer.flush(20s).ok());
  const std::lock_guard lock{mutex};
  EXPECT_TRUE(failures.empty()) << failures.front();
  ASSERT_EQ(offsets.size(), 2000u);
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    ASSERT_EQ(offsets[i], static_cast<std::int64_t>(i)) << "report " << i << " out of order";
  }
}

TEST(Producer, StatisticsReachOnStatistics) {
  mib::EmbeddedCluster cluster;
  std::mutex mutex;
  std::string last;
  mib::Producer producer{
      {{"bootstrap.servers", cluster.bootstrap_servers()}, {"statistics.interval.ms", "100"}},
      {.on_statistics = [&](std::string_view json) {
        const std::lock_guard lock{mutex};
        last = json;
      }}};
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  for (;;) {
    {
      const std::lock_guard lock{mutex};
      if (!last.empty() || std::chrono::steady_clock::now() > deadline) break;
    }
    std::this_thread::sleep_for(20ms);
  }
  const std::lock_guard lock{mutex};
  EXPECT_NE(last.find("\"type\": \"producer\""), std::string::npos) << last.substr(0, 200);
  EXPECT_NE(last.find(producer.name()), std::string::npos) << last.substr(0, 200);
}

// flush() sends what is lingering at once, as Java's flush() does: with linger.ms far
// longer than the flush's timeout, the record is still delivered within it.
TEST(Producer, FlushSendsWhatLingersAtOnce) {
  mib::EmbeddedCluster cluster;
  cluster.create_topic("lingering", 1);
  mib::Producer producer{
      {{"bootstrap.servers", cluster.bootstrap_servers()}, {"linger.ms", "60000"}}};
  auto report = producer.send({.topic = "lingering", .key = "k", .value = "v"});
  const mib::Error flushed = producer.flush(10s);
  EXPECT_TRUE(flushed.ok()) << flushed.message();
  ASSERT_EQ(report.wait_for(0s), std::future_status::ready);
  EXPECT_TRUE(report.get().ok());
}
