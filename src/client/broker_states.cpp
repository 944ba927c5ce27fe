#include "client/broker_states.hpp"

namespace mib {

std::string_view to_string(ConnectionState state) noexcept {
  switch (state) {
    case ConnectionState::disconnected: return "Disconnected";
    case ConnectionState::connecting: return "Connecting";
    case ConnectionState::connected: return "Connected";
    case ConnectionState::reconnecting: return "Reconnecting";
    case ConnectionState::error: return "Error";
  }
  return "?";
}

std::string to_string(const ConnectionStatus& status) {
  std::string out{to_string(status.state)};
  if (status.state == ConnectionState::error) out += "(" + status.reason + ")";
  return out;
}

namespace client {

std::map<std::string, std::string> broker_states(const kafka::Statistics& statistics) {
  std::map<std::string, std::string> states;
  for (const kafka::BrokerStatistics* broker : statistics.cluster_brokers()) {
    states[broker->name] = broker->state;
  }
  return states;
}

ConnectionStatus next_status(std::string_view state, const ConnectionStatus& previous) {
  const bool was_up = previous.state == ConnectionState::connected ||
                      previous.state == ConnectionState::reconnecting;
  if (state == "UP") return {ConnectionState::connected, {}};
  if (state == "DOWN" || state == "TRY_CONNECT" || state == "INIT") {
    return {was_up ? ConnectionState::reconnecting : ConnectionState::disconnected,
            previous.reason};
  }
  // CONNECT, SSL_HANDSHAKE, AUTH*, APIVERSION_QUERY: on the way up.
  return {was_up ? ConnectionState::reconnecting : ConnectionState::connecting, previous.reason};
}

ConnectionStatus overall_status(const std::map<std::string, ConnectionStatus>& brokers,
                                const ConnectionStatus& previous) {
  bool any_connecting = false, any_reconnecting = false;
  for (const auto& [name, status] : brokers) {
    if (status.state == ConnectionState::connected) return {ConnectionState::connected, {}};
    any_connecting = any_connecting || status.state == ConnectionState::connecting;
    any_reconnecting = any_reconnecting || status.state == ConnectionState::reconnecting;
  }
  if (previous.state == ConnectionState::error) return previous;  // until a broker is up
  if (any_reconnecting) return {ConnectionState::reconnecting, previous.reason};
  if (any_connecting || brokers.empty()) return {ConnectionState::connecting, previous.reason};
  return {ConnectionState::disconnected, previous.reason};
}

}  // namespace client
}  // namespace mib
