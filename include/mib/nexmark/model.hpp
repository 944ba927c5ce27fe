// Nexmark's events: people who register, the auctions they open and the bids on them, as
// the Nexmark benchmark defines them (the Beam and Flink implementations' fields).
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "mib/streams/record.hpp"

namespace mib::nexmark {

using mib::Timestamp;

struct Person {
  std::int64_t id = 0;
  std::string name;
  std::string email_address;
  std::string credit_card;
  std::string city;
  std::string state;
  Timestamp date_time{};
  std::string extra;
  friend bool operator==(const Person&, const Person&) = default;
};

struct Auction {
  std::int64_t id = 0;
  std::string item_name;
  std::string description;
  std::int64_t initial_bid = 0;  // cents
  std::int64_t reserve = 0;      // cents
  Timestamp date_time{};
  Timestamp expires{};
  std::int64_t seller = 0;  // a Person's id
  std::int64_t category = 0;
  std::string extra;
  friend bool operator==(const Auction&, const Auction&) = default;
};

struct Bid {
  std::int64_t auction = 0;  // an Auction's id
  std::int64_t bidder = 0;   // a Person's id
  std::int64_t price = 0;    // cents
  Timestamp date_time{};
  std::string extra;
  friend bool operator==(const Bid&, const Bid&) = default;
};

using Event = std::variant<Person, Auction, Bid>;

inline Timestamp time_of(const Event& e) {
  return std::visit([](const auto& x) { return x.date_time; }, e);
}

}  // namespace mib::nexmark
