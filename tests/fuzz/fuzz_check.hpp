// What the harnesses check beyond "no crash": a failed invariant prints what broke and
// aborts, so that libFuzzer keeps the input as a crash and the replay test fails on it.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "mib/error.hpp"

namespace fuzz {

[[noreturn]] inline void fail(std::string_view harness, std::string_view what,
                              std::string_view detail = {}) {
  std::fprintf(stderr, "%.*s: invariant failed: %.*s\n%.*s\n", static_cast<int>(harness.size()),
               harness.data(), static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

inline void check(bool holds, std::string_view harness, std::string_view what,
                  std::string_view detail = {}) {
  if (!holds) fail(harness, what, detail);
}

// An operation that must succeed on this input did not.
inline void check_ok(const mib::Error& error, std::string_view harness, std::string_view what) {
  if (error) fail(harness, what, error.message());
}

// A decoder refused its input: it must say so as bad_message, with a message to show.
inline void check_refusal(const mib::Error& error, std::string_view harness) {
  check(error.code() == mib::errc::bad_message, harness, "a refusal is not errc::bad_message",
        error.message());
  check(!error.message().empty(), harness, "a refusal with an empty message");
}

}  // namespace fuzz
