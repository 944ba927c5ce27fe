// Bad librdkafka properties fail at construction, every one named, not just the first.
#include <gtest/gtest.h>

#include "mib/mib.hpp"

TEST(Properties, EveryBadPropertyIsNamedAtOnce) {
  try {
    mib::Producer producer{{{"bootstrap.servers", "127.0.0.1:1"},
                            {"linger.mss", "5"},
                            {"acks", "sometimes"},
                            {"compression.type", "lz5"}}};
    FAIL() << "expected mib::Exception";
  } catch (const mib::Exception& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("3 invalid librdkafka properties"), std::string::npos) << what;
    EXPECT_NE(what.find("'linger.mss'"), std::string::npos) << what;
    EXPECT_NE(what.find("'acks'"), std::string::npos) << what;
    EXPECT_NE(what.find("'compression.type'"), std::string::npos) << what;
    EXPECT_EQ(e.error().code(), mib::errc::invalid_argument);
  }
}

TEST(Properties, ConsumerNeedsAGroup) {
  try {
    mib::Consumer consumer{{{"bootstrap.servers", "127.0.0.1:1"}}};
    FAIL() << "expected mib::Exception";
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find("'group.id'"), std::string::npos) << e.what();
  }
}
