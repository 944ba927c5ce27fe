// Internal: what a handle's error events say about reaching the cluster. librdkafka
// reports a refused connection, a failed TLS or SASL handshake or an unknown host only
// as an error event with a text; this keeps the last one, named by broker and cause, so
// that a delivery report, a wait for the cluster or a status can say why.
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "mib/error.hpp"

namespace mib::kafka {

// An error event as the user should read it: "broker 127.0.0.1:1: connection refused
// (Connect to ipv4#127.0.0.1:1 failed: Connection refused ...)". The code stays
// librdkafka's; fatal errors carry librdkafka's fatal reason.
Error describe_error_event(rd_kafka_t* rk, int code, std::string_view reason);

// A failure to reach a broker (refused, TLS, SASL, unknown host, all down), as opposed
// to an error of a request that a reachable broker answered.
bool is_connection_error(int code) noexcept;

// Handshake failures that waiting will not heal: wrong credentials or mechanism, a TLS
// mismatch. A refused connection may heal (a broker starting), so it is not lasting.
bool is_lasting_connection_error(int code) noexcept;

class ConnectionWatch {
 public:
  // From the handle's error callback (any librdkafka thread).
  void observe(const Error& event);
  // A broker answered (a delivery, a metadata reply). Called for every delivered record,
  // so it loads first: the common case writes nothing to a line other threads read.
  void reached() noexcept {
    if (unreachable_.load(std::memory_order_relaxed)) {
      unreachable_.store(false, std::memory_order_release);
    }
    if (!reached_.load(std::memory_order_relaxed)) reached_.store(true, std::memory_order_release);
  }

  bool ever_reached() const noexcept { return reached_.load(std::memory_order_acquire); }
  // Every broker is down (librdkafka said so) and none has answered since.
  bool cluster_unreachable() const noexcept { return unreachable_.load(std::memory_order_acquire); }
  // The last connection error seen, if any.
  std::optional<Error> last_error() const;
  // `message`, and why, if no broker was ever reached: "...; <the last connection error>".
  std::string explain(std::string message) const;

 private:
  mutable std::mutex mutex_;
  std::optional<Error> last_;
  std::atomic<bool> reached_{false};
  std::atomic<bool> unreachable_{false};
};

// Waits until a broker answers a metadata request, up to `timeout`: the empty Error, or
// the cause (the watch's last connection error, or "no broker answered") naming
// `bootstrap`. Gives up early on a lasting connection error, or when `cancelled` (asked
// a few times a second, if given) says so.
Error wait_for_cluster(rd_kafka_t* rk, ConnectionWatch& watch, std::string_view bootstrap,
                       std::chrono::milliseconds timeout,
                       const std::function<bool()>& cancelled = {});

}  // namespace mib::kafka
