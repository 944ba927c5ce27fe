#include <gtest/gtest.h>

#include "mib/serde/rfc3339.hpp"

using namespace std::chrono;

TEST(Rfc3339, FormatsUtcWithMilliseconds) {
  std::string out;
  mib::rfc3339::format(mib::Timestamp{milliseconds{1'795'772'400'125}}, out);
  EXPECT_EQ(out, "2026-11-27T09:40:00.125Z");
}

TEST(Rfc3339, ParsesZonesAndFractions) {
  const auto t = mib::rfc3339::parse("2026-11-27T09:30:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(mib::rfc3339::parse("2026-11-27T10:30:00+01:00"), t);
  EXPECT_EQ(mib::rfc3339::parse("2026-11-27T04:30:00-05:00"), t);
  EXPECT_EQ(mib::rfc3339::parse("2026-11-27T09:30:00.5Z"), *t + 500ms);
  EXPECT_EQ(mib::rfc3339::parse("2026-11-27 09:30:00.123456789Z"), *t + 123ms);
}

TEST(Rfc3339, RoundTrips) {
  const mib::Timestamp t{milliseconds{951'782'400'007}};  // 2000-02-29, a leap day
  std::string out;
  mib::rfc3339::format(t, out);
  EXPECT_EQ(mib::rfc3339::parse(out), t);
}

TEST(Rfc3339, RejectsMalformedText) {
  for (const char* bad : {"", "2026-11-27", "2026-11-27T09:30:00", "2026-13-01T00:00:00Z",
                          "2026-02-30T00:00:00Z", "2026-11-27T24:00:00Z", "2026-11-27T09:30:00.Z",
                          "2026-11-27T09:30:00Zjunk", "2026-11-27T09:30:00+0100"}) {
    EXPECT_FALSE(mib::rfc3339::parse(bad).has_value()) << bad;
  }
}
