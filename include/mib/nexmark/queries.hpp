// The Nexmark queries as mib::streams topologies, each over the three in-process sources
// "persons", "auctions" and "bids" (keyed by person id, auction id and the bid's auction):
//
//   q0   pass-through: every bid
//   q1   currency conversion: every bid, its price times 0.908
//   q2   selection: (auction, price) of the bids on auctions whose id is a multiple of 123
//   q3   local item suggestion: (name, city, state, auction) of each category-10 auction by
//        a seller from OR, ID or CA, an unwindowed join in a processor with two stores
//   q4   average selling price per category: each auction's highest bid between its
//        opening and its expiry, once it expires; the running average of its category
//   q5   hot items: per 10 s window every 2 s, the auctions with the most bids
//   q7   highest bid: per 10 s window, the bids at the highest price
//   q8   monitor new users: people who opened an auction in the 10 s window they joined in
//   q11  user sessions: bids per bidder session (10 s gap)
//
// Each qN(sources) returns the stream of its results; run.hpp runs one over the generator.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "mib/nexmark/model.hpp"
#include "mib/streams.hpp"

namespace mib::nexmark {

namespace st = mib::streams;
using namespace std::chrono_literals;

template <typename V>
using SourceStream = st::Stream<st::Record<std::int64_t, V>, std::int64_t, V>;

struct Sources {
  SourceStream<Person> persons;
  SourceStream<Auction> auctions;
  SourceStream<Bid> bids;
  st::Millis grace{0};  // how far out of order the events come (the generator's groups)
};

// The three sources in `topology`, in process: push records with typed_source().
inline Sources sources(st::Topology& topology, st::Millis grace = st::Millis{0}) {
  const st::Millis never{0};  // no partition goes idle: the runner feeds every one
  return {topology.source<std::int64_t, Person>("persons", {.idle_partition_after = never}),
          topology.source<std::int64_t, Auction>("auctions", {.idle_partition_after = never}),
          topology.source<std::int64_t, Bid>("bids", {.idle_partition_after = never}), grace};
}

struct Q2 {
  std::int64_t auction = 0;
  std::int64_t price = 0;
  friend bool operator==(const Q2&, const Q2&) = default;
};
struct Q3 {
  std::string name;
  std::string city;
  std::string state;
  std::int64_t auction = 0;
  friend bool operator==(const Q3&, const Q3&) = default;
};
struct Q5 {
  std::int64_t auction = 0;
  std::uint64_t bids = 0;
  st::TimeWindow window;
  friend bool operator==(const Q5&, const Q5&) = default;
};
struct Q8 {
  std::int64_t person = 0;
  std::string name;
  Timestamp window_start{};
  friend bool operator==(const Q8&, const Q8&) = default;
};

inline auto q0(const Sources& s) {
  return s.bids;
}

inline auto q1(const Sources& s) {
  return s.bids.map([](const Bid& b) {
    Bid euro = b;
    euro.price = b.price * 908 / 1000;
    return euro;
  });
}

inline auto q2(const Sources& s) {
  return s.bids.filter([](const Bid& b) { return b.auction % 123 == 0; }).map([](const Bid& b) {
    return Q2{b.auction, b.price};
  });
}

namespace detail {
struct Seller {
  std::string name;
  std::string city;
  std::string state;
};
using Q3Side = std::variant<Seller, std::int64_t>;  // a seller, or an auction of theirs

// Joins sellers and their auctions with no window: each side waits in a store for the
// other (a seller's auctions may come before the seller, by the generator's id lead).
struct Q3Join {
  st::KeyValueStore<std::int64_t, Seller>* sellers = nullptr;
  st::KeyValueStore<std::int64_t, std::vector<std::int64_t>>* waiting = nullptr;
  void init(st::ProcessorContext<std::int64_t, Q3>& ctx) {
    sellers = &ctx.key_value_store<std::int64_t, Seller>("q3-sellers");
    waiting = &ctx.key_value_store<std::int64_t, std::vector<std::int64_t>>("q3-waiting");
  }
  void process(st::Record<std::int64_t, Q3Side>&& r, st::ProcessorContext<std::int64_t, Q3>& ctx) {
    if (auto* seller = std::get_if<Seller>(&r.value)) {
      if (auto auctions = waiting->get(r.key)) {
        for (const std::int64_t a : *auctions) {
          ctx.forward({r.key, Q3{seller->name, seller->city, seller->state, a}, r.time});
        }
        waiting->remove(r.key);
      }
      sellers->put(r.key, std::move(*seller));
      return;
    }
    const std::int64_t auction = std::get<std::int64_t>(r.value);
    if (auto seller = sellers->get(r.key)) {
      ctx.forward({r.key, Q3{seller->name, seller->city, seller->state, auction}, r.time});
      return;
    }
    auto auctions = waiting->get(r.key).value_or(std::vector<std::int64_t>{});
    auctions.push_back(auction);
    waiting->put(r.key, std::move(auctions));
  }
};
}  // namespace detail

inline auto q3(const Sources& s) {
  using detail::Q3Side;
  auto sellers = s.persons
                     .filter([](const Person& p) {
                       return p.state == "OR" || p.state == "ID" || p.state == "CA";
                     })
                     .map([](const Person& p) {
                       return Q3Side{detail::Seller{p.name, p.city, p.state}};
                     });
  auto auctions = s.auctions.filter([](const Auction& a) { return a.category == 10; })
                      .key_by(&Auction::seller)
                      .map([](const Auction& a) { return Q3Side{a.id}; });
  return sellers.merge(auctions).process<Q3>(detail::Q3Join{}, "q3-join");
}

namespace detail {
struct Opened {
  std::int64_t category = 0;
  Timestamp opened{};
  Timestamp expires{};
};
struct Offer {
  std::int64_t price = 0;
  Timestamp time{};
};
using Q4Side = std::variant<Opened, Offer>;

// Each auction's highest bid in [opening, expiry], forwarded (keyed by category) once the
// stream time passes its expiry. Bids for an auction not seen yet wait for it; bids for
// one already closed (an id below the highest seen and no longer open) are dropped.
struct WinningBids {
  struct Open {
    Opened auction;
    std::int64_t best = -1;
  };
  st::KeyValueStore<std::int64_t, Open>* open = nullptr;
  st::KeyValueStore<std::pair<std::int64_t, std::int64_t>, char>* by_expiry = nullptr;
  st::KeyValueStore<std::int64_t, std::vector<Offer>>* early = nullptr;
  std::int64_t newest_auction = -1;

