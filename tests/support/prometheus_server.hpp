// A real Prometheus for integration tests, so that a test checks what our /metrics endpoint
// serves with a scraper that is not ours, through Prometheus' own HTTP API.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mib::test {

// A real Prometheus (Debian's /usr/bin/prometheus) scraping the given targets every
// `scrape_interval`, in a temporary directory of its own; stopped (SIGTERM, then wait) and
// removed by the destructor. Its first scrape comes about 5.5 s after the start (target
// discovery updates every 5 s), so a test should allow ~30 s. Not thread-safe; construct it
// on the thread that outlives it (the process is killed when that thread ends, so that a
// crashed test leaves no Prometheus holding the port).
class PrometheusServer {
 public:
  struct Options {
    std::vector<std::string> targets;  // "127.0.0.1:PORT"
    std::chrono::milliseconds scrape_interval{1000};
    int port = 0;  // its web port; 0 = $MIB_PROMETHEUS_PORT, else 19090
    std::string metrics_path = "/metrics";
  };

  // Starts it and waits for /-/ready. Throws std::runtime_error with the reason and the
  // last lines of its log if it exits or is not ready in 30 s.
  explicit PrometheusServer(Options options);
  ~PrometheusServer();
  PrometheusServer(const PrometheusServer&) = delete;
  PrometheusServer& operator=(const PrometheusServer&) = delete;

  std::string url() const;  // http://127.0.0.1:PORT

  // Waits until every target's health is "up" (from /api/v1/targets); false after timeout.
  // On false, last_error() says each target's health and lastError.
  bool wait_targets_up(std::chrono::milliseconds timeout);

  // An instant query: the single result's value (of a vector or a scalar), or nullopt when
  // the result is empty. Throws std::runtime_error on an HTTP or PromQL error (with
  // Prometheus' error text) and when the query selects more than one series.
  std::optional<double> query(const std::string& promql) const;

  // Polls query(promql) until it equals `expected` or timeout passes; returns the last
  // value. On a timeout, last_error() says what was expected and what was seen.
  std::optional<double> wait_for_value(const std::string& promql, double expected,
                                       std::chrono::milliseconds timeout) const;

  std::string last_error() const { return last_error_; }
  std::string log() const;  // what prometheus wrote to stderr/stdout so far

 private:
  std::optional<std::string> reap();                  // how the process ended, if it has
  void stop() noexcept;                               // ends the process and removes the directory
  std::string failure(const std::string& why) const;  // why, with the log's last lines

  Options options_;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  mutable std::string last_error_;
};

}  // namespace mib::test
