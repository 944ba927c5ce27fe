// mib::SizeHistogram: a lock-free histogram of record sizes in bytes, the sibling of
// LatencyHistogram (same single-increment cost, buckets for sizes instead of durations).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace mib {

// Buckets from 64 B to 1 MiB (upper bounds below; 1 MiB is the seed's largest
// max.message.bytes). record() is two relaxed atomic adds.
class SizeHistogram {
 public:
  static constexpr std::array<std::int64_t, 8> bucket_bounds_bytes{
      64, 256, 1'024, 4'096, 16'384, 65'536, 262'144, 1'048'576};

  struct Snapshot {
    std::array<std::uint64_t, bucket_bounds_bytes.size() + 1> counts{};  // last: above 1 MiB
    std::uint64_t count = 0;
    double sum_bytes = 0;
    // Adds another histogram's counts: one histogram of both.
    Snapshot& merge(const Snapshot& other) noexcept {
      for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
      count += other.count;
      sum_bytes += other.sum_bytes;
      return *this;
    }
  };

  void record(std::size_t bytes) noexcept {
    counts_[bucket_of(bytes)].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(bytes, std::memory_order_relaxed);
  }
  // record() for a histogram that only one thread ever records into (snapshots may come
  // from anywhere): a plain load and store per counter, no locked instruction, which
  // saves about 20 cycles a counter (per record, on a consumer's polling thread).
  void record_from_one_thread(std::size_t bytes) noexcept {
    bump(counts_[bucket_of(bytes)], 1);
    bump(sum_, bytes);
  }

  Snapshot snapshot() const noexcept {
    Snapshot s;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      s.counts[i] = counts_[i].load(std::memory_order_relaxed);
      s.count += s.counts[i];
    }
    s.sum_bytes = static_cast<double>(sum_.load(std::memory_order_relaxed));
    return s;
  }

 private:
  static std::size_t bucket_of(std::size_t bytes) noexcept {
    std::size_t i = 0;
    while (i < bucket_bounds_bytes.size() &&
           static_cast<std::int64_t>(bytes) > bucket_bounds_bytes[i]) {
      ++i;
    }
    return i;
  }
  static void bump(std::atomic<std::uint64_t>& counter, std::uint64_t n) noexcept {
    counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  std::array<std::atomic<std::uint64_t>, bucket_bounds_bytes.size() + 1> counts_{};
  std::atomic<std::uint64_t> sum_{0};
};

}  // namespace mib
