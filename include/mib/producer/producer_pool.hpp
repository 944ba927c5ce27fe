// mib::ProducerPool: several Producers behind one send(), by round robin or key affinity.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <string_view>
#include <vector>

#include "mib/config/config.hpp"
#include "mib/kafka/properties.hpp"
#include "mib/message.hpp"
#include "mib/producer/delivery_report.hpp"
#include "mib/producer/producer.hpp"

namespace mib {

// Which of the pool's producers a record goes to.
enum class PoolRouting {
  // Each record to the next producer in turn. Spreads load evenly, but records of one key
  // may leave through different producers, so their order is not kept.
  round_robin,
  // A record with a non-empty key always goes to the same producer: 64-bit FNV-1a of the
  // key's bytes, modulo the pool size. The mapping is the same in every process and on
  // every platform (unlike std::hash), and one producer keeps its records' order per
  // partition, so records of one key arrive in send order. Records with an empty key have
  // no order to keep and go round robin.
  key_affinity,
};

struct ProducerPoolOptions {
  std::size_t size = 2;  // producers; at least 1 (see docs/decisions.md for why 2)
  PoolRouting routing = PoolRouting::key_affinity;
  ProducerOptions producer{};  // for every producer of the pool
};

// One producer of the pool, as stats() saw it.
struct PoolMemberStats {
  std::uint64_t routed = 0;  // sends the pool gave this producer
  ProducerMetrics metrics{};
};

// Counters of the whole pool since it was made.
struct ProducerPoolStats {
  std::vector<PoolMemberStats> producers{};  // by producer index
  std::uint64_t routed_total = 0;            // every send, the sum of producers[i].routed
  // Counters and in-flight records summed, send_duration histograms merged; the
  // compression ratio is the members' ratios weighted by the bytes each delivered.
  ProducerMetrics total{};
};

// N Producers with the same properties behind one send(). Each producer has its own
// librdkafka handle, poller thread and broker connections, so the pool can use more cores
// than one producer; whether that is faster on a given machine is for bench/ to show.
//
// Thread-safe: any thread may send. Delivery callbacks and the promises behind the futures
// run on the poller thread of the producer that sent the record (see Producer).
//
// The destructor closes the pool as close() does, all producers within one close_timeout
// (ProducerOptions::close_timeout, or the config's producer.close_timeout).
//
// Transactions are not offered: a pool's producers would share one transactional.id and
// fence each other, so properties with transactional.id are refused. Use one Producer per
// transactional id instead.
class ProducerPool {
 public:
  // Makes options.size producers from `properties`; throws mib::Exception if the size is 0,
  // if transactional.id is set, or for any property librdkafka refuses.
  explicit ProducerPool(const KafkaProperties& properties, ProducerPoolOptions options = {});
  // Producers with the [producer] (and shared) settings of `config`, as Producer(config).
  explicit ProducerPool(const Config& config, std::size_t size = ProducerPoolOptions{}.size,
                        PoolRouting routing = ProducerPoolOptions{}.routing);
  ~ProducerPool();
  ProducerPool(ProducerPool&&) noexcept;
  ProducerPool& operator=(ProducerPool&&) noexcept;

  // As Producer's: routed to one producer by key, then sent by it. An explicit
  // record.partition is kept whichever producer sends the record.
  std::future<DeliveryReport> send(const Record& record);
  void send(const Record& record, DeliveryCallback on_delivery);
  void send_borrowed(const Record& record, DeliveryCallback on_delivery);

  // Waits until every record sent so far is reported, all producers within one `timeout`;
  // errc::timed_out if some are not.
  Error flush(std::chrono::milliseconds timeout);
  // Flushes every producer within one `timeout`, then closes each (purging and reporting
  // what is left, as Producer::close does). Idempotent.
  void close(std::chrono::milliseconds timeout = std::chrono::seconds{30});

  // Records sent and not yet reported, over all producers.
  std::size_t in_flight() const;
  std::size_t size() const noexcept;
  // The index-th producer, to read its metrics or send to it directly (bypassing routing
  // and the pool's counts). Throws std::out_of_range unless index < size().
  Producer& producer(std::size_t index);
  const Producer& producer(std::size_t index) const;
  ProducerPoolStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mib
