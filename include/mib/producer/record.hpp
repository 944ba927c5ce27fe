// mib::Record: one record to send, named field by field.
//
//   producer.send({.topic = "quotes", .key = "AAPL", .value = json});
//   producer.send({.topic = "quotes", .key = "AAPL", .value = json,
//                  .headers = {{"source", "feed-a"}}, .partition = 2}, on_delivery);
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "mib/message.hpp"

namespace mib {

// Views: send() copies key, value and headers before it returns (send_borrowed() keeps
// the view of the value until the record is reported).
struct Record {
  std::string_view topic{};
  std::string_view key{};
  std::string_view value{};
  HeaderList headers{};
  std::optional<std::int32_t> partition{};  // default: the partitioner, by key
  std::optional<Timestamp> timestamp{};     // default: now (CreateTime)
};

}  // namespace mib
