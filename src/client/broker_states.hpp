// Internal: broker connection states read from librdkafka's statistics JSON.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "kafka/statistics.hpp"
#include "mib/client/connection_status.hpp"

namespace mib::client {

// librdkafka's state name of each real broker ("UP", "DOWN", "CONNECT", ...), by broker
// name ("host:port/id"). Until a broker with a node id is known, the bootstrap entries
// ("host:port/bootstrap") instead; internal and logical brokers are left out.
std::map<std::string, std::string> broker_states(const kafka::Statistics& statistics);

// The next status of a broker given librdkafka's state name and its previous status:
// a broker that was up and is not is Reconnecting, not Disconnected.
ConnectionStatus next_status(std::string_view state, const ConnectionStatus& previous);

// The cluster as a whole: Connected if any broker is.
ConnectionStatus overall_status(const std::map<std::string, ConnectionStatus>& brokers,
                                const ConnectionStatus& previous);

}  // namespace mib::client
