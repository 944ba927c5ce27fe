// Internal: calling the application's code from inside a librdkafka callback. An exception
// must not cross librdkafka's C frames, so it stops here, and is logged rather than lost.
#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "mib/log.hpp"

namespace mib::kafka {

// Runs `call()`; true if it returned, false if it threw (the exception is logged, naming
// `what`, e.g. "the delivery callback").
template <typename Call>
bool call_user(std::string_view what, Call&& call) noexcept {
  std::string problem;
  try {
    std::forward<Call>(call)();
    return true;
  } catch (const std::exception& e) {
    problem = e.what();
  } catch (...) {
    problem = "an exception that is not a std::exception";
  }
  try {
    const std::string message =
        std::string{what} + " threw (" + problem + "); ignored, as it cannot cross librdkafka";
    log::write({.level = log::Level::error, .source = "mib", .message = message});
  } catch (...) {  // out of memory while logging: nothing more to do
  }
  return false;
}

}  // namespace mib::kafka
