#include "serve_options.hpp"

#include <cstdio>

namespace mib::cli {

void add_serve_options(CLI::App& command, ServeOptions& options) {
  command
      .add_option("--metrics-port", options.metrics_port,
                  "serve Prometheus metrics at http://127.0.0.1:PORT/metrics while running "
                  "(0: any free port)")
      ->check(CLI::Range(0, 65535));
  command
      .add_option("--health-port", options.health_port,
                  "serve /health and /ready at http://127.0.0.1:PORT while running "
                  "(0: any free port)")
      ->check(CLI::Range(0, 65535));
}

void prepare_serving(const ServeOptions& options, Config& config) {
  if (!options.metrics_port && !options.health_port) return;
  if (config.global.statistics_interval.count() == 0)
    config.set("global.statistics_interval", "1s");
}

std::unique_ptr<metrics::HttpServer> serve(const ServeOptions& options, const Config& config) {
  if (!options.metrics_port && !options.health_port) return nullptr;
  metrics::HttpServerOptions http = metrics::HttpServerOptions::from(config.global);
  http.metrics_port = options.metrics_port;
  http.health_port = options.health_port;
  auto server = std::make_unique<metrics::HttpServer>(std::move(http));
  if (server->metrics_port())
    std::fprintf(stderr, "metrics at %s\n", server->metrics_url().c_str());
  if (server->health_port()) {
    std::fprintf(stderr, "health at %s, readiness at %s\n", server->health_url().c_str(),
                 server->ready_url().c_str());
  }
  std::fflush(stderr);
  return server;
}

}  // namespace mib::cli
