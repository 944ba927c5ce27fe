#include "mib/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

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

std::atomic<LogFormat> current_format{GlobalConfig{}.log_format};  // Config's default
std::mutex sink_mutex;  // guards `sink` and serialises writes to stderr
Sink sink;

}  // namespace

void set_format(LogFormat format) {
  current_format.store(format, std::memory_order_relaxed);
}

void set_sink(Sink replacement) {
  const std::lock_guard lock{sink_mutex};
  sink = std::move(replacement);
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
  return line;
}

void write(const Record& record) {
  const std::lock_guard lock{sink_mutex};
  if (sink) {
    sink(record);
    return;
  }
  std::string line = format(record, current_format.load(std::memory_order_relaxed));
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace mib::log
