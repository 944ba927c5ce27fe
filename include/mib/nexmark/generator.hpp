// The Nexmark event generator, after the published specification as the Beam and Flink
// generators implement it: per 50 events 1 person, 3 auctions and 46 bids; most bids on a
// few hot auctions by a few hot bidders, most auctions by hot sellers; prices 10^(0..6)
// dollars; five categories; ids that refer to people and auctions already made (or a few
// about to be); event time from the rate, with optional out-of-order groups.
//
//   mib::nexmark::Generator gen{{.events = 10'000'000}};
//   while (gen.has_next()) {
//     mib::nexmark::Event e = gen.next();   // a Person, an Auction or a Bid
//   }
//
// Each event is a function of its number alone (its random numbers are seeded by its id,
// as Beam does), so every run and every split of a run makes the same events.
#pragma once

#include <chrono>
#include <cstdint>

#include "mib/nexmark/model.hpp"

namespace mib::nexmark {

struct GeneratorConfig {
  std::uint64_t events = 10'000'000;  // how many to make
  // Events per second of event time (Flink's Nexmark runs use 10M).
  double rate = 10'000'000;
  // Events come in groups of this many whose times are shuffled within the group; 1: in
  // order.
  std::uint64_t out_of_order_group = 1;
  Timestamp base_time = Timestamp{std::chrono::milliseconds{1'767'225'600'000}};  // 2026-01-01
  int hot_auction_ratio = 2;  // a bid is on a hot auction with p = 1 - 1/this
  int hot_sellers_ratio = 4;
  int hot_bidders_ratio = 4;
  int active_people = 1000;
  int in_flight_auctions = 100;
  int avg_person_bytes = 200;
  int avg_auction_bytes = 500;
  int avg_bid_bytes = 100;
};

class Generator {
 public:
  explicit Generator(GeneratorConfig config = {});

  bool has_next() const noexcept { return made_ < config_.events; }
  Event next();
  // The event made n-th (from 0), whatever was made before.
  Event event(std::uint64_t n) const;
  // No event still to come is older than this.
  Timestamp watermark() const;
  std::uint64_t made() const noexcept { return made_; }
  const GeneratorConfig& config() const noexcept { return config_; }

 private:
  std::uint64_t adjusted(std::uint64_t n) const;
  Timestamp time_of_number(std::uint64_t n) const;

  GeneratorConfig config_;
  double delay_us_;  // event time between two events
  std::uint64_t made_ = 0;
};

}  // namespace mib::nexmark
