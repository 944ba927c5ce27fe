// Internal: which simdjson kernels our JSON decoding runs, for the benchmark's output.
// simdjson 3.0 finds its stage 1 (the structural index) at run time, but compiles its
// on-demand reading (strings, numbers, the walk over members) into our sources, for the
// best kernel the compile flags allow.
#pragma once

#include <string_view>

namespace mib::json {

struct Kernels {
  std::string_view stage1;     // chosen at run time: "icelake", "haswell", "westmere", ...
  std::string_view on_demand;  // chosen when our JSON sources were compiled
};

Kernels kernels() noexcept;

}  // namespace mib::json
