#include "mib/nexmark/generator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "mib/error.hpp"

namespace mib::nexmark {
namespace {

// java.util.Random's generator, so that the choices follow the published generators'
// (a 48-bit linear congruential generator; the same draws in the same order).
class JavaRandom {
 public:
  explicit JavaRandom(std::int64_t seed)
      : seed_((static_cast<std::uint64_t>(seed) ^ multiplier) & mask) {}

  std::int32_t next_int() { return next(32); }
  std::int32_t next_int(std::int32_t bound) {
    if ((bound & -bound) == bound) {  // a power of two: the high bits
      return static_cast<std::int32_t>((static_cast<std::int64_t>(bound) * next(31)) >> 31);
    }
    std::int32_t bits = 0;
    std::int32_t value = 0;
    do {  // rejects the draws that would favour small values
      bits = next(31);
      value = bits % bound;
    } while (static_cast<std::int64_t>(bits) - value + (bound - 1) > INT32_MAX);
    return value;
  }
  std::int64_t next_long() {
    const std::int64_t high = next(32);
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(high) << 32) + next(32);
  }
  double next_double() {
    return static_cast<double>((static_cast<std::int64_t>(next(26)) << 27) + next(27)) * 0x1.0p-53;
  }
  // Nexmark's LongGenerator: [0, n).
  std::int64_t next_long(std::int64_t n) {
    if (n < INT32_MAX) return next_int(static_cast<std::int32_t>(n));
    const std::int64_t r = next_long() % n;
    return r < 0 ? -r : r;
  }

 private:
  static constexpr std::uint64_t multiplier = 0x5DEECE66DULL;
  static constexpr std::uint64_t mask = (1ULL << 48) - 1;
  std::int32_t next(int bits) {
    seed_ = (seed_ * multiplier + 0xBULL) & mask;
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(seed_ >> (48 - bits)));
  }
  std::uint64_t seed_;
};

constexpr std::int64_t person_share = 1;
constexpr std::int64_t auction_share = 3;
constexpr std::int64_t all_shares = 50;  // and 46 bids
constexpr std::int64_t first_person_id = 1000;
constexpr std::int64_t first_auction_id = 1000;
constexpr std::int64_t first_category_id = 10;
constexpr std::int32_t categories = 5;
constexpr std::int64_t id_lead = 10;     // ids a little ahead of the last one made
constexpr std::int64_t hot_group = 100;  // hot auctions, sellers and bidders: 1 per this many

constexpr std::array<std::string_view, 6> states{"AZ", "CA", "ID", "OR", "WA", "WY"};
constexpr std::array<std::string_view, 10> cities{
    "Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland",
    "Bend",    "Redmond",     "Seattle",       "Kent",  "Cheyenne"};
constexpr std::array<std::string_view, 11> first_names{
    "Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"};
constexpr std::array<std::string_view, 9> last_names{
    "Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"};

template <std::size_t N>
std::string_view pick(JavaRandom& r, const std::array<std::string_view, N>& from) {
  return from[static_cast<std::size_t>(r.next_int(static_cast<std::int32_t>(N)))];
}

// The last person id (from 0) made by event `id`, or being made by it.
std::int64_t last_person(std::int64_t id) {
  const std::int64_t epoch = id / all_shares;
  const std::int64_t offset = std::min(id % all_shares, person_share - 1);
  return epoch * person_share + offset;
}
std::int64_t last_auction(std::int64_t id) {
  std::int64_t epoch = id / all_shares;
  std::int64_t offset = id % all_shares;
  if (offset < person_share) {  // a person: the previous epoch's last auction
    --epoch;
    offset = auction_share - 1;
  } else if (offset >= person_share + auction_share) {  // a bid: this epoch's last auction
    offset = auction_share - 1;
  } else {
    offset -= person_share;
  }
  return epoch * auction_share + offset;
}
// One of the active people, or one a little ahead (a person and an auction swapped in time).
std::int64_t some_person(std::int64_t id, JavaRandom& r, const GeneratorConfig& c) {
  const std::int64_t people = last_person(id) + 1;
  const std::int64_t active = std::min<std::int64_t>(people, c.active_people);
  return people - active + r.next_long(active + id_lead);
}
// One of the auctions likely still open, or one a little ahead.
std::int64_t some_auction(std::int64_t id, JavaRandom& r, const GeneratorConfig& c) {
  const std::int64_t last = last_auction(id);
  const std::int64_t low = std::max<std::int64_t>(last - c.in_flight_auctions, 0);
  return low + r.next_long(last - low + 1 + id_lead);
}

// 10^(0..6) dollars, in cents (10^x as e^(x ln 10): the same to the cent, and cheaper).
std::int64_t price(JavaRandom& r) {
  return std::llround(std::exp(r.next_double() * 6.0 * 2.302585092994046) * 100.0);
}

