// The Processor on the embedded broker: the error policy (retries, dead letters, stop),
// batches, and what is committed after a failure. Exactly once across a crash is tested
// on the real broker (tests/integration/processor_test.cpp).
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"
#include "unit/filled_topic.hpp"

using namespace std::chrono_literals;
using mib::test::Filled;
using mib::test::poll_offsets;
using mib::test::sequence;

namespace {

mib::Producer producer_for(const Filled& data) {
  return mib::Producer{{{"bootstrap.servers", data.cluster.bootstrap_servers()}}};
}

}  // namespace

TEST(Processor, HandlerFailuresAreRetriedThenDeadLetteredAndTheStreamGoesOn) {
  Filled data{10};
  std::mutex mutex;
  std::vector<std::int64_t> handled;
  int poison_attempts = 0;
  mib::Consumer consumer{data.properties("handlers")};
  consumer.assign({data.partition()});
  mib::Producer producer = producer_for(data);
  mib::Processor processor{
      consumer, producer, {.error_policy = mib::ErrorPolicy::retry(2, 1ms).then_dead_letter()}};
  processor.run([&](const mib::Message& m) {
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
  processor.stop();
  ASSERT_TRUE(processor.wait().ok());
  EXPECT_EQ(poison_attempts, 3);  // the first try and two retries
  EXPECT_EQ(handled, (std::vector<std::int64_t>{0, 1, 2, 4, 5, 6, 7, 8, 9}));
  const mib::ProcessorMetrics metrics = processor.metrics();
  EXPECT_EQ(metrics.dead_letters_total, 1u);
  EXPECT_EQ(metrics.failures_total, 3u);
  EXPECT_EQ(metrics.records_processed_total, 10u);
  // The loop commits what it processed, the dead letter included.
  EXPECT_TRUE(mib::test::wait_until(
      [&] { return consumer.committed({data.partition()}, 5s)[0].offset == 10; }, 10s));

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

TEST(Processor, StopPolicyEndsTheLoopWithTheErrorAndNothingAfterTheFailureIsCommitted) {
  Filled data{10};
  std::atomic<int> calls{0};
  mib::Consumer consumer{data.properties()};
  consumer.assign({data.partition()});
  mib::Producer producer = producer_for(data);
  mib::Processor processor{consumer, producer, {.error_policy = mib::ErrorPolicy::stop()}};
  processor.run([&](const mib::Message& m) {
    ++calls;
    if (m.offset() == 5) throw 42;  // not even a std::exception
  });
  const mib::Error error = processor.wait();
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.code(), mib::errc::application);
  EXPECT_NE(error.message().find("offset 5"), std::string::npos) << error.message();
  EXPECT_EQ(calls.load(), 6);
  // Nothing was skipped: what is committed ends before the failed record, and it is the
  // next one read.
  ASSERT_TRUE(consumer.commit().ok());
  EXPECT_EQ(consumer.committed({data.partition()}, 5s)[0].offset, 5);
  EXPECT_EQ(poll_offsets(consumer, 5), sequence(5, 10));
}

TEST(Processor, WithoutADeadLetterTopicAGivenUpRecordStopsTheLoop) {
  Filled data{4};
  mib::Consumer consumer{data.properties()};
  consumer.assign({data.partition()});
  mib::Producer producer = producer_for(data);
  mib::Processor processor{consumer, producer, {.dead_letter_suffix = ""}};
  processor.run([&](const mib::Message& m) {
    if (m.offset() == 2) throw std::runtime_error{"bad quote"};
  });
  const mib::Error error = processor.wait();
  EXPECT_NE(error.message().find("no dead-letter topic is set"), std::string::npos)
      << error.message();
  EXPECT_EQ(poll_offsets(consumer, 2), sequence(2, 4));
}

TEST(Processor, BatchHandlerIsRetriedAsAWhole) {
  Filled data{50};
  std::atomic<int> failures_left{2};
  std::mutex mutex;
  std::vector<std::int64_t> handled;
  mib::Consumer consumer{data.properties()};
  consumer.assign({data.partition()});
  mib::Producer producer = producer_for(data);
  mib::Processor processor{
      consumer, producer, {.error_policy = mib::ErrorPolicy::retry(3, 1ms).then_stop()}};
  processor.run_batches([&](std::span<const mib::Message> batch) {
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
  processor.stop();
  EXPECT_TRUE(processor.wait().ok());
  EXPECT_EQ(handled, sequence(0, 50));
  EXPECT_EQ(processor.metrics().failures_total, 2u);
}

TEST(Processor, WhatTheHandlerSentIsDeliveredBeforeItsInputIsCommitted) {
  Filled data{200};
  data.cluster.create_topic("ticks.out", 1);
  mib::Consumer consumer{data.properties()};
  consumer.assign({data.partition()});
  mib::Producer producer = producer_for(data);
  mib::Processor processor{consumer, producer};
  processor.run([&](const mib::Message& m) {
    producer.send({.topic = "ticks.out", .key = m.key(), .value = m.value()}, nullptr);
  });
  ASSERT_TRUE(mib::test::wait_until(
      [&] { return processor.metrics().records_processed_total == 200; }, 10s));
  processor.stop();
  ASSERT_TRUE(processor.wait().ok());
  // Every input is committed, and every output was reported by then.
  EXPECT_TRUE(mib::test::wait_until(
      [&] { return consumer.committed({data.partition()}, 5s)[0].offset == 200; }, 10s));
  EXPECT_EQ(producer.in_flight(), 0u);
  EXPECT_EQ(producer.metrics().messages_sent_total, 200u);
}

TEST(Processor, ExactlyOnceRefusesAConsumerThatCommitsOnItsOwn) {
  Filled data{1};
  auto properties = data.properties();
  properties["enable.auto.commit"] = "true";
  mib::Consumer consumer{properties};
  mib::Producer producer = producer_for(data);
  try {
    mib::Processor processor{consumer, producer, {.guarantee = mib::Guarantee::exactly_once}};
    FAIL() << "exactly_once with auto-commit was accepted";
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find("enable.auto.commit=false"), std::string::npos)
        << e.what();
  }
}

TEST(Processor, ExactlyOnceWithoutATransactionalProducerIsRefusedAtRun) {
  Filled data{1};
  mib::Consumer consumer{data.properties()};
  mib::Producer producer = producer_for(data);
  mib::Processor processor{consumer, producer, {.guarantee = mib::Guarantee::exactly_once}};
  try {
    processor.run([](const mib::Message&) {});
    FAIL() << "run() without transactional.id was accepted";
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find("init_transactions"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(processor.running());
}

TEST(Processor, ASecondRunWhileRunningIsRefused) {
  Filled data{1};
  mib::Consumer consumer{data.properties()};
  consumer.assign({data.partition()});
  mib::Producer producer = producer_for(data);
  mib::Processor processor{consumer, producer};
  processor.run([](const mib::Message&) {});
  try {
    processor.run([](const mib::Message&) {});
    FAIL() << "a second run() was accepted";
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find("already running"), std::string::npos) << e.what();
  }
  processor.stop();
  EXPECT_TRUE(processor.wait().ok());
  EXPECT_FALSE(processor.running());
}
