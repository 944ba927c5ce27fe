// mib::log: the one place this process's log lines go, librdkafka's included, written as
// JSON lines or text (global.log_format) to standard error or to a sink of the
// application's. Thread-safe: lines come from librdkafka's own threads too.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "mib/config/config.hpp"

namespace mib::log {

// syslog's levels, as librdkafka uses them: 3 error, 4 warning, 6 info, 7 debug.
enum class Level { error = 3, warning = 4, info = 6, debug = 7 };

struct Record {
  Level level = Level::info;
  std::string_view source{};    // "librdkafka", "mib-stream", ...
  std::string_view client{};    // the handle's name, e.g. "rdkafka#producer-1"; may be empty
  std::string_view facility{};  // librdkafka's facility ("FAIL", "BROKERFAIL"); may be empty
  std::string_view message{};
};

// JSON: {"time":"2026-12-01T09:30:00.125Z","level":"warning","source":"librdkafka",
// "client":"rdkafka#producer-1","facility":"FAIL","message":"..."}; text: the same fields
// on one line. The default follows Config's default (json).
void set_format(LogFormat format);

// Replaces the standard-error writer; an empty function restores it. The sink must not
// throw; it runs on whichever thread logs.
using Sink = std::function<void(const Record&)>;
void set_sink(Sink sink);

// One line through the current sink.
void write(const Record& record);

// The line as the standard-error writer formats it (without the newline).
std::string format(const Record& record, LogFormat format);

}  // namespace mib::log
