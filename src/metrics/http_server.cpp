#include "mib/metrics/http_server.hpp"

#include <CivetServer.h>

#include <mutex>
#include <vector>

#include "mib/error.hpp"
#include "mib/log.hpp"
#include "serde/json_writer.hpp"

namespace mib::metrics {
namespace {

// civetweb's own messages (a request it could not parse, a bind failure) go to our log.
int on_civetweb_log(const mg_connection*, const char* message) {
  log::write({.level = log::Level::warning, .source = "civetweb", .message = message});
  return 1;
}

void respond(mg_connection* conn, int status, const char* content_type, const std::string& body) {
  mg_response_header_start(conn, status);
  mg_response_header_add(conn, "Content-Type", content_type, -1);
  mg_response_header_add(conn, "Content-Length", std::to_string(body.size()).c_str(), -1);
  mg_response_header_add(conn, "Cache-Control", "no-store", -1);
  mg_response_header_send(conn);
  mg_write(conn, body.data(), body.size());
}

struct NamedCheck {
  std::string name;
  Check check;
};

class Checks {
 public:
  void add(std::string name, Check check) {
    const std::lock_guard lock{mutex_};
    checks_.push_back({std::move(name), std::move(check)});
  }
  std::vector<NamedCheck> list() const {
    const std::lock_guard lock{mutex_};
    return checks_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<NamedCheck> checks_;
};

// {"status":"ok","checks":[{"name":"brokers","ok":true,"detail":"..."}]}: ok when all are.
std::pair<bool, std::string> run(const std::vector<const Checks*>& lists) {
  bool all = true;
  std::string body = "{\"checks\":[";
  bool first = true;
  for (const Checks* list : lists) {
    for (const NamedCheck& c : list->list()) {
      CheckResult result;
      try {
        result = c.check();
      } catch (const std::exception& e) {
        result = {false, std::string{"the check threw: "} + e.what()};
      } catch (...) {
        result = {false, "the check threw a non-standard exception"};
      }
      all = all && result.ok;
      if (!first) body += ',';
      first = false;
      body += "{\"name\":";
      json::append_escaped(body, c.name);
      body += result.ok ? ",\"ok\":true" : ",\"ok\":false";
      body += ",\"detail\":";
      json::append_escaped(body, result.detail);
      body += '}';
    }
  }
  body += all ? "],\"status\":\"ok\"}" : "],\"status\":\"fail\"}";
  return {all, body};
}

class MetricsHandler final : public CivetHandler {
 public:
  explicit MetricsHandler(Registry& registry) : registry_(registry) {}
  bool handleGet(CivetServer*, mg_connection* conn) override {
    // Nothing may leave a handler: civetweb's worker threads are C, and would terminate.
    std::string body;
    try {
      body = registry_.text();
    } catch (const std::exception& e) {
      respond(conn, 500, "text/plain; charset=utf-8", std::string{"scrape failed: "} + e.what());
      return true;
    }
    respond(conn, 200, "text/plain; version=0.0.4; charset=utf-8", body);
    return true;
  }

 private:
  Registry& registry_;
};

// /health runs the liveness checks; /ready those and the readiness checks, since a
// process that is not alive is not ready either.
class CheckHandler final : public CivetHandler {
 public:
  explicit CheckHandler(std::vector<const Checks*> lists) : lists_(std::move(lists)) {}
  bool handleGet(CivetServer*, mg_connection* conn) override {
    try {
      const auto [ok, body] = run(lists_);
      respond(conn, ok ? 200 : 503, "application/json", body);
    } catch (const std::exception& e) {
      respond(conn, 500, "text/plain; charset=utf-8", std::string{"checks failed: "} + e.what());
    }
    return true;
  }

