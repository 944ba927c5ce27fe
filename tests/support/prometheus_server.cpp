#include "support/prometheus_server.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <simdjson.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace mib::test {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr const char* kBinary = "/usr/bin/prometheus";
constexpr auto kReadyTimeout = 30s;
constexpr auto kRequestTimeout = 10s;
constexpr auto kPoll = 100ms;

// --- HTTP, with libcurl ----------------------------------------------------------------------

struct Response {
  long status = 0;
  std::string body;
};

using Curl = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;

Curl new_curl() {
  static std::once_flag global;
  std::call_once(global, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  Curl curl{curl_easy_init(), &curl_easy_cleanup};
  if (!curl) throw std::runtime_error{"PrometheusServer: curl_easy_init failed"};
  return curl;
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// Throws when there is no HTTP answer at all (refused, timed out).
Response http_get(const std::string& url, std::chrono::milliseconds timeout = kRequestTimeout) {
  const Curl curl = new_curl();
  Response response;
  char problem[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM, safe in threads
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, problem);
  // Loopback only: a proxy from the environment must not be asked for 127.0.0.1.
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
  if (const CURLcode result = curl_easy_perform(c); result != CURLE_OK) {
    throw std::runtime_error{"GET " + url + ": " +
                             (problem[0] != '\0' ? problem : curl_easy_strerror(result))};
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

std::string url_escaped(const std::string& text) {
  const Curl curl = new_curl();
  char* escaped = curl_easy_escape(curl.get(), text.data(), static_cast<int>(text.size()));
  if (escaped == nullptr) throw std::runtime_error{"PrometheusServer: curl_easy_escape failed"};
  std::string out{escaped};
  curl_free(escaped);
  return out;
}

// --- Small helpers ---------------------------------------------------------------------------

std::string yaml_quoted(const std::string& text) {
  std::string out{"\""};
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string number(double value) {
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  return {text, end};
}

// Prometheus writes sample values as strings: "1", "0.25", "NaN", "+Inf".
double sample_value(std::string_view text) {
  const std::string copy{text};
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || *end != '\0') {
    throw std::runtime_error{"PrometheusServer: sample value \"" + copy + "\" is not a number"};
  }
  return value;
}

// A sample: [timestamp, "value"].
double sample_value(simdjson::ondemand::array pair) {
  std::string_view text;
  int index = 0;
  for (auto element : pair) {
    if (index++ == 1) text = element.get_string();
  }
  return sample_value(text);
}

int resolved_port(int port) {
  if (port != 0) return port;
  const char* given = std::getenv("MIB_PROMETHEUS_PORT");
  if (given == nullptr || *given == '\0') return 19090;
  const std::string_view text{given};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (error != std::errc{} || end != text.data() + text.size() || port <= 0 || port > 65535) {
    throw std::runtime_error{"MIB_PROMETHEUS_PORT=" + std::string{text} + " is not a port"};
  }
  return port;
}

std::string exit_status(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string{"killed by "} + strsignal(WTERMSIG(status));
  return "status " + std::to_string(status);
}

void write_config(const std::filesystem::path& file, const PrometheusServer::Options& options) {
  // scrape_timeout may not exceed the interval; a scrape of loopback needs far less.
  const std::string interval = std::to_string(options.scrape_interval.count()) + "ms";
  std::string targets;
  for (const auto& target : options.targets) {
    targets += (targets.empty() ? "" : ", ") + yaml_quoted(target);
  }
  std::ofstream out{file};
  out << "global:\n  scrape_interval: " << interval << "\n  scrape_timeout: " << interval
      << "\nscrape_configs:\n  - job_name: mib\n    metrics_path: "
      << yaml_quoted(options.metrics_path) << "\n    static_configs:\n      - targets: [" << targets
      << "]\n";
  if (!out.flush()) throw std::runtime_error{"PrometheusServer: cannot write " + file.string()};
}

// Runs `args` with its stdout and stderr in `log` and stdin from /dev/null.
pid_t spawn(std::vector<std::string> args, const std::filesystem::path& log) {
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    throw std::runtime_error{"PrometheusServer: open " + log.string() + ": " +
                             std::strerror(errno)};
  }
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls until exec. Killed when we die, so that a crashed test
    // leaves no Prometheus holding the port for the next run.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);  // our SIGTERM must reach it
    if (null_fd >= 0) dup2(null_fd, 0);
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  const int fork_errno = errno;
  close(log_fd);
  if (null_fd >= 0) close(null_fd);
  if (pid < 0) {
    throw std::runtime_error{std::string{"PrometheusServer: fork: "} + std::strerror(fork_errno)};
  }
  return pid;
}

}  // namespace

// --- The process -----------------------------------------------------------------------------

PrometheusServer::PrometheusServer(Options options) : options_(std::move(options)) {
  if (access(kBinary, X_OK) != 0) {
    throw std::runtime_error{std::string{"PrometheusServer: no "} + kBinary +
                             ": the tests need Debian's prometheus package "
                             "(scripts/bootstrap installs it)"};
  }
  options_.port = resolved_port(options_.port);
  if (options_.scrape_interval <= 0ms) {
    throw std::runtime_error{"PrometheusServer: scrape_interval must be positive"};
  }
  char dir[] = "/tmp/mib-prometheus-XXXXXX";
  if (mkdtemp(dir) == nullptr) {
    throw std::runtime_error{std::string{"PrometheusServer: mkdtemp: "} + std::strerror(errno)};
  }
  dir_ = dir;
  try {
    write_config(dir_ / "prometheus.yml", options_);
    pid_ = spawn(
        {kBinary, "--config.file=" + (dir_ / "prometheus.yml").string(),
         "--storage.tsdb.path=" + (dir_ / "data").string(),
         "--web.listen-address=127.0.0.1:" + std::to_string(options_.port), "--log.level=warn"},
        dir_ / "prometheus.log");

    // Ready means ours is: another Prometheus on the port would answer /-/ready too while
    // ours fails to bind it, so its flags must name our storage directory.
    const std::string storage = (dir_ / "data").string();
    const auto deadline = Clock::now() + kReadyTimeout;
    std::string last = "no answer";
    for (;;) {
      if (const auto how = reap()) {
        throw std::runtime_error{failure("prometheus exited (" + *how + ") before it was ready")};
      }
      try {
        const auto ready = http_get(url() + "/-/ready", 1s);
        if (ready.status == 200) {
          const auto flags = http_get(url() + "/api/v1/status/flags");
          simdjson::ondemand::parser parser;
          simdjson::padded_string json{flags.body};
          simdjson::ondemand::document doc = parser.iterate(json);
          const std::string_view path = doc["data"]["storage.tsdb.path"];
          if (path == storage) break;
          last = "port " + std::to_string(options_.port) +
                 " answers for another Prometheus (storage.tsdb.path " + std::string{path} + ")";
        } else {
          last = "/-/ready: HTTP " + std::to_string(ready.status) + " " + ready.body;
        }
      } catch (const std::exception& e) {  // not listening yet, or not a Prometheus
        last = e.what();
      }
      if (Clock::now() >= deadline) {
        throw std::runtime_error{failure("prometheus was not ready in 30 s (" + last + ")")};
      }
      std::this_thread::sleep_for(50ms);
    }
  } catch (...) {
    stop();  // the destructor does not run for a constructor that throws
    throw;
  }
}

PrometheusServer::~PrometheusServer() {
  stop();
}

std::optional<std::string> PrometheusServer::reap() {
  if (pid_ <= 0) return "not running";
  int status = 0;
  const pid_t result = waitpid(pid_, &status, WNOHANG);
  if (result == 0) return std::nullopt;
  pid_ = -1;
  if (result < 0) return std::string{"waitpid: "} + std::strerror(errno);
  return exit_status(status);
}

void PrometheusServer::stop() noexcept {
  if (pid_ > 0) {
    // SIGTERM lets it close its database; SIGKILL only if it hangs.
    kill(pid_, SIGTERM);
    const auto deadline = Clock::now() + 10s;
    while (!reap() && Clock::now() < deadline) std::this_thread::sleep_for(10ms);
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

std::string PrometheusServer::url() const {
  return "http://127.0.0.1:" + std::to_string(options_.port);
}

std::string PrometheusServer::log() const {
  std::ifstream in{dir_ / "prometheus.log"};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string PrometheusServer::failure(const std::string& why) const {
  std::istringstream in{log()};
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > 20) lines.pop_front();
  }
  std::string out = "PrometheusServer: " + why;
  if (lines.empty()) return out + "; its log is empty";
  out += "; the last lines of its log:";
  for (const auto& line : lines) out += "\n  " + line;
  return out;
}

// --- The HTTP API ----------------------------------------------------------------------------

bool PrometheusServer::wait_targets_up(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (const auto how = reap()) {
      last_error_ = failure("prometheus exited (" + *how + ")");
      return false;
    }
    try {
      const auto response = http_get(url() + "/api/v1/targets?state=active");
      simdjson::ondemand::parser parser;
      simdjson::padded_string json{response.body};
      simdjson::ondemand::document doc = parser.iterate(json);
      std::map<std::string, std::string> seen;  // instance -> its health and lastError
      bool all_up = true;
      for (auto target : doc["data"]["activeTargets"]) {
        const std::string instance{std::string_view{target["labels"]["instance"]}};
        const std::string_view error = target["lastError"];
        const std::string_view health = target["health"];
        seen[instance] = "health " + std::string{health} +
                         (error.empty() ? "" : ", lastError \"" + std::string{error} + "\"");
        if (health != "up") all_up = false;
      }
      std::string report;
      for (const auto& target : options_.targets) {
        const auto found = seen.find(target);
        if (found == seen.end()) all_up = false;  // discovery has not reached it yet
        report += (report.empty() ? "" : "; ") + target + ": " +
                  (found == seen.end() ? "not an active target yet" : found->second);
      }
      if (all_up) return true;
      last_error_ = report;
    } catch (const std::exception& e) {
      last_error_ = std::string{"/api/v1/targets: "} + e.what();
    }
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPoll);
  }
}

std::optional<double> PrometheusServer::query(const std::string& promql) const {
  const auto response = http_get(url() + "/api/v1/query?query=" + url_escaped(promql));
  const std::string context =
      "PrometheusServer: query " + promql + ": HTTP " + std::to_string(response.status);
  try {
    simdjson::ondemand::parser parser;
    simdjson::padded_string json{response.body};
    simdjson::ondemand::document doc = parser.iterate(json);
    if (std::string_view{doc["status"]} != "success") {
      const std::string_view type = doc["errorType"];
      const std::string_view error = doc["error"];
      throw std::runtime_error{context + ": " + std::string{type} + ": " + std::string{error}};
    }
    auto data = doc["data"];
    const std::string_view type = data["resultType"];
    if (type == "scalar") return sample_value(data["result"].get_array());
    if (type != "vector") {
      throw std::runtime_error{context + ": a " + std::string{type} + ", not one value"};
    }
    std::optional<double> value;
    std::size_t series = 0;
    for (auto one : data["result"]) {
      if (series++ == 0) value = sample_value(one["value"].get_array());
    }
    if (series > 1) {
      throw std::runtime_error{context + ": " + std::to_string(series) +
                               " series, not one (select one, or aggregate)"};
    }
    return value;
  } catch (const simdjson::simdjson_error& e) {
    throw std::runtime_error{context + ": not the answer expected (" + e.what() +
                             "): " + response.body};
  }
}

std::optional<double> PrometheusServer::wait_for_value(const std::string& promql, double expected,
                                                       std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto value = query(promql);
    if (value == expected) return value;
    if (Clock::now() >= deadline) {
      last_error_ = "query " + promql + ": expected " + number(expected) + ", last " +
                    (value ? number(*value) : "no result");
      return value;
    }
    std::this_thread::sleep_for(kPoll);
  }
}

}  // namespace mib::test
