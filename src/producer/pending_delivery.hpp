// Internal: what travels with each record through librdkafka, and where it comes from.
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <future>
#include <memory>
#include <variant>

#include "mib/producer/producer.hpp"

namespace mib {

// Travels with each record through librdkafka as its opaque, across retries and its dead
// letter, until exactly one report completes it. Taken from the PendingPool on the sending
// thread and given back by finish(), usually on the poller. One cache line: the sending
// thread writes it and the reporting thread reads it, for every record.
struct alignas(64) PendingDelivery {
  // send() with a future, or a callback (which may be empty: fire and forget).
  std::variant<DeliveryCallback, std::promise<DeliveryReport>> reply{};
  bool explicit_partition = false;
  int attempts = 1;
  std::unique_ptr<DeliveryReport> failed{};  // set while its dead letter is on its way
  union {
    // When it was first sent, for a record that waited for room in send() or failed once;
    // else zero, and librdkafka knows how long ago it took the record in.
    std::chrono::steady_clock::time_point first_sent{};
    PendingDelivery* next_spare;  // while spare: the next one in its list
  };

  void complete(const DeliveryReport& report);
  // Time since the record was first sent, for its delivery report `m`.
  std::chrono::nanoseconds age(const rd_kafka_message_t* m) const;
};
static_assert(sizeof(PendingDelivery) == 64, "keep PendingDelivery in one cache line");

// Where every producer's PendingDelivery objects come from, so that a record costs no
// allocation of its own:
// - Objects are made in blocks of `block_size`, never one by one. One by one, each sat
//   between two of librdkafka's records (one malloc each, freed by the thousand as their
//   reports are served), so the freed records could not merge and glibc searched its bins
//   for every new one: a tenth of the producer's throughput.
// - give() (any thread; lock-free) pushes a finished object onto one shared list; a
//   sending thread takes the whole list at once into a stock of its own when that is
//   empty, and serves sends from it without any atomic operation. (A `new` per record on
//   the sender and a `delete` on the poller also fought over glibc's arena lock.)
// - Memory: the blocks stay for the life of the process, as many as the most records ever
//   in flight at once across its producers took (64 bytes each: 6.4 MB for librdkafka's
//   default queue of 100,000 records).
class PendingPool {
 public:
  static constexpr std::size_t block_size = 256;

  // A PendingDelivery in its initial state.
  static PendingDelivery* take();
  // Takes back one that is done with: clears it (its callback's captures are destroyed
  // here, on the calling thread) and keeps it for a later take().
  static void give(PendingDelivery* pending) noexcept;

  // give() for many at once, gathered on one thread: one atomic operation for an event's
  // whole batch of reports rather than one per record.
  class Returns {
   public:
    void add(PendingDelivery* pending) noexcept;  // clears it now
    void give_all() noexcept;

   private:
    PendingDelivery* first_ = nullptr;
    PendingDelivery* last_ = nullptr;
  };
};

}  // namespace mib
