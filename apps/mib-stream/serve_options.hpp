// --metrics-port and --health-port, which demo, produce and consume share: while the
// command runs it serves /metrics, and /health and /ready, on 127.0.0.1 (or the
// configured global.metrics_address / health_address), and says where on stderr.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>

#include "mib/config/config.hpp"
#include "mib/metrics/checks.hpp"
#include "mib/metrics/http_server.hpp"

namespace mib::cli {

struct ServeOptions {
  std::optional<int> metrics_port;  // 0: any free port
  std::optional<int> health_port;
};

void add_serve_options(CLI::App& command, ServeOptions& options);

// When a flag was given, turns librdkafka's statistics on (every second, unless
// global.statistics_interval says otherwise): the broker and queue metrics come from them.
// Call it before making the handles.
void prepare_serving(const ServeOptions& options, Config& config);

// Nothing unless a flag was given; else the server, its URLs printed on stderr. Declare it
// after the handles its checks read, so that it stops first.
std::unique_ptr<metrics::HttpServer> serve(const ServeOptions& options, const Config& config);

}  // namespace mib::cli
