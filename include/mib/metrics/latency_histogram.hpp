// mib::LatencyHistogram: a lock-free histogram of durations with Prometheus-style buckets.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace mib {

// Counts durations into fixed buckets from 50 us to 10 s (upper bounds below). record()
// is two relaxed atomic increments and an add: cheap enough for every message.
class LatencyHistogram {
 public:
  static constexpr std::array<std::int64_t, 16> bucket_bounds_us{
      50,     100,    250,     500,     1'000,   2'500,     5'000,     10'000,
      25'000, 50'000, 100'000, 250'000, 500'000, 1'000'000, 2'500'000, 10'000'000};

  struct Snapshot {
    std::array<std::uint64_t, bucket_bounds_us.size() + 1> counts{};  // last: above 10 s
    std::uint64_t count = 0;
    double sum_seconds = 0;
    // The upper bound of the bucket holding quantile q (0..1), in microseconds; an
    // estimate accurate to the bucket. -1 when empty; bucket_bounds_us.back() * 10 when
    // above the last bound.
    std::int64_t quantile_upper_bound_us(double q) const;
    // Adds another histogram's counts (the same buckets): one histogram of both.
    Snapshot& merge(const Snapshot& other) noexcept {
      for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
      count += other.count;
      sum_seconds += other.sum_seconds;
      return *this;
    }
  };

  void record(std::chrono::nanoseconds d) noexcept {
    counts_[bucket_of(d)].fetch_add(1, std::memory_order_relaxed);
    sum_ns_.fetch_add(static_cast<std::uint64_t>(d.count()), std::memory_order_relaxed);
  }
  // record() for a histogram that only one thread ever records into (snapshots may come
  // from anywhere): a plain load and store per counter, no locked instruction.
  void record_from_one_thread(std::chrono::nanoseconds d) noexcept {
    bump(counts_[bucket_of(d)], 1);
    bump(sum_ns_, static_cast<std::uint64_t>(d.count()));
  }

  Snapshot snapshot() const noexcept {
    Snapshot s;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      s.counts[i] = counts_[i].load(std::memory_order_relaxed);
      s.count += s.counts[i];
    }
    s.sum_seconds = static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9;
    return s;
  }

 private:
  static std::size_t bucket_of(std::chrono::nanoseconds d) noexcept {
    const std::int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    std::size_t i = 0;
    while (i < bucket_bounds_us.size() && us > bucket_bounds_us[i]) ++i;
    return i;
  }
  static void bump(std::atomic<std::uint64_t>& counter, std::uint64_t n) noexcept {
    counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  std::array<std::atomic<std::uint64_t>, bucket_bounds_us.size() + 1> counts_{};
  std::atomic<std::uint64_t> sum_ns_{0};
};

inline std::int64_t LatencyHistogram::Snapshot::quantile_upper_bound_us(double q) const {
  if (count == 0) return -1;
  const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(count - 1)) + 1;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    seen += counts[i];
    if (seen >= rank) {
      return i < bucket_bounds_us.size() ? bucket_bounds_us[i] : bucket_bounds_us.back() * 10;
    }
  }
  return bucket_bounds_us.back() * 10;
}

}  // namespace mib
