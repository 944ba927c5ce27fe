// mib::log: the one place this process's log lines go, librdkafka's included, written as
// JSON lines or text (global.log_format) at or above a level (global.log_level), to
// standard error or to a sink of the application's. Thread-safe: lines come from
// librdkafka's own threads too. Underneath is an spdlog logger of our own (never spdlog's
// default one, which belongs to the application).
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "mib/config/config.hpp"

namespace mib::log {

// syslog's levels, as librdkafka uses them: 3 error, 4 warning, 6 info, 7 debug.
enum class Level { error = 3, warning = 4, info = 6, debug = 7 };

// An extra key of a line: a JSON member, or ` key=value` in text.
struct Field {
  std::string_view key;
  std::string_view value;
};

struct Record {
  Level level = Level::info;
  std::string_view source{};    // "librdkafka", "mib-stream", "mib.audit", ...
  std::string_view client{};    // the handle's name, e.g. "rdkafka#producer-1"; may be empty
  std::string_view facility{};  // librdkafka's facility ("FAIL", "BROKERFAIL"); may be empty
  std::string_view message{};
  std::span<const Field> fields{};
};

// JSON: {"time":"2026-12-01T09:30:00.125Z","level":"warning","source":"librdkafka",
// "client":"rdkafka#producer-1","facility":"FAIL","message":"...",<fields>}; text: the
// same on one line. The default follows Config's default (json).
void set_format(LogFormat format);

// Lines below `level` are dropped before they are formatted (trace and debug both let
// debug through; off drops everything). The default follows Config's default (info).
void set_level(LogLevel level);
bool enabled(Level level) noexcept;

// Replaces the standard-error writer; an empty function restores it. The sink must not
// throw; it runs on whichever thread logs, and sees only lines the level lets through.
using Sink = std::function<void(const Record&)>;
void set_sink(Sink sink);

// One line through the current sink, if the level lets it through.
void write(const Record& record);

// The line as the standard-error writer formats it (without the newline).
std::string format(const Record& record, LogFormat format);

// An audit line (source "mib.audit", level info): who changed what, and how it ended.
// `who` is the SASL user when there is one, else the client id; never a secret.
struct Audit {
  std::string_view who;
  std::string_view client;  // the handle's name
  std::string_view action;  // "create_topics", "delete_acls", ...
  std::string_view target;  // "topic prices", "group g1", ...
  bool ok = true;
  std::string_view error{};  // the failure's message when !ok
};
void audit(const Audit& line);

}  // namespace mib::log
