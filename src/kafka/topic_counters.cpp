#include "kafka/topic_counters.hpp"

namespace mib::kafka {

TopicCounters::Counts& TopicCounters::of(const rd_kafka_topic_t* rkt) {
  const std::size_t n = size_.load(std::memory_order_acquire);
  const char* name = rd_kafka_topic_name(rkt);
  for (std::size_t i = 0; i < n; ++i) {
    if (keys_[i].load(std::memory_order_relaxed) != rkt) continue;
    // The name too: a topic object librdkafka freed may come back as another topic's.
    Counts& c = *fast_[i].load(std::memory_order_relaxed);
    if (c.topic == name) return c;
  }
  return slow_of(rkt, name);
}

TopicCounters::Counts& TopicCounters::slow_of(const rd_kafka_topic_t* rkt, std::string_view name) {
  const std::lock_guard lock{mutex_};
  Counts* found = nullptr;
  for (Counts& c : counts_) {
    if (c.topic == name) found = &c;
  }
  if (found == nullptr) {
    counts_.emplace_back();
    found = &counts_.back();
    found->topic = std::string{name};
  }
  // Remember this topic object for the lock-free scan (a topic may have several over time).
  const std::size_t n = size_.load(std::memory_order_relaxed);
  if (n < kFast) {
    fast_[n].store(found, std::memory_order_relaxed);
    keys_[n].store(rkt, std::memory_order_relaxed);
    size_.store(n + 1, std::memory_order_release);
  }
  return *found;
}

void TopicCounters::each(const std::function<void(const Counts&)>& visit) const {
  const std::lock_guard lock{mutex_};
  for (const Counts& c : counts_) visit(c);
}

std::uint64_t TopicCounters::total_records() const {
  std::uint64_t sum = 0;
  each([&](const Counts& c) { sum += c.records.load(std::memory_order_relaxed); });
  return sum;
}

std::uint64_t TopicCounters::total_bytes() const {
  std::uint64_t sum = 0;
  each([&](const Counts& c) { sum += c.bytes.load(std::memory_order_relaxed); });
  return sum;
}

}  // namespace mib::kafka
