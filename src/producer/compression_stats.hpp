// Internal: the compression ratio a producer achieves, from librdkafka's statistics.
#pragma once

#include <optional>
#include <string_view>

namespace mib::producer {

// 1 - (bytes sent on the wire) / (record bytes before compression), summed over brokers
// and partitions of one statistics report: 0.7 means 70% smaller. Nothing if the report
// shows no records sent. Wire bytes include request framing, so the ratio is a slight
// underestimate.
std::optional<double> compression_ratio(std::string_view statistics_json);

}  // namespace mib::producer
