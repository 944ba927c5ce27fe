#include "mib/producer/producer_pool.hpp"

#include <algorithm>
#include <atomic>
#include <string>
#include <utility>

namespace mib {

namespace {

// 64-bit FNV-1a: a few instructions a byte, the same on every platform and in every run,
// and it spreads short, similar keys ("AAPL", "AMZN") well enough for a modulo.
std::uint64_t fnv1a(std::string_view key) noexcept {
  std::uint64_t hash = 14'695'981'039'346'656'037ULL;  // offset basis
  for (const char c : key) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1'099'511'628'211ULL;  // FNV prime
  }
  return hash;
}

void check_pool(std::size_t size, const KafkaProperties& properties) {
  if (size == 0) {
    throw Exception{Error{errc::invalid_argument, "producer pool: size must be at least 1, got 0"}};
  }
  if (properties.contains("transactional.id")) {
    throw Exception{Error{errc::invalid_argument,
                          "producer pool: transactional.id is set, but the pool's producers "
                          "would share it and fence each other; use one Producer per "
                          "transactional id instead"}};
  }
}

std::chrono::milliseconds time_left(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return std::max(left, std::chrono::milliseconds{0});
}

}  // namespace

struct ProducerPool::Impl {
  // Each on a cache line of its own, so that threads sending through different producers
  // do not contend for one line.
  struct alignas(64) RoutedCount {
    std::atomic<std::uint64_t> value{0};
  };

  template <class MakeProducer>
  Impl(std::size_t size, PoolRouting how, std::chrono::milliseconds close_after, MakeProducer make)
      : routing(how), close_timeout(close_after), routed(size) {
    producers.reserve(size);
    for (std::size_t i = 0; i < size; ++i) producers.push_back(make());
  }

  ~Impl() {
    // All producers close within one close_timeout, not one each in turn.
    close(close_timeout);
  }

  Producer& route(std::string_view key) {
    const std::size_t index =
        routing == PoolRouting::key_affinity && !key.empty()
            ? static_cast<std::size_t>(fnv1a(key) % producers.size())
            : static_cast<std::size_t>(next.fetch_add(1, std::memory_order_relaxed) %
                                       producers.size());
    routed[index].value.fetch_add(1, std::memory_order_relaxed);
    return producers[index];
  }

  // Whether every producer was drained in time.
  bool flush(std::chrono::steady_clock::time_point deadline) {
    bool drained = true;
    for (Producer& p : producers) drained = p.flush(time_left(deadline)).ok() && drained;
    return drained;
  }

  void close(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    flush(deadline);  // all producers deliver at once while we wait on each in turn
    for (Producer& p : producers) p.close(time_left(deadline));
  }

  const PoolRouting routing;
  const std::chrono::milliseconds close_timeout;
  std::vector<Producer> producers;                 // never resized after construction
  std::vector<RoutedCount> routed;                 // by producer index
  alignas(64) std::atomic<std::uint64_t> next{0};  // round robin's turn
};

ProducerPool::ProducerPool(const KafkaProperties& properties, ProducerPoolOptions options) {
  check_pool(options.size, properties);
  impl_ =
      std::make_unique<Impl>(options.size, options.routing, options.producer.close_timeout, [&] {
        return Producer{properties, options.producer};
      });
}

ProducerPool::ProducerPool(const Config& config, std::size_t size, PoolRouting routing) {
  check_pool(size, config.producer_properties());
  impl_ = std::make_unique<Impl>(size, routing, config.producer.close_timeout,
                                 [&] { return Producer{config}; });
}

ProducerPool::~ProducerPool() = default;
ProducerPool::ProducerPool(ProducerPool&&) noexcept = default;
ProducerPool& ProducerPool::operator=(ProducerPool&&) noexcept = default;

std::future<DeliveryReport> ProducerPool::send(const Record& record) {
  return impl_->route(record.key).send(record);
}

void ProducerPool::send(const Record& record, DeliveryCallback on_delivery) {
  impl_->route(record.key).send(record, std::move(on_delivery));
}

void ProducerPool::send_borrowed(const Record& record, DeliveryCallback on_delivery) {
  impl_->route(record.key).send_borrowed(record, std::move(on_delivery));
}

Error ProducerPool::flush(std::chrono::milliseconds timeout) {
  if (impl_->flush(std::chrono::steady_clock::now() + timeout)) return {};
  return Error::from_kafka(errc::timed_out, "flush: " + std::to_string(in_flight()) +
                                                " records still unreported by the pool's " +
                                                std::to_string(size()) + " producers after " +
                                                std::to_string(timeout.count()) + " ms");
}

void ProducerPool::close(std::chrono::milliseconds timeout) {
  impl_->close(timeout);
}

std::size_t ProducerPool::in_flight() const {
  std::size_t total = 0;
  for (const Producer& p : impl_->producers) total += p.in_flight();
  return total;
}

std::size_t ProducerPool::size() const noexcept {
  return impl_->producers.size();
}

Producer& ProducerPool::producer(std::size_t index) {
  return impl_->producers.at(index);
}

const Producer& ProducerPool::producer(std::size_t index) const {
  return impl_->producers.at(index);
}

ProducerPoolStats ProducerPool::stats() const {
  ProducerPoolStats stats;
  stats.producers.reserve(size());
  ProducerMetrics& total = stats.total;
  double compressed_bytes = 0;  // sum of ratio * bytes, for the weighted ratio
  for (std::size_t i = 0; i < size(); ++i) {
    const ProducerMetrics m = impl_->producers[i].metrics();
    const std::uint64_t routed = impl_->routed[i].value.load(std::memory_order_relaxed);
    stats.routed_total += routed;
    total.messages_sent_total += m.messages_sent_total;
    total.bytes_sent_total += m.bytes_sent_total;
    total.errors_total += m.errors_total;
    total.retries_total += m.retries_total;
    total.dead_letters_total += m.dead_letters_total;
    total.in_flight_messages += m.in_flight_messages;
    total.send_duration.merge(m.send_duration);
    total.record_size.merge(m.record_size);
    compressed_bytes += m.compression_ratio * static_cast<double>(m.bytes_sent_total);
    stats.producers.push_back({routed, m});
  }
  if (total.bytes_sent_total > 0) {
    total.compression_ratio = compressed_bytes / static_cast<double>(total.bytes_sent_total);
  }
  return stats;
}

}  // namespace mib
