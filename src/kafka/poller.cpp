#include "kafka/poller.hpp"

#include "kafka/handle.hpp"

namespace mib::kafka {

void Poller::start(rd_kafka_t* handle, NextWait next_wait, AfterPoll after) {
  stopping_.store(false, std::memory_order_release);
  thread_ = std::thread([this, handle, next_wait = std::move(next_wait), after = std::move(after)] {
    while (!stopping_.load(std::memory_order_acquire)) {
      const auto wait = next_wait ? next_wait() : std::chrono::milliseconds{100};
      const int served = rd_kafka_poll(handle, timeout_ms(wait));
      if (after) after(served);
    }
  });
}

void Poller::stop() {
  stopping_.store(true, std::memory_order_release);
  if (thread_.joinable()) thread_.join();
}

}  // namespace mib::kafka
