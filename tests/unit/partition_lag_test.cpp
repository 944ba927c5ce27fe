// Lag as an operator reads it: records the consumer has yet to read, never negative.
#include <gtest/gtest.h>

#include "mib/consumer/partition_lag.hpp"
#include "mib/processor/error_policy.hpp"

using namespace std::chrono_literals;
using mib::compute_lag;
using mib::StartWhenUnknown;

TEST(PartitionLag, HighWatermarkMinusPosition) {
  EXPECT_EQ(compute_lag(0, 100, 40, std::nullopt, StartWhenUnknown::latest), 60);
  EXPECT_EQ(compute_lag(0, 100, 100, 90, StartWhenUnknown::latest), 0);
}

TEST(PartitionLag, CommittedOffsetStandsInForAnUnknownPosition) {
  EXPECT_EQ(compute_lag(0, 100, std::nullopt, 75, StartWhenUnknown::earliest), 25);
}

TEST(PartitionLag, WithoutPositionOrCommitTheResetPolicyDecides) {
  EXPECT_EQ(compute_lag(10, 100, std::nullopt, std::nullopt, StartWhenUnknown::earliest), 90);
  EXPECT_EQ(compute_lag(10, 100, std::nullopt, std::nullopt, StartWhenUnknown::latest), 0);
}

TEST(PartitionLag, EmptyAndUnknownPartitionsHaveNoLag) {
  EXPECT_EQ(compute_lag(0, 0, std::nullopt, std::nullopt, StartWhenUnknown::earliest), 0);
  EXPECT_EQ(compute_lag(500, 500, 3, 3, StartWhenUnknown::earliest), 0);  // emptied by retention
  EXPECT_EQ(compute_lag(-1, -1, 5, std::nullopt, StartWhenUnknown::earliest), 0);
}

TEST(PartitionLag, OffsetsOutsideTheLogAreClamped) {
  // Retention removed what the commit points at: the consumer restarts at the log start.
  EXPECT_EQ(compute_lag(50, 100, std::nullopt, 10, StartWhenUnknown::earliest), 50);
  // A commit beyond the end (the topic was recreated) is not negative lag.
  EXPECT_EQ(compute_lag(0, 100, std::nullopt, 250, StartWhenUnknown::earliest), 0);
}

TEST(ErrorPolicy, BackoffDoublesUpToItsCap) {
  const auto policy = mib::ErrorPolicy::retry(5, 100ms);
  EXPECT_EQ(policy.backoff(1), 100ms);
  EXPECT_EQ(policy.backoff(2), 200ms);
  EXPECT_EQ(policy.backoff(3), 400ms);
  auto capped = policy;
  capped.max_backoff = 300ms;
  EXPECT_EQ(capped.backoff(3), 300ms);
  EXPECT_EQ(capped.backoff(40), 300ms);
}

TEST(ErrorPolicy, BuildersSayWhatHappensWhenRetriesRunOut) {
  EXPECT_EQ(mib::ErrorPolicy::retry(3, 10ms).then_dead_letter().exhausted,
            mib::ErrorPolicy::Exhausted::dead_letter);
  EXPECT_EQ(mib::ErrorPolicy::retry(3, 10ms).then_stop().exhausted,
            mib::ErrorPolicy::Exhausted::stop);
  EXPECT_EQ(mib::ErrorPolicy::stop().retries, 0);
  EXPECT_EQ(mib::ErrorPolicy{}.exhausted, mib::ErrorPolicy::Exhausted::dead_letter);
}