 private:
  std::vector<const Checks*> lists_;
};

void init_civetweb() {
  static std::once_flag once;
  std::call_once(once, [] { mg_init_library(0); });
}

}  // namespace

HttpServerOptions HttpServerOptions::from(const GlobalConfig& global) {
  HttpServerOptions o;
  o.address = global.metrics_address;
  o.metrics_port =
      global.metrics_enabled ? std::optional{static_cast<int>(global.metrics_port)} : std::nullopt;
  o.metrics_path = global.metrics_path;
  o.health_port =
      global.health_enabled ? std::optional{static_cast<int>(global.health_port)} : std::nullopt;
  o.health_path = global.health_path;
  o.health_address = global.health_address;
  o.name_space = global.prometheus_namespace;
  return o;
}

struct HttpServer::Impl {
  HttpServerOptions options;
  Checks liveness, readiness;
  MetricsHandler metrics;
  CheckHandler health{{&liveness}};
  CheckHandler ready{{&liveness, &readiness}};
  CivetCallbacks callbacks{};
  std::unique_ptr<CivetServer> metrics_server, health_server;
  std::optional<int> metrics_port, health_port;

  Impl(HttpServerOptions o, Registry& registry) : options(std::move(o)), metrics(registry) {
    callbacks.log_message = &on_civetweb_log;
  }

  std::unique_ptr<CivetServer> start(const std::string& address, int port) {
    init_civetweb();
    const std::vector<std::string> civet_options{
        "listening_ports",    address + ":" + std::to_string(port),
        "num_threads",        "2",  // a scrape and a probe at once; this is not a web server
        "request_timeout_ms", "10000"};
    try {
      return std::make_unique<CivetServer>(civet_options, &callbacks);
    } catch (const CivetException& e) {
      throw Exception{
          Error{errc::invalid_argument,
                "cannot serve HTTP on " + address + ":" + std::to_string(port) +
                    " (is the port in use, or the address not this machine's?): " + e.what()}};
    }
  }
};

HttpServer::HttpServer(HttpServerOptions options, Registry& registry)
    : impl_(std::make_unique<Impl>(std::move(options), registry)) {
  Impl& i = *impl_;
  const HttpServerOptions& o = i.options;
  if (o.name_space) registry.set_namespace(*o.name_space);
  if (o.metrics_port) {
    i.metrics_server = i.start(o.address, *o.metrics_port);
    i.metrics_server->addHandler(o.metrics_path, i.metrics);
    i.metrics_port = i.metrics_server->getListeningPorts().at(0);
  }
  if (o.health_port) {
    CivetServer* server = nullptr;
    if (o.metrics_port && *o.metrics_port != 0 && *o.health_port == *o.metrics_port &&
        o.health_address == o.address) {
      server = i.metrics_server.get();  // one port: one server for all three paths
    } else {
      i.health_server = i.start(o.health_address, *o.health_port);
      server = i.health_server.get();
    }
    server->addHandler(o.health_path, i.health);
    server->addHandler(o.ready_path, i.ready);
    i.health_port = server->getListeningPorts().at(0);
  }
}

HttpServer::~HttpServer() {
  // Stop serving before the handlers and checks go.
  impl_->health_server.reset();
  impl_->metrics_server.reset();
}

void HttpServer::add_liveness_check(std::string name, Check check) {
  impl_->liveness.add(std::move(name), std::move(check));
}

void HttpServer::add_readiness_check(std::string name, Check check) {
  impl_->readiness.add(std::move(name), std::move(check));
}

std::optional<int> HttpServer::metrics_port() const {
  return impl_->metrics_port;
}
std::optional<int> HttpServer::health_port() const {
  return impl_->health_port;
}

namespace {
std::string url(const std::string& address, const std::optional<int>& port,
                const std::string& path) {
  if (!port) return {};
  const std::string host = address == "0.0.0.0" ? "127.0.0.1" : address;
  return "http://" + host + ":" + std::to_string(*port) + path;
}
}  // namespace

std::string HttpServer::metrics_url() const {
  return url(impl_->options.address, impl_->metrics_port, impl_->options.metrics_path);
}
std::string HttpServer::health_url() const {
  return url(impl_->options.health_address, impl_->health_port, impl_->options.health_path);
}
std::string HttpServer::ready_url() const {
  return url(impl_->options.health_address, impl_->health_port, impl_->options.ready_path);
}

}  // namespace mib::metrics
