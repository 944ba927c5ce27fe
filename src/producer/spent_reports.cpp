#include "producer/spent_reports.hpp"

#include <algorithm>

namespace mib {

void SpentReports::keep(rd_kafka_event_t* event) {
  {
    const std::lock_guard lock{mutex_};
    if (draining_ == 0) {
      if (events_.empty()) oldest_ = std::chrono::steady_clock::now();
      events_.push_back(event);
      count_.store(events_.size(), std::memory_order_relaxed);
      return;
    }
  }
  rd_kafka_event_destroy(event);
}

void SpentReports::begin_draining() {
  {
    const std::lock_guard lock{mutex_};
    ++draining_;
  }
  destroy_now();
}

void SpentReports::end_draining() {
  const std::lock_guard lock{mutex_};
  --draining_;
}

void SpentReports::destroy_now() noexcept {
  std::vector<rd_kafka_event_t*> taken;
  {
    const std::lock_guard lock{mutex_};
    taken.swap(events_);
    count_.store(0, std::memory_order_relaxed);
  }
  for (rd_kafka_event_t* event : taken) rd_kafka_event_destroy(event);
}

std::chrono::milliseconds SpentReports::next_due(std::chrono::milliseconds cap) const {
  if (count_.load(std::memory_order_relaxed) == 0) return cap;
  const std::lock_guard lock{mutex_};
  if (events_.empty()) return cap;
  const auto left = oldest_ + max_wait - std::chrono::steady_clock::now();
  return std::clamp(std::chrono::ceil<std::chrono::milliseconds>(left),
                    std::chrono::milliseconds{0}, cap);
}

void SpentReports::destroy_stale() {
  if (count_.load(std::memory_order_relaxed) == 0) return;
  {
    const std::lock_guard lock{mutex_};
    if (events_.empty() || std::chrono::steady_clock::now() - oldest_ < max_wait) return;
  }
  destroy_now();
}

}  // namespace mib
