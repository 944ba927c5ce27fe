#include "mib/consumer/partition_lag.hpp"

#include <algorithm>

namespace mib {

std::int64_t compute_lag(std::int64_t low, std::int64_t high, std::optional<std::int64_t> position,
                         std::optional<std::int64_t> committed, StartWhenUnknown start) {
  if (high < 0) return 0;  // watermarks unknown
  low = std::clamp<std::int64_t>(low, 0, high);
  if (high == low) return 0;  // empty (or emptied by retention)
  const std::int64_t from = position                              ? *position
                            : committed                           ? *committed
                            : start == StartWhenUnknown::earliest ? low
                                                                  : high;
  return high - std::clamp(from, low, high);
}

}  // namespace mib
