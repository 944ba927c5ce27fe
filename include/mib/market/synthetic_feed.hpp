// mib::SyntheticFeed: a reproducible stream of quotes for demos, tests and benchmarks.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "mib/serde/market_data.hpp"

namespace mib {

// Quotes for a fixed set of symbols, round-robin, each price a random walk in ticks of
// one cent around its starting level with a spread of one to three ticks. The same seed
// gives the same sequence, so a test can know what it will read back.
class SyntheticFeed {
 public:
  explicit SyntheticFeed(std::vector<std::string> symbols, std::uint64_t seed = 42,
                         std::string source = "mib-synthetic");

  // The next quote, stamped with the current time.
  MarketData next();
  // As next(), stamped with `at`.
  MarketData next(Timestamp at);

  const std::vector<std::string>& symbols() const noexcept { return symbols_; }

 private:
  std::vector<std::string> symbols_;
  std::vector<std::int64_t> price_ticks_;  // last price per symbol, in cents
  std::string source_;
  std::mt19937_64 rng_;
  std::size_t next_symbol_ = 0;
};

}  // namespace mib
