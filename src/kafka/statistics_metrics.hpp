// Internal: a handle's last librdkafka statistics, kept for scrapes and turned into
// metric families there (brokers, queues, batches, fetch queues, committed lag).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "kafka/statistics.hpp"
#include "mib/metrics/registry.hpp"

namespace mib::kafka {

class StatisticsMetrics {
 public:
  enum class Kind { producer, consumer };
  explicit StatisticsMetrics(Kind kind) : kind_(kind) {}

  // From the statistics callback: replaces what scrapes see.
  void update(Statistics statistics);
  // The last statistics; empty before the first.
  std::shared_ptr<const Statistics> last() const;
  // Nothing until the first statistics arrive (statistics.interval.ms is 0 by default).
  void collect(metrics::Collection& out, const std::string& client) const;

 private:
  Kind kind_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Statistics> last_;
};

}  // namespace mib::kafka
