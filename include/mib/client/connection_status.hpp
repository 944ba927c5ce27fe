// The state of the connection to a broker, and to the cluster as a whole.
#pragma once

#include <string>
#include <string_view>

namespace mib {

enum class ConnectionState { disconnected, connecting, connected, reconnecting, error };

struct ConnectionStatus {
  ConnectionState state = ConnectionState::disconnected;
  std::string reason{};  // why, for error (and the last error seen while reconnecting)

  friend bool operator==(const ConnectionStatus&, const ConnectionStatus&) = default;
};

// "Connected", "Error(SASL authentication failed ...)", as the summary names the states.
std::string to_string(const ConnectionStatus& status);
std::string_view to_string(ConnectionState state) noexcept;

}  // namespace mib
