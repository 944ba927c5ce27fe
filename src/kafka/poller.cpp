#include "kafka/poller.hpp"

namespace mib::kafka {

void Poller::start(Step step) {
  stopping_.store(false, std::memory_order_release);
  thread_ = std::thread([this, step = std::move(step)] {
    while (!stopping_.load(std::memory_order_acquire)) step();
  });
}

void Poller::start(rd_kafka_t* handle) {
  start([handle] { rd_kafka_poll(handle, 100); });
}

void Poller::stop() {
  stopping_.store(true, std::memory_order_release);
  if (thread_.joinable()) thread_.join();
}

}  // namespace mib::kafka
