// The outcome of one send: where the record landed, or why it did not.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mib/error.hpp"
#include "mib/message.hpp"

namespace mib {

struct DeliveryReport {
  std::string topic{};
  std::int32_t partition = -1;
  std::int64_t offset = -1;  // -1 when the broker did not return one (acks=0) or on error
  Timestamp timestamp{};     // the record's CreateTime, or the broker's LogAppendTime
  TimestampType timestamp_type = TimestampType::not_available;
  Error error{};
  int attempts = 1;  // sends of this record, counting the producer's own retries
  // Set when the record failed for good and was written to its dead-letter topic instead:
  // where it went. The error above still says why the original send failed.
  std::optional<TopicPartition> dead_letter{};

  bool ok() const noexcept { return error.ok(); }
  // Never sent: the producer closed (or was purged) before the record went out, so the
  // cluster did not refuse it. Tools count these as "not sent" rather than "failed".
  bool purged() const noexcept {
    return error.code() == errc::purged_in_queue || error.code() == errc::purged_in_flight;
  }
};

}  // namespace mib
