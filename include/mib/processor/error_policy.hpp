// mib::ErrorPolicy: what a Processor does when its handler fails on a record.
#pragma once

#include <chrono>
#include <cstdint>

namespace mib {

// A handler failure (an exception, or an Error it reports) is retried up to `retries`
// times with a backoff that doubles from `initial_backoff` up to `max_backoff`; then the
// record either goes to the dead-letter topic with the reason and the stream goes on, or
// the loop stops and reports the error. A failing record is never skipped silently.
//
//   mib::ErrorPolicy::retry(3, 100ms).then_dead_letter()
//   mib::ErrorPolicy::stop()
struct ErrorPolicy {
  enum class Exhausted { dead_letter, stop };

  int retries = 0;
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{10'000};
  Exhausted exhausted = Exhausted::dead_letter;

  static constexpr ErrorPolicy retry(int times, std::chrono::milliseconds backoff) {
    return {.retries = times, .initial_backoff = backoff};
  }
  // No retries: straight to the dead-letter topic (the default).
  static constexpr ErrorPolicy dead_letter() { return {}; }
  // No retries: stop at the first failure.
  static constexpr ErrorPolicy stop() { return {.exhausted = Exhausted::stop}; }

  constexpr ErrorPolicy then_dead_letter() const {
    ErrorPolicy p = *this;
    p.exhausted = Exhausted::dead_letter;
    return p;
  }
  constexpr ErrorPolicy then_stop() const {
    ErrorPolicy p = *this;
    p.exhausted = Exhausted::stop;
    return p;
  }
  // The wait before retry number `attempt` (1-based).
  constexpr std::chrono::milliseconds backoff(int attempt) const {
    std::int64_t ms = initial_backoff.count();
    for (int i = 1; i < attempt && ms < max_backoff.count(); ++i) ms *= 2;
    return std::chrono::milliseconds{ms < max_backoff.count() ? ms : max_backoff.count()};
  }
};

}  // namespace mib
