#include "producer/pending_delivery.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <utility>
#include <vector>

#include "kafka/user_callback.hpp"

namespace mib {

void PendingDelivery::complete(const DeliveryReport& report) {
  if (auto* callback = std::get_if<DeliveryCallback>(&reply)) {
    if (*callback) kafka::call_user("the delivery callback", [&] { (*callback)(report); });
  } else {
    std::get<std::promise<DeliveryReport>>(reply).set_value(report);
  }
}

std::chrono::nanoseconds PendingDelivery::age(const rd_kafka_message_t* m) const {
  if (first_sent != std::chrono::steady_clock::time_point{}) {
    return std::chrono::steady_clock::now() - first_sent;
  }
  // From rd_kafka_produceva() taking the record in: one clock read less per send.
  return std::chrono::microseconds{std::max<std::int64_t>(0, rd_kafka_message_latency(m))};
}

namespace {

// The shared list and the blocks. Never destroyed: a thread's stock may go back to it
// while the process exits, after static objects are gone.
struct Shared {
  std::atomic<PendingDelivery*> head{nullptr};
  std::mutex blocks_mutex;
  std::vector<std::unique_ptr<PendingDelivery[]>> blocks;  // guarded by blocks_mutex

  // A new block: its first object, with the rest linked behind it.
  PendingDelivery* grow() {
    auto block = std::make_unique<PendingDelivery[]>(PendingPool::block_size);
    for (std::size_t i = 0; i + 1 < PendingPool::block_size; ++i) {
      block[i].next_spare = &block[i + 1];
    }
    block[PendingPool::block_size - 1].next_spare = nullptr;
    PendingDelivery* first = block.get();
    const std::lock_guard lock{blocks_mutex};
    blocks.push_back(std::move(block));
    return first;
  }

  // Pushes the list first..last back in one step.
  void push(PendingDelivery* first, PendingDelivery* last) noexcept {
    PendingDelivery* old = head.load(std::memory_order_relaxed);
    do {
      last->next_spare = old;
    } while (!head.compare_exchange_weak(old, first, std::memory_order_release,
                                         std::memory_order_relaxed));
  }
};

Shared& shared() {
  static Shared* const instance = new Shared;
  return *instance;
}

// A thread's own stock, taken from the shared list; back to it when the thread ends.
struct Stock {
  PendingDelivery* head = nullptr;
  bool alive = true;  // false once the thread's thread_locals are being destroyed

  ~Stock() {
    alive = false;
    if (head == nullptr) return;
    PendingDelivery* last = head;
    while (last->next_spare != nullptr) last = last->next_spare;
    shared().push(std::exchange(head, nullptr), last);
  }
};

thread_local Stock stock;

}  // namespace

PendingDelivery* PendingPool::take() {
  Stock& mine = stock;
  if (!mine.alive) {  // a send from another thread_local's destructor: no stock to keep
    PendingDelivery* first = shared().grow();
    shared().push(first->next_spare, &first[block_size - 1]);
    first->next_spare = nullptr;
    return first;
  }
  if (mine.head == nullptr) {
    Shared& s = shared();
    mine.head = s.head.load(std::memory_order_relaxed) != nullptr
                    ? s.head.exchange(nullptr, std::memory_order_acquire)
                    : nullptr;
    if (mine.head == nullptr) mine.head = s.grow();
  }
  PendingDelivery* pending = mine.head;
  mine.head = pending->next_spare;
  if (mine.head != nullptr) __builtin_prefetch(mine.head, 1);  // for the next send
  pending->first_sent = {};
  return pending;
}

namespace {

// Back to the initial state: the callback's captures are destroyed on the calling thread.
void clear(PendingDelivery* pending) noexcept {
  pending->reply.emplace<DeliveryCallback>();
  pending->explicit_partition = false;
  pending->attempts = 1;
  pending->failed.reset();
}

}  // namespace

void PendingPool::give(PendingDelivery* pending) noexcept {
  clear(pending);
  shared().push(pending, pending);
}

void PendingPool::Returns::add(PendingDelivery* pending) noexcept {
  clear(pending);
  pending->next_spare = first_;
  first_ = pending;
  if (last_ == nullptr) last_ = pending;
}

void PendingPool::Returns::give_all() noexcept {
  if (first_ == nullptr) return;
  shared().push(first_, last_);
  first_ = last_ = nullptr;
}

}  // namespace mib
