#include <gtest/gtest.h>

#include "mib/config/duration.hpp"

using namespace std::chrono_literals;

TEST(Duration, ParsesEachUnitAndCombinations) {
  EXPECT_EQ(mib::parse_duration("250ms"), 250ms);
  EXPECT_EQ(mib::parse_duration("30s"), 30s);
  EXPECT_EQ(mib::parse_duration("5m"), 5min);
  EXPECT_EQ(mib::parse_duration("2h"), 2h);
  EXPECT_EQ(mib::parse_duration("1d"), 24h);
  EXPECT_EQ(mib::parse_duration("750us"), 750us);
  EXPECT_EQ(mib::parse_duration("1m30s"), 90s);
  EXPECT_EQ(mib::parse_duration("1.5s"), 1500ms);
  EXPECT_EQ(mib::parse_duration("0s"), 0s);
}

TEST(Duration, RejectsWhatIsNotADuration) {
  for (const char* bad :
       {"", "30", "s", "-5s", "5 s", "5sec", "1.s5", ".s", "5ss", "9999999999999h"}) {
    EXPECT_FALSE(mib::parse_duration(bad).has_value()) << bad;
  }
}

TEST(Duration, FormatsTheShortestExactForm) {
  EXPECT_EQ(mib::format_duration(90s), "1m30s");
  EXPECT_EQ(mib::format_duration(250ms), "250ms");
  EXPECT_EQ(mib::format_duration(1500ms), "1500ms");
  EXPECT_EQ(mib::format_duration(0s), "0s");
  EXPECT_EQ(mib::format_duration(26h), "1d2h");
  EXPECT_EQ(mib::parse_duration(mib::format_duration(3723s)), 3723s);
}
