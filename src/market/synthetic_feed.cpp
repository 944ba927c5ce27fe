#include "mib/market/synthetic_feed.hpp"

#include "mib/error.hpp"

namespace mib {

SyntheticFeed::SyntheticFeed(std::vector<std::string> symbols, std::uint64_t seed,
                             std::string source)
    : symbols_(std::move(symbols)), source_(std::move(source)), rng_(seed) {
  if (symbols_.empty()) {
    throw Exception{Error{errc::invalid_argument, "synthetic feed: no symbols given"}};
  }
  // Starting levels between $20 and $500, fixed by the seed.
  std::uniform_int_distribution<std::int64_t> level(2'000, 50'000);
  for (std::size_t i = 0; i < symbols_.size(); ++i) price_ticks_.push_back(level(rng_));
}

MarketData SyntheticFeed::next() {
  return next(std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now()));
}

MarketData SyntheticFeed::next(Timestamp at) {
  const std::size_t i = next_symbol_;
  next_symbol_ = (next_symbol_ + 1) % symbols_.size();

  std::uniform_int_distribution<int> step(-3, 3);
  std::uniform_int_distribution<int> spread(1, 3);
  std::uniform_int_distribution<std::uint64_t> size(1, 50);
  auto& ticks = price_ticks_[i];
  ticks = std::max<std::int64_t>(1, ticks + step(rng_));
  const int half_spread = spread(rng_);

  MarketData q;
  q.symbol = symbols_[i];
  q.last_price = static_cast<double>(ticks) / 100.0;
  q.bid_price = static_cast<double>(ticks - half_spread) / 100.0;
  q.ask_price = static_cast<double>(ticks + half_spread) / 100.0;
  q.bid_size = size(rng_) * 100;
  q.ask_size = size(rng_) * 100;
  q.volume = size(rng_) * 10;
  q.timestamp = at;
  q.source = source_;
  return q;
}

}  // namespace mib
