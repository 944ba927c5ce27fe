#include "client/broker_states.hpp"

#include <simdjson.h>

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

std::map<std::string, std::string> broker_states(std::string_view json) {
  std::map<std::string, std::string> states, bootstrap;
  simdjson::padded_string padded{json};
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  if (parser.iterate(padded).get(doc)) return states;
  simdjson::ondemand::object brokers;
  if (doc["brokers"].get_object().get(brokers)) return states;
  for (auto field : brokers) {
    std::string_view name;
    if (field.unescaped_key().get(name)) continue;
    const std::string broker_name{name};
    simdjson::ondemand::object broker;
    if (field.value().get_object().get(broker)) continue;
    std::string state;
    bool real = true;  // not an internal or logical broker
    std::int64_t node_id = -1;
    for (auto item : broker) {
      std::string_view key, text;
      if (item.unescaped_key().get(key)) continue;
      if (key == "state" && !item.value().get_string().get(text)) {
        state = text;
      } else if (key == "source" && !item.value().get_string().get(text)) {
        real = text != "internal" && text != "logical";
      } else if (key == "nodeid" && item.value().get_int64().get(node_id)) {
        node_id = -1;
      }
    }
    if (!real || state.empty()) continue;
    (node_id >= 0 ? states : bootstrap)[broker_name] = state;
  }
  // Bootstrap entries (node id -1) stand for the cluster until the brokers they lead to
  // are known; after that they only repeat them.
  return states.empty() ? bootstrap : states;
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
