// Internal: calling the application's code where an exception must not pass: inside a
// librdkafka callback (it cannot cross librdkafka's C frames) or on a thread of ours. The
// exception stops here and is reported or logged rather than lost.
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "mib/log.hpp"

namespace mib::kafka {

// Runs `call()`: nothing if it returned, else what it threw, as text.
template <typename Call>
std::optional<std::string> what_threw(Call&& call) noexcept {
  try {
    std::forward<Call>(call)();
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string{e.what()};
  } catch (...) {
    return std::string{"an exception that is not a std::exception"};
  }
}

// Runs `call()`; true if it returned, false if it threw (the exception is logged, naming
// `what`, e.g. "the delivery callback").
template <typename Call>
bool call_user(std::string_view what, Call&& call) noexcept {
  const std::optional<std::string> problem = what_threw(std::forward<Call>(call));
  if (!problem) return true;
  try {
    const std::string message =
        std::string{what} + " threw (" + *problem + "); ignored, as it cannot cross librdkafka";
    log::write({.level = log::Level::error, .source = "mib", .message = message});
  } catch (...) {  // out of memory while logging: nothing more to do
  }
  return false;
}

}  // namespace mib::kafka
