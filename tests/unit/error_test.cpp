#include <gtest/gtest.h>

#include "mib/error.hpp"

TEST(Error, DefaultIsSuccess) {
  mib::Error e;
  EXPECT_TRUE(e.ok());
  EXPECT_FALSE(e);
  EXPECT_FALSE(static_cast<std::error_code>(e));
}

TEST(Error, FromKafkaClassifiesAndDescribes) {
  const auto timed_out = mib::Error::from_kafka(mib::errc::timed_out);
  EXPECT_FALSE(timed_out.ok());
  EXPECT_TRUE(timed_out.retriable());
  EXPECT_FALSE(timed_out.fatal());
  EXPECT_EQ(timed_out.name(), "_TIMED_OUT");
  EXPECT_FALSE(timed_out.message().empty());

  const auto too_large = mib::Error::from_kafka(10);  // MESSAGE_TOO_LARGE
  EXPECT_FALSE(too_large.retriable());
  EXPECT_EQ(too_large.name(), "MSG_SIZE_TOO_LARGE");

  const auto fenced = mib::Error::from_kafka(90);  // PRODUCER_FENCED
  EXPECT_TRUE(fenced.fatal());
}

TEST(Error, ConvertsToErrorCodeInTheKafkaCategory) {
  const std::error_code code = mib::Error::from_kafka(mib::errc::queue_full);
  EXPECT_EQ(code, mib::errc::queue_full);  // std::error_code compares with an errc
  EXPECT_EQ(code.value(), static_cast<int>(mib::errc::queue_full));
  EXPECT_STREQ(code.category().name(), "kafka");
  EXPECT_EQ(code.message(), mib::Error::from_kafka(mib::errc::queue_full).message());
}

TEST(Error, ExceptionCarriesTheError) {
  const mib::Exception ex{mib::Error{mib::errc::invalid_argument, "bad 'x'"}};
  EXPECT_STREQ(ex.what(), "bad 'x'");
  EXPECT_EQ(ex.error().code(), mib::errc::invalid_argument);
}

TEST(Error, ContextKeepsTheCodeAndEveryFlag) {
  const mib::Error original{mib::errc::state, "not in a transaction", true, false, true};
  const mib::Error in_context = original.with_context("commit_transaction");
  EXPECT_EQ(in_context.message(), "commit_transaction: not in a transaction");
  EXPECT_EQ(in_context.code(), mib::errc::state);
  EXPECT_TRUE(in_context.retriable());
  EXPECT_FALSE(in_context.fatal());
  EXPECT_TRUE(in_context.abortable());

  const mib::Error fatal{mib::errc::fatal, "fenced", false, true};
  const mib::Error reworded = fatal.with_message("fenced by a newer producer");
  EXPECT_TRUE(reworded.fatal());
  EXPECT_EQ(reworded.code(), mib::errc::fatal);
  EXPECT_EQ(reworded.message(), "fenced by a newer producer");
}
