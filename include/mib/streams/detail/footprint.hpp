// Internal: what state estimates count of a value beyond its own size.
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>

namespace mib::streams::detail {

// Heap a value owns beyond its own size (a string's text past the small-string buffer).
template <typename T>
std::size_t heap_of(const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    return v.capacity() > 15 ? v.capacity() + 1 : 0;
  } else {
    (void)v;
    return 0;
  }
}

}  // namespace mib::streams::detail
