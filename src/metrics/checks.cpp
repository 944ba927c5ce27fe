#include "mib/metrics/checks.hpp"

#include <string>

namespace mib::metrics {

Check alive(const Producer& producer) {
  return [&producer] {
    const bool ok = !producer.failed();
    return CheckResult{ok, ok ? producer.name() + ": no fatal error"
                              : producer.name() + ": a fatal error ended this producer"};
  };
}

Check reachable(const Producer& producer) {
  return [&producer] {
    const bool ok = producer.cluster_reachable();
    return CheckResult{ok, ok ? producer.name() + ": a broker answered"
                              : producer.name() + ": no broker reachable"};
  };
}

Check assigned(const Consumer& consumer) {
  return [&consumer] {
    const std::size_t n = consumer.assigned_partitions();
    return CheckResult{n > 0, consumer.name() + ": " + std::to_string(n) + " partitions assigned"};
  };
}

Check running(const Processor& processor) {
  return [&processor] {
    const bool ok = processor.running();
    return CheckResult{ok, ok ? "processing loop running" : "processing loop not running"};
  };
}

}  // namespace mib::metrics
