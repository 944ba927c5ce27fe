// /metrics, /health and /ready as a scraper and a probe see them, over real HTTP.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <string>

#include "mib/error.hpp"
#include "mib/metrics/http_server.hpp"
#include "support/test_cluster.hpp"

namespace {

using mib::metrics::CheckResult;
using mib::metrics::HttpServer;
using mib::metrics::HttpServerOptions;

struct Response {
  int status = 0;
  std::string content_type;
  std::string body;
};

// curl, as an operator would: the body, then the status and content type on a last line.
Response get(const std::string& url) {
  const auto run =
      mib::test::run_command("curl -s -w '\\n%{http_code} %{content_type}' '" + url + "'");
  Response r;
  const auto last = run.output.rfind('\n');
  r.body = run.output.substr(0, last);
  std::istringstream tail{run.output.substr(last + 1)};
  tail >> r.status;
  std::getline(tail >> std::ws, r.content_type);
  return r;
}

HttpServerOptions ephemeral() {
  return {.metrics_port = 0, .health_port = 0};
}

}  // namespace

TEST(HttpServer, MetricsAreServedInPrometheusTextFormat) {
  mib::metrics::Registry registry;
  auto c = registry.counter("orders_seen_total", "Orders seen.");
  c.increment(42);
  HttpServer server{ephemeral(), registry};
  ASSERT_TRUE(server.metrics_port());
  const Response r = get(server.metrics_url());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(r.body.find("market_intel_orders_seen_total 42"), std::string::npos) << r.body;
}

TEST(HttpServer, HealthAndReadinessAreJsonWithEachCheck) {
  HttpServer server{ephemeral()};
  std::atomic<bool> assigned{false};
  server.add_liveness_check("loop", [] { return CheckResult{true, "polling"}; });
  server.add_readiness_check("consumer", [&] {
    return CheckResult{assigned.load(), assigned ? "3 partitions" : "no partitions yet"};
  });
  Response health = get(server.health_url());
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.content_type, "application/json");
  EXPECT_EQ(health.body,
            R"({"checks":[{"name":"loop","ok":true,"detail":"polling"}],"status":"ok"})");
  Response ready = get(server.ready_url());
  EXPECT_EQ(ready.status, 503);
  EXPECT_EQ(ready.body,
            R"({"checks":[{"name":"loop","ok":true,"detail":"polling"},)"
            R"({"name":"consumer","ok":false,"detail":"no partitions yet"}],"status":"fail"})");
  assigned = true;
  ready = get(server.ready_url());
  EXPECT_EQ(ready.status, 200) << ready.body;
}

TEST(HttpServer, ACheckThatThrowsFailsWithItsReason) {
  HttpServer server{ephemeral()};
  server.add_liveness_check("store",
                            []() -> CheckResult { throw std::runtime_error{"disk full"}; });
  const Response r = get(server.health_url());
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("the check threw: disk full"), std::string::npos) << r.body;
}

TEST(HttpServer, OtherPathsAreNotFound) {
  HttpServer server{ephemeral()};
  EXPECT_EQ(get("http://127.0.0.1:" + std::to_string(*server.metrics_port()) + "/secrets").status,
            404);
}

TEST(HttpServer, APortInUseIsAnErrorNamingIt) {
  HttpServer first{ephemeral()};
  const int port = *first.metrics_port();
  try {
    HttpServer second{{.metrics_port = port, .health_port = std::nullopt}};
    FAIL() << "a second server bound port " << port;
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find("127.0.0.1:" + std::to_string(port)), std::string::npos)
        << e.what();
  }
}

TEST(HttpServer, BindsLoopbackUnlessTold) {
  HttpServer server{ephemeral()};
  // /proc/net/tcp lists listening sockets as HEXADDR:HEXPORT; 0100007F is 127.0.0.1.
  std::ifstream tcp{"/proc/net/tcp"};
  std::stringstream all;
  all << tcp.rdbuf();
  char port_hex[8];
  std::snprintf(port_hex, sizeof port_hex, "%04X", *server.metrics_port());
  EXPECT_NE(all.str().find(std::string{"0100007F:"} + port_hex), std::string::npos);
  EXPECT_EQ(all.str().find(std::string{"00000000:"} + port_hex), std::string::npos);
}

TEST(HttpServer, OnePortServesAllThreePaths) {
  int port = 0;
  {
    HttpServer probe{ephemeral()};  // find a free port, then give it back
    port = *probe.metrics_port();
  }
  HttpServer server{{.metrics_port = port, .health_port = port}};
  EXPECT_EQ(get(server.metrics_url()).status, 200);
  EXPECT_EQ(get(server.health_url()).status, 200);
  EXPECT_EQ(get(server.ready_url()).status, 200);
}

TEST(HttpServer, OptionsComeFromGlobalConfig) {
  mib::GlobalConfig global;
  global.metrics_port = 9191;
  global.health_enabled = false;
  global.metrics_address = "0.0.0.0";
  const auto o = HttpServerOptions::from(global);
  EXPECT_EQ(o.metrics_port, 9191);
  EXPECT_FALSE(o.health_port);
  EXPECT_EQ(o.address, "0.0.0.0");
  EXPECT_EQ(o.metrics_path, "/metrics");
}
