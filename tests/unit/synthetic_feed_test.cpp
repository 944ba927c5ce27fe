#include <gtest/gtest.h>

#include "mib/market/synthetic_feed.hpp"

TEST(SyntheticFeed, SameSeedSameQuotes) {
  mib::SyntheticFeed a{{"AAPL", "MSFT"}, 7}, b{{"AAPL", "MSFT"}, 7};
  const mib::Timestamp at{};
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next(at), b.next(at));
}

TEST(SyntheticFeed, QuotesAreRoundRobinAndCoherent) {
  mib::SyntheticFeed feed{{"AAPL", "MSFT", "GOOG"}};
  for (int i = 0; i < 300; ++i) {
    const auto q = feed.next();
    EXPECT_EQ(q.symbol, feed.symbols()[static_cast<std::size_t>(i % 3)]);
    EXPECT_LT(q.bid_price, q.last_price);
    EXPECT_GT(q.ask_price, q.last_price);
    EXPECT_GT(q.bid_size, 0u);
    EXPECT_GT(q.volume, 0u);
  }
}

TEST(SyntheticFeed, NeedsSymbols) {
  EXPECT_THROW(mib::SyntheticFeed(std::vector<std::string>{}), mib::Exception);
}
