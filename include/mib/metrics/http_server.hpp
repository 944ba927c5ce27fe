// mib::metrics::HttpServer: serves the registry at /metrics (Prometheus' text format),
// liveness at /health and readiness at /ready (JSON, 200 or 503), on 127.0.0.1 unless
// told otherwise. The library never opens a port by itself: an application makes one.
//
//   mib::metrics::HttpServer http{mib::metrics::HttpServerOptions::from(config.global)};
//   http.add_readiness_check("brokers", mib::metrics::reachable(producer));
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "mib/config/config.hpp"
#include "mib/metrics/registry.hpp"

namespace mib::metrics {

struct HttpServerOptions {
  std::string address = "127.0.0.1";       // of /metrics
  std::optional<int> metrics_port = 9090;  // empty: no /metrics; 0: any free port
  std::string metrics_path = "/metrics";
  std::string health_address = "127.0.0.1";  // of /health and /ready
  std::optional<int> health_port = 8080;     // empty: no /health and /ready; 0: any free port
  std::string health_path = "/health";
  std::string ready_path = "/ready";
  // When set, the registry's namespace (global.prometheus_namespace); it applies to the
  // whole process, since the registry is the process's.
  std::optional<std::string> name_space{};

  // global.metrics_* and global.health_* (a disabled endpoint is not served), and
  // global.metrics_address / global.health_address.
  static HttpServerOptions from(const GlobalConfig& global);
};

// One check of /health or /ready. A check that throws fails with the exception's text.
struct CheckResult {
  bool ok = true;
  std::string detail{};
};
using Check = std::function<CheckResult()>;

class HttpServer {
 public:
  // Binds at once; throws mib::Exception naming the address and port it could not bind.
  // When metrics_port == health_port, one server answers all three paths.
  explicit HttpServer(HttpServerOptions options, Registry& registry = metrics::registry());
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Checks run on the server's threads at each request, so they must be thread-safe and
  // quick. /health fails (503) if any liveness check does; /ready if any check does.
  void add_liveness_check(std::string name, Check check);
  void add_readiness_check(std::string name, Check check);

  // The bound ports (useful with port 0); empty when not served.
  std::optional<int> metrics_port() const;
  std::optional<int> health_port() const;
  // "http://127.0.0.1:9090/metrics", ...; empty when not served.
  std::string metrics_url() const;
  std::string health_url() const;
  std::string ready_url() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mib::metrics
