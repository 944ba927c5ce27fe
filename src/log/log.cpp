#include "mib/log.hpp"

#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <shared_mutex>

#include "mib/serde/rfc3339.hpp"
#include "serde/json_writer.hpp"

namespace mib::log {
namespace {

std::string_view level_name(Level level) {
  switch (level) {
    case Level::error: return "error";
    case Level::warning: return "warning";
    case Level::info: return "info";
    case Level::debug: return "debug";
  }
  return "info";
}

spdlog::level::level_enum spdlog_level(Level level) {
  switch (level) {
    case Level::error: return spdlog::level::err;
    case Level::warning: return spdlog::level::warn;
    case Level::info: return spdlog::level::info;
    case Level::debug: return spdlog::level::debug;
  }
  return spdlog::level::info;
}

// The Record being written on this thread, for the application's sink: spdlog's log_msg
// carries only the finished line, and the application wants the fields.
thread_local const Record* current_record = nullptr;

// Hands each line's Record to the application's function.
class RecordSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit RecordSink(Sink to) : sink_(std::move(to)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg&) override {
    if (current_record != nullptr) sink_(*current_record);
  }
  void flush_() override {}

 private:
  Sink sink_;
};

// The line is formatted by format() (spdlog 1.10 neither escapes JSON nor carries
// fields), so the logger's pattern is the message alone.
std::shared_ptr<spdlog::sinks::sink> stderr_sink() {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_pattern("%v");
  return sink;
}

// Our own logger (never spdlog's registry or default one): every line goes to `sink`,
// flushed at once, since our threshold has filtered already.
std::shared_ptr<spdlog::logger> make_logger(std::shared_ptr<spdlog::sinks::sink> sink) {
  auto logger = std::make_shared<spdlog::logger>("mib", std::move(sink));
  logger->set_level(spdlog::level::trace);
  logger->flush_on(spdlog::level::trace);  // a line is on stderr before the next call
  return logger;
}

struct Logger {
  std::atomic<LogFormat> format{GlobalConfig{}.log_format};  // Config's defaults
  std::atomic<int> threshold{static_cast<int>(Level::info)};
  // Writers share it while they log; set_sink takes it alone, so once it returns no line
  // is still inside the sink it replaced.
  std::shared_mutex mutex;
  std::shared_ptr<spdlog::logger> logger;

  Logger() : logger(make_logger(stderr_sink())) {}
};

// Leaked on purpose: librdkafka's threads may log while static destructors run.
Logger& logger() {
  static Logger* instance = new Logger;
  return *instance;
}

}  // namespace

void set_format(LogFormat format) {
  logger().format.store(format, std::memory_order_relaxed);
}

void set_level(LogLevel level) {
  int threshold = static_cast<int>(Level::info);
  switch (level) {
    case LogLevel::trace:
    case LogLevel::debug: threshold = static_cast<int>(Level::debug); break;
    case LogLevel::info: threshold = static_cast<int>(Level::info); break;
    case LogLevel::warn: threshold = static_cast<int>(Level::warning); break;
    case LogLevel::error:
    case LogLevel::critical: threshold = static_cast<int>(Level::error); break;
    case LogLevel::off: threshold = 0; break;
  }
  logger().threshold.store(threshold, std::memory_order_relaxed);
}

bool enabled(Level level) noexcept {
  return static_cast<int>(level) <= logger().threshold.load(std::memory_order_relaxed);
}

void set_sink(Sink replacement) {
  Logger& l = logger();
  const std::unique_lock lock{l.mutex};
  std::shared_ptr<spdlog::sinks::sink> sink =
      replacement ? std::make_shared<RecordSink>(std::move(replacement)) : stderr_sink();
  l.logger = make_logger(std::move(sink));
}

std::string format(const Record& record, LogFormat format) {
  std::string line;
  const Timestamp now = std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now());
  if (format == LogFormat::json) {
    line += "{\"time\":\"";
    rfc3339::format(now, line);
    line += "\",\"level\":\"";
    line += level_name(record.level);
    line += "\",\"source\":";
    json::append_escaped(line, record.source);
    if (!record.client.empty()) {
      line += ",\"client\":";
      json::append_escaped(line, record.client);
    }
    if (!record.facility.empty()) {
      line += ",\"facility\":";
      json::append_escaped(line, record.facility);
    }
    line += ",\"message\":";
    json::append_escaped(line, record.message);
    for (const Field& field : record.fields) {
      line += ',';
      json::append_escaped(line, field.key);
      line += ':';
      json::append_escaped(line, field.value);
    }
    line += '}';
    return line;
  }
  rfc3339::format(now, line);
  line += ' ';
  line += level_name(record.level);
  line += ' ';
  line += record.source;
  if (!record.client.empty()) line.append(" [").append(record.client).append("]");
  if (!record.facility.empty()) line.append(" ").append(record.facility);
  line += ": ";
  line += record.message;
  for (const Field& field : record.fields) {
    line.append(" ").append(field.key).append("=").append(field.value);
  }
  return line;
}

void write(const Record& record) {
  if (!enabled(record.level)) return;
  Logger& l = logger();
  const std::string line = format(record, l.format.load(std::memory_order_relaxed));
  const std::shared_lock lock{l.mutex};
  current_record = &record;
  l.logger->log(spdlog_level(record.level), spdlog::string_view_t{line.data(), line.size()});
  current_record = nullptr;
}

void audit(const Audit& line) {
  const Field fields[] = {{"who", line.who},
                          {"action", line.action},
                          {"target", line.target},
                          {"result", line.ok ? "ok" : "failed"},
                          {"error", line.error}};
  const std::string message =
      std::string{line.action} + " " + std::string{line.target} + (line.ok ? ": ok" : ": failed");
  write({.level = line.ok ? Level::info : Level::warning,
         .source = "mib.audit",
         .client = line.client,
         .message = message,
         .fields = std::span<const Field>{fields, line.ok ? 4u : 5u}});
}

}  // namespace mib::log
