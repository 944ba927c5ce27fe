// Runs one Nexmark query over the generator on this thread, and reports what came out and
// how fast: the events/s include making the events, as Nexmark's published figures do.
//
//   auto summary = mib::nexmark::run("q5", {.events = 10'000'000});
//   std::cout << summary.events_per_second << "\n";
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mib/nexmark/generator.hpp"

namespace mib::nexmark {

struct Summary {
  std::string query;
  std::uint64_t events = 0;   // made and processed
  std::uint64_t results = 0;  // records the query emitted
  // A digest of every result (its fields, in emission order): equal runs, equal digests.
  std::uint64_t digest = 0;
  double seconds = 0;
  double events_per_second = 0;
  std::size_t state_bytes = 0;  // the query's state when the events ran out (before the flush)
};

// q0, q1, q2, q3, q4, q5, q7, q8 and q11.
const std::vector<std::string>& queries();

// Throws mib::Exception for a query it does not know.
Summary run(std::string_view query, const GeneratorConfig& config);

}  // namespace mib::nexmark