  void init(st::ProcessorContext<std::int64_t, std::int64_t>& ctx) {
    open = &ctx.key_value_store<std::int64_t, Open>("q4-open-auctions");
    by_expiry = &ctx.key_value_store<std::pair<std::int64_t, std::int64_t>, char>("q4-expiries");
    early = &ctx.key_value_store<std::int64_t, std::vector<Offer>>("q4-early-bids");
    ctx.schedule(1ms, st::Punctuation::event_time,
                 [this, &ctx](Timestamp now) { close(now, ctx); });
  }
  static void offer(Open& o, const Offer& b) {
    if (b.time >= o.auction.opened && b.time <= o.auction.expires)
      o.best = std::max(o.best, b.price);
  }
  void process(st::Record<std::int64_t, Q4Side>&& r,
               st::ProcessorContext<std::int64_t, std::int64_t>&) {
    if (const auto* a = std::get_if<Opened>(&r.value)) {
      Open o{*a};
      if (auto bids = early->get(r.key)) {
        for (const Offer& b : *bids) offer(o, b);
        early->remove(r.key);
      }
      open->put(r.key, o);
      by_expiry->put({a->expires.time_since_epoch().count(), r.key}, 0);
      newest_auction = std::max(newest_auction, r.key);
      return;
    }
    const Offer& b = std::get<Offer>(r.value);
    if (auto o = open->get(r.key)) {
      offer(*o, b);
      open->put(r.key, *o);
    } else if (r.key > newest_auction) {
      auto bids = early->get(r.key).value_or(std::vector<Offer>{});
      bids.push_back(b);
      early->put(r.key, std::move(bids));
    }
  }
  void close(Timestamp now, st::ProcessorContext<std::int64_t, std::int64_t>& ctx) {
    std::vector<std::pair<std::int64_t, std::int64_t>> closed;
    by_expiry->range({INT64_MIN, INT64_MIN}, {now.time_since_epoch().count(), INT64_MIN},
                     [&](const auto& key, char) { closed.push_back(key); });
    for (const auto& key : closed) {
      by_expiry->remove(key);
      if (auto o = open->get(key.second); o && o->best >= 0) {
        ctx.forward({o->auction.category, o->best, o->auction.expires});
      }
      open->remove(key.second);
    }
  }
};

// The running average of each category's selling prices.
struct CategoryAverage {
  st::KeyValueStore<std::int64_t, std::pair<std::int64_t, std::int64_t>>* sums = nullptr;
  void init(st::ProcessorContext<std::int64_t, double>& ctx) {
    sums = &ctx.key_value_store<std::int64_t, std::pair<std::int64_t, std::int64_t>>("q4-sums");
  }
  void process(st::Record<std::int64_t, std::int64_t>&& r,
               st::ProcessorContext<std::int64_t, double>& ctx) {
    auto [sum, n] = sums->get(r.key).value_or(std::pair<std::int64_t, std::int64_t>{0, 0});
    sum += r.value;
    ++n;
    sums->put(r.key, {sum, n});
    ctx.forward({r.key, static_cast<double>(sum) / static_cast<double>(n), r.time});
  }
};
}  // namespace detail

inline auto q4(const Sources& s) {
  using detail::Q4Side;
  auto opened = s.auctions.map([](const Auction& a) {
    return Q4Side{detail::Opened{a.category, a.date_time, a.expires}};
  });
  auto offers = s.bids.map([](const Bid& b) {
    return Q4Side{detail::Offer{b.price, b.date_time}};
  });
  return opened.merge(offers)
      .process<std::int64_t>(detail::WinningBids{}, "q4-winning-bids")
      .process<double>(detail::CategoryAverage{}, "q4-average");
}

namespace detail {
// Per window, the auctions with the most bids.
struct HotItems {
  struct Acc {
    std::uint64_t most = 0;
    std::vector<std::int64_t> auctions;
    st::TimeWindow window;
  };
  Acc init() const { return {}; }
  void add(Acc& acc, const st::Windowed<std::int64_t, std::uint64_t>& w) const {
    acc.window = w.window;
    if (w.value > acc.most) {
      acc.most = w.value;
      acc.auctions.clear();
    }
    if (w.value == acc.most) acc.auctions.push_back(w.key);
  }
  void merge(Acc& acc, const Acc& other) const {
    if (other.most > acc.most)
      acc = other;
    else if (other.most == acc.most)
      acc.auctions.insert(acc.auctions.end(), other.auctions.begin(), other.auctions.end());
  }
};
}  // namespace detail

inline auto q5(const Sources& s) {
  return s.bids.window(st::Hopping{10s, 2s}.grace(s.grace))
      .aggregate(st::count(), "q5-bids-per-auction")
      // Each hop window's results, timed at its last instant, fall in one 2 s window.
      .key_by([](const st::Windowed<std::int64_t, std::uint64_t>& w) {
        return w.window.start.time_since_epoch().count();
      })
      .window(st::Tumbling{2s})
      .aggregate(detail::HotItems{}, "q5-hot-items")
      .flat_map([](const st::Windowed<std::int64_t, detail::HotItems::Acc>& w) {
        std::vector<Q5> rows;
        for (const std::int64_t a : w.value.auctions)
          rows.push_back({a, w.value.most, w.value.window});
        return rows;
      });
}

namespace detail {
// The bids at the highest price.
struct HighestBids {
  struct Acc {
    std::int64_t price = -1;
    std::vector<Bid> bids;
  };
  Acc init() const { return {}; }
  void add(Acc& acc, const Bid& b) const {
    if (b.price > acc.price) {
      acc.price = b.price;
      acc.bids.clear();
    }
    if (b.price == acc.price) acc.bids.push_back(b);
  }
  void merge(Acc& acc, const Acc& other) const {
    if (other.price > acc.price)
      acc = other;
    else if (other.price == acc.price)
      acc.bids.insert(acc.bids.end(), other.bids.begin(), other.bids.end());
  }
};
}  // namespace detail

inline auto q7(const Sources& s) {
  return s.bids.key_by([](const Bid&) { return std::int64_t{0}; })
      .window(st::Tumbling{10s}.grace(s.grace))
      .aggregate(detail::HighestBids{}, "q7-highest-bids")
      .flat_map([](const st::Windowed<std::int64_t, detail::HighestBids::Acc>& w) {
        return w.value.bids;
      });
}

inline auto q8(const Sources& s) {
  auto joined = s.persons.window(st::Tumbling{10s}.grace(s.grace))
                    .aggregate(st::first(&Person::name), "q8-new-people");
  auto sellers = s.auctions.key_by(&Auction::seller)
                     .window(st::Tumbling{10s}.grace(s.grace))
                     .aggregate(st::count(), "q8-sellers");
  // Both results are timed at their window's last instant: equal times, the same window.
  return joined.join(
      sellers, st::JoinWindow::within(0ms),
      [](const st::Windowed<std::int64_t, std::string>& p,
         const st::Windowed<std::int64_t, std::uint64_t>&) {
        return Q8{p.key, p.value, p.window.start};
      },
      "q8-join");
}

inline auto q11(const Sources& s) {
  return s.bids.key_by(&Bid::bidder)
      .window(st::Session{10s}.grace(s.grace))
      .aggregate(st::count(), "q11-bids-per-session");
}

}  // namespace mib::nexmark