// 3 to max_length - 1 letters, about one in 13 a space, trimmed.
std::string text(JavaRandom& r, std::int32_t max_length) {
  std::int32_t length = 3 + r.next_int(max_length - 3);
  std::string s;
  s.reserve(static_cast<std::size_t>(length));
  while (length-- > 0) {
    s.push_back(r.next_int(13) == 0 ? ' ' : static_cast<char>('a' + r.next_int(26)));
  }
  const auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

// Letters to bring an event to about `average` bytes (within 20%). Six letters per draw,
// as the generators do (ours from the draw's unsigned value, so they stay letters).
std::string extra(JavaRandom& r, std::int64_t size_so_far, std::int64_t average) {
  if (size_so_far > average) return {};
  const std::int64_t wanted = average - size_so_far;
  const auto delta = static_cast<std::int32_t>(std::llround(static_cast<double>(wanted) * 0.2));
  std::int64_t length = wanted - delta + (delta == 0 ? 0 : r.next_int(2 * delta));
  std::string s(static_cast<std::size_t>(length), 'a');
  // Each letter of a draw from its own power of 26, so the six are independent of each
  // other; a local generator and pointer, so that the letters' stores need no reloads.
  constexpr std::array<std::uint32_t, 6> powers{1, 26, 676, 17'576, 456'976, 11'881'376};
  JavaRandom local = r;
  char* out = s.data();
  char* const end = out + s.size();
  while (out < end) {
    const auto draw = static_cast<std::uint32_t>(local.next_int());
    const auto n = std::min<std::ptrdiff_t>(6, end - out);
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      out[i] = static_cast<char>('a' + draw / powers[static_cast<std::size_t>(i)] % 26);
    }
    out += n;
  }
  r = local;
  return s;
}

std::string credit_card(JavaRandom& r) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%04d %04d %04d %04d", r.next_int(10000), r.next_int(10000),
                r.next_int(10000), r.next_int(10000));
  return buffer;
}

Person make_person(std::int64_t id, JavaRandom& r, Timestamp time, const GeneratorConfig& c) {
  Person p;
  p.id = last_person(id) + first_person_id;
  p.name = std::string{pick(r, first_names)} + " " + std::string{pick(r, last_names)};
  p.email_address = text(r, 7) + "@" + text(r, 5) + ".com";
  p.credit_card = credit_card(r);
  p.city = pick(r, cities);
  p.state = pick(r, states);
  p.date_time = time;
  const auto size =
      static_cast<std::int64_t>(8 + p.name.size() + p.email_address.size() + p.credit_card.size() +
                                p.city.size() + p.state.size());
  p.extra = extra(r, size, c.avg_person_bytes);
  return p;
}

Auction make_auction(std::int64_t id, JavaRandom& r, Timestamp time, Timestamp horizon,
                     const GeneratorConfig& c) {
  Auction a;
  a.id = last_auction(id) + first_auction_id;
  a.seller = (r.next_int(c.hot_sellers_ratio) > 0 ? last_person(id) / hot_group * hot_group
                                                  : some_person(id, r, c)) +
             first_person_id;
  a.category = first_category_id + r.next_int(categories);
  a.initial_bid = price(r);
  // Open for 1 ms to twice the time until in_flight_auctions more auctions are made.
  const std::int64_t horizon_ms = (horizon - time).count();
  a.expires =
      time + std::chrono::milliseconds{1 + r.next_long(std::max<std::int64_t>(horizon_ms * 2, 1))};
  a.item_name = text(r, 20);
  a.description = text(r, 100);
  a.reserve = a.initial_bid + price(r);
  a.date_time = time;
  const auto size = static_cast<std::int64_t>(8 + a.item_name.size() + a.description.size() + 40);
  a.extra = extra(r, size, c.avg_auction_bytes);
  return a;
}

Bid make_bid(std::int64_t id, JavaRandom& r, Timestamp time, const GeneratorConfig& c) {
  Bid b;
  b.auction = (r.next_int(c.hot_auction_ratio) > 0 ? last_auction(id) / hot_group * hot_group
                                                   : some_auction(id, r, c)) +
              first_auction_id;
  b.bidder = (r.next_int(c.hot_bidders_ratio) > 0 ? last_person(id) / hot_group * hot_group + 1
                                                  : some_person(id, r, c)) +
             first_person_id;
  b.price = price(r);
  b.date_time = time;
  b.extra = extra(r, 32, c.avg_bid_bytes);
  return b;
}

}  // namespace

Generator::Generator(GeneratorConfig config) : config_(config), delay_us_(1e6 / config.rate) {
  if (!(config_.rate > 0) || config_.out_of_order_group == 0 || config_.hot_auction_ratio < 1 ||
      config_.hot_sellers_ratio < 1 || config_.hot_bidders_ratio < 1 || config_.active_people < 1 ||
      config_.in_flight_auctions < 1) {
    throw Exception{Error{errc::invalid_argument,
                          "nexmark generator: rate, out_of_order_group, the hot ratios, "
                          "active_people and in_flight_auctions must be positive"}};
  }
}

std::uint64_t Generator::adjusted(std::uint64_t n) const {
  const std::uint64_t group = config_.out_of_order_group;
  return n / group * group + n * 953 % group;
}

Timestamp Generator::time_of_number(std::uint64_t n) const {
  const auto us = static_cast<std::int64_t>(static_cast<double>(n) * delay_us_);
  return config_.base_time + std::chrono::milliseconds{us / 1000};
}

Timestamp Generator::watermark() const {
  const std::uint64_t group = config_.out_of_order_group;
  return time_of_number(made_ / group * group);
}

Event Generator::event(std::uint64_t n) const {
  const std::uint64_t number = adjusted(n);
  const auto id = static_cast<std::int64_t>(number);
  const Timestamp time = time_of_number(number);
  JavaRandom r{id};
  const std::int64_t share = id % all_shares;
  if (share < person_share) return make_person(id, r, time, config_);
  if (share < person_share + auction_share) {
    // The events until in_flight_auctions more auctions are made.
    const auto ahead =
        static_cast<std::uint64_t>(config_.in_flight_auctions * all_shares / auction_share);
    return make_auction(id, r, time, time_of_number(number + ahead), config_);
  }
  return make_bid(id, r, time, config_);
}

Event Generator::next() {
  return event(made_++);
}

}  // namespace mib::nexmark
