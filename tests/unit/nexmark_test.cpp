// Nexmark: the generator's mix, ids, times and sizes; each query over a handful of events
// whose results are worked out by hand; and the runner's summary.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mib/nexmark/generator.hpp"
#include "mib/nexmark/queries.hpp"
#include "mib/nexmark/run.hpp"
#include "support/streams_testing.hpp"

namespace nx = mib::nexmark;
namespace st = mib::streams;
using namespace std::chrono_literals;

namespace {

TEST(NexmarkGenerator, OnePersonThreeAuctionsAndFortySixBidsInEveryFifty) {
  nx::Generator gen{{.events = 50'000}};
  std::uint64_t people = 0;
  std::uint64_t auctions = 0;
  std::uint64_t bids = 0;
  std::int64_t next_person = 1000;
  std::int64_t next_auction = 1000;
  while (gen.has_next()) {
    const nx::Event e = gen.next();
    if (const auto* p = std::get_if<nx::Person>(&e)) {
      ++people;
      EXPECT_EQ(p->id, next_person++);  // ids in order, from 1000
    } else if (const auto* a = std::get_if<nx::Auction>(&e)) {
      ++auctions;
      EXPECT_EQ(a->id, next_auction++);
      EXPECT_GE(a->category, 10);
      EXPECT_LE(a->category, 14);
      EXPECT_GT(a->expires, a->date_time);
      EXPECT_GT(a->reserve, a->initial_bid);
      EXPECT_LE(a->seller, next_person + 10);  // a person made, or one of the next 10
    } else {
      const auto& b = std::get<nx::Bid>(e);
      ++bids;
      EXPECT_GE(b.auction, 1000);
      EXPECT_LE(b.auction, next_auction + 10);
      EXPECT_LE(b.bidder, next_person + 10);
      EXPECT_GE(b.price, 100);          // 10^0 dollars, in cents
      EXPECT_LE(b.price, 100'000'000);  // 10^6 dollars
    }
  }
  EXPECT_EQ(people, 1000U);
  EXPECT_EQ(auctions, 3000U);
  EXPECT_EQ(bids, 46'000U);
}

TEST(NexmarkGenerator, MostBidsGoToHotAuctionsAndHotBidders) {
  nx::Generator gen{{.events = 100'000}};
  std::uint64_t bids = 0;
  std::uint64_t hot_auction = 0;
  std::uint64_t hot_bidder = 0;
  std::uint64_t extra_bytes = 0;
  while (gen.has_next()) {
    const nx::Event e = gen.next();
    const auto* b = std::get_if<nx::Bid>(&e);
    if (b == nullptr) continue;
    ++bids;
    hot_auction += (b->auction - 1000) % 100 == 0 ? 1 : 0;
    hot_bidder += (b->bidder - 1000) % 100 == 1 ? 1 : 0;
    extra_bytes += b->extra.size();
  }
  // p(hot auction) = 1 - 1/2, p(hot bidder) = 1 - 1/4, plus the random picks that land on one.
  EXPECT_NEAR(static_cast<double>(hot_auction) / static_cast<double>(bids), 0.5, 0.03);
  EXPECT_NEAR(static_cast<double>(hot_bidder) / static_cast<double>(bids), 0.75, 0.03);
  // A bid's fields take 32 bytes; its extra brings it to 100 on average (within 20%).
  EXPECT_NEAR(static_cast<double>(extra_bytes) / static_cast<double>(bids), 68.0, 2.0);
}

TEST(NexmarkGenerator, EachEventIsAFunctionOfItsNumberAndTimeFollowsTheRate) {
  nx::Generator a{{.events = 2000, .rate = 1000}};
  nx::Generator b{{.events = 2000, .rate = 1000}};
  const nx::Generator lookup{{.events = 2000, .rate = 1000}};
  const st::Timestamp base = a.config().base_time;
  for (std::uint64_t n = 0; a.has_next(); ++n) {
    const nx::Event e = a.next();
    ASSERT_EQ(e, b.next());
    ASSERT_EQ(e, lookup.event(n));
    ASSERT_EQ(nx::time_of(e), base + std::chrono::milliseconds{n});  // 1000 events/s: 1 per ms
  }
}

TEST(NexmarkGenerator, OutOfOrderGroupsShuffleTimesWithinTheGroupOnly) {
  nx::Generator gen{{.events = 1000, .rate = 1000, .out_of_order_group = 10}};
  const st::Timestamp base = gen.config().base_time;
  std::vector<std::int64_t> group;
  bool some_out_of_order = false;
  while (gen.has_next()) {
    const st::Timestamp watermark = gen.watermark();
    const nx::Event e = gen.next();
    EXPECT_GE(nx::time_of(e), watermark);  // no event is older than the watermark before it
    group.push_back((nx::time_of(e) - base).count());
    if (group.size() < 10) continue;
    some_out_of_order = some_out_of_order || !std::is_sorted(group.begin(), group.end());
    std::sort(group.begin(), group.end());
    const std::int64_t first = group.front();
    for (std::int64_t i = 0; i < 10; ++i) EXPECT_EQ(group[static_cast<std::size_t>(i)], first + i);
    group.clear();
  }
  EXPECT_TRUE(some_out_of_order);
}

TEST(NexmarkGenerator, RefusesAConfigurationThatCannotWork) {
  EXPECT_THROW(nx::Generator({.rate = 0}), mib::Exception);
  EXPECT_THROW(nx::Generator({.out_of_order_group = 0}), mib::Exception);
}

// A query over hand-made events: pipe them, then close every window and auction.
template <typename Build>
class QueryRun {
 public:
  explicit QueryRun(Build build) : sources_(nx::sources(topology_)) {
    build(sources_).for_each([this](const Record& r) { results_.push_back(r); });
    driver_ = std::make_unique<st::TestDriver>(topology_);
  }
  void person(std::int64_t id, std::string state, st::Millis t, std::string name = "P") {
    nx::Person p;
    p.id = id;
    p.name = std::move(name);
    p.city = "Bend";
    p.state = std::move(state);
    p.date_time = st::at(t);
    driver_->input<nx::Person, std::int64_t>("persons").pipe(id, p, p.date_time);
  }
  void auction(std::int64_t id, std::int64_t seller, std::int64_t category, st::Millis t,
               st::Millis expires = 1h) {
    nx::Auction a;
    a.id = id;
    a.seller = seller;
    a.category = category;
    a.date_time = st::at(t);
    a.expires = st::at(expires);
    driver_->input<nx::Auction, std::int64_t>("auctions").pipe(id, a, a.date_time);
  }
  void bid(std::int64_t auction, std::int64_t price, st::Millis t, std::int64_t bidder = 7) {
    nx::Bid b;
    b.auction = auction;
    b.bidder = bidder;
    b.price = price;
    b.date_time = st::at(t);
    driver_->input<nx::Bid, std::int64_t>("bids").pipe(auction, b, b.date_time);
  }
  auto& finish() {
    driver_->advance_to(st::at(std::chrono::hours{1000}));
    return results_;
  }

 private:
  using Record = typename std::remove_cvref_t<decltype(std::declval<Build&>()(
      std::declval<nx::Sources&>()))>::record_type;
  st::Topology topology_;
  nx::Sources sources_;
  std::unique_ptr<st::TestDriver> driver_;
  std::vector<Record> results_;
};
template <typename Build>
QueryRun(Build) -> QueryRun<Build>;

TEST(NexmarkQueries, Q0PassesEveryBidAndQ1ConvertsItsPrice) {
  QueryRun r0{[](const nx::Sources& s) { return nx::q0(s); }};
  r0.person(1, "OR", 0ms);
  r0.bid(5, 1000, 1ms);
  r0.bid(6, 3, 2ms);
  const auto& bids = r0.finish();
  ASSERT_EQ(bids.size(), 2U);
  EXPECT_EQ(bids[0].value.auction, 5);
  EXPECT_EQ(bids[1].value.price, 3);
  QueryRun r1{[](const nx::Sources& s) { return nx::q1(s); }};
  r1.bid(5, 1000, 1ms);
  r1.bid(5, 3, 2ms);
  const auto& euros = r1.finish();
  ASSERT_EQ(euros.size(), 2U);
  EXPECT_EQ(euros[0].value.price, 908);
  EXPECT_EQ(euros[1].value.price, 2);  // 3 × 0.908, in whole cents
}

TEST(NexmarkQueries, Q2SelectsAuctionsWhoseIdIsAMultipleOf123) {
  QueryRun r{[](const nx::Sources& s) { return nx::q2(s); }};
  r.bid(122, 1, 1ms);
  r.bid(123, 2, 2ms);
  r.bid(1000, 3, 3ms);
  r.bid(1107, 4, 4ms);  // 9 × 123
  std::vector<nx::Q2> got;
  for (const auto& rec : r.finish()) got.push_back(rec.value);
  EXPECT_EQ(got, (std::vector<nx::Q2>{{123, 2}, {1107, 4}}));
}

TEST(NexmarkQueries, Q3JoinsCategoryTenAuctionsWithSellersFromOregonIdahoAndCalifornia) {
  QueryRun r{[](const nx::Sources& s) { return nx::q3(s); }};
  r.person(1, "OR", 0ms, "Ann");
  r.person(2, "WA", 1ms, "Bob");
  r.auction(100, 1, 10, 2ms);  // Ann's: in
  r.auction(101, 2, 10, 3ms);  // Bob is in WA: out
  r.auction(102, 1, 11, 4ms);  // category 11: out
  r.auction(103, 3, 10, 5ms);  // its seller comes later
  r.person(3, "CA", 6ms, "Cy");
  r.auction(104, 1, 10, 7ms);
  std::vector<nx::Q3> got;
  for (const auto& rec : r.finish()) got.push_back(rec.value);
  EXPECT_EQ(
      got, (std::vector<nx::Q3>{
               {"Ann", "Bend", "OR", 100}, {"Cy", "Bend", "CA", 103}, {"Ann", "Bend", "OR", 104}}));
}

TEST(NexmarkQueries, Q4AveragesEachCategorysWinningBidsAsAuctionsExpire) {
  QueryRun r{[](const nx::Sources& s) { return nx::q4(s); }};
  r.bid(2, 40, 5ms);  // before its auction is seen: it waits
  r.auction(1, 9, 10, 0ms, 100ms);
  r.auction(2, 9, 10, 1ms, 200ms);
  r.auction(3, 9, 11, 2ms, 300ms);  // no bids: no result
  r.bid(1, 50, 10ms);
  r.bid(1, 70, 20ms);
  r.bid(2, 30, 30ms);
  r.bid(1, 500, 150ms);  // after auction 1 expired
  r.bid(2, 60, 160ms);
  r.bid(4, 99, 170ms);  // auction 4 is never seen
  const auto& got = r.finish();
  ASSERT_EQ(got.size(), 2U);
  EXPECT_EQ(got[0].key, 10);
  EXPECT_DOUBLE_EQ(got[0].value, 70.0);               // auction 1 sold at 70
  EXPECT_DOUBLE_EQ(got[1].value, (70.0 + 60.0) / 2);  // auction 2 at 60: the average of both
  EXPECT_EQ(got[1].time, st::at(200ms));
}

TEST(NexmarkQueries, Q5FindsTheAuctionsWithTheMostBidsPerSlidingWindow) {
  QueryRun r{[](const nx::Sources& s) { return nx::q5(s); }};
  for (const auto t : {100'000ms, 100'500ms, 101'000ms}) r.bid(1, 1, t);
  for (const auto t : {100'200ms, 101'500ms, 102'500ms, 103'000ms}) r.bid(2, 1, t);
  std::vector<nx::Q5> got;
  for (const auto& rec : r.finish()) got.push_back(rec.value);
  const auto w = [](std::int64_t start_s) {
    return st::TimeWindow{st::at(std::chrono::seconds{start_s}),
                          st::at(std::chrono::seconds{start_s + 10})};
  };
  EXPECT_EQ(got, (std::vector<nx::Q5>{{1, 3, w(92)},  // [92, 102): 3 against 2
                                      {2, 4, w(94)},
                                      {2, 4, w(96)},
                                      {2, 4, w(98)},
                                      {2, 4, w(100)},
                                      {2, 2, w(102)}}));
}

TEST(NexmarkQueries, Q7GivesTheBidsAtTheHighestPriceOfEachTenSeconds) {
  QueryRun r{[](const nx::Sources& s) { return nx::q7(s); }};
  r.bid(1, 5, 1s);
  r.bid(2, 9, 2s);
  r.bid(3, 9, 3s);
  r.bid(4, 7, 12s);
  std::vector<std::int64_t> auctions;
  for (const auto& rec : r.finish()) auctions.push_back(rec.value.auction);
  EXPECT_EQ(auctions, (std::vector<std::int64_t>{2, 3, 4}));
}

TEST(NexmarkQueries, Q8FindsPeopleWhoOpenedAnAuctionInTheWindowTheyJoinedIn) {
  QueryRun r{[](const nx::Sources& s) { return nx::q8(s); }};
  r.person(1, "OR", 1s, "Ann");
  r.auction(100, 1, 10, 5s);  // same window [0, 10s)
  r.person(2, "OR", 2s, "Bob");
  r.auction(102, 3, 10, 3s);
  r.auction(101, 2, 10, 12s);    // the next window
  r.person(3, "OR", 15s, "Cy");  // joined after opening, in another window
  std::vector<nx::Q8> got;
  for (const auto& rec : r.finish()) got.push_back(rec.value);
  EXPECT_EQ(got, (std::vector<nx::Q8>{{1, "Ann", st::at(0s)}}));
}

TEST(NexmarkQueries, Q11CountsEachBiddersBidsPerSession) {
  QueryRun r{[](const nx::Sources& s) { return nx::q11(s); }};
  r.bid(1, 1, 0s, 7);
  r.bid(1, 1, 5s, 7);
  r.bid(1, 1, 6s, 8);
  r.bid(1, 1, 20s, 7);  // more than 10 s after 5 s: a new session
  std::vector<st::Windowed<std::int64_t, std::uint64_t>> got;
  for (const auto& rec : r.finish()) got.push_back(rec.value);
  EXPECT_EQ(got, (std::vector<st::Windowed<std::int64_t, std::uint64_t>>{
                     {7, {st::at(0s), st::at(5001ms)}, 2},
                     {8, {st::at(6s), st::at(6001ms)}, 1},
                     {7, {st::at(20s), st::at(20001ms)}, 1}}));
}

TEST(NexmarkRun, SummarisesAQueryAndRunsAgainToTheSameDigest) {
  const auto first = nx::run("q0", {.events = 10'000});
  EXPECT_EQ(first.events, 10'000U);
  EXPECT_EQ(first.results, 9'200U);  // 46 bids in every 50 events
  EXPECT_GT(first.events_per_second, 0);
  EXPECT_EQ(nx::run("q0", {.events = 10'000}).digest, first.digest);
  EXPECT_NE(nx::run("q1", {.events = 10'000}).digest, first.digest);  // prices changed
  for (const auto& q : nx::queries()) {
    EXPECT_GT(nx::run(q, {.events = 20'000}).results, 0U) << q;
  }
}

TEST(NexmarkRun, AnUnknownQueryIsNamedWithTheKnownOnes) {
  try {
    nx::run("q6", {.events = 10});
    FAIL() << "q6 ran";
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find("no query 'q6' (the queries are q0, q1, q2, q3, q4, q5, "
                                         "q7, q8, q11)"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
