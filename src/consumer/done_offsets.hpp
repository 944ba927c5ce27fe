// Internal: where the application is done with each partition, noted by the polling thread
// at the cost of a plain store, and handed to librdkafka's offset store off that path.
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mib/error.hpp"

namespace mib {

// Storing an offset in librdkafka (rd_kafka_offset_store) takes the topic's lock, a
// partition reference and the partition's lock: about a third of what poll() added to
// librdkafka's own poll (bench/RESULTS.md). So the polling thread only writes the next
// offset to consume into the partition's slot here, and store() hands every slot that
// moved to librdkafka in one call: at each commit, revocation and close, and (with
// auto-commit) from a thread of its own every `store_interval`, so that auto-commit
// still commits exactly what the application is done with, one interval later at most.
class DoneOffsets {
 public:
  struct Slot {
    rd_kafka_topic_t* topic;  // kept alive by the consumer's topic references
    std::string topic_name;
    std::int32_t partition;
    std::atomic<std::int64_t> done{-1};  // the next offset to consume; -1: nothing yet
    std::int64_t stored = -1;            // what librdkafka has; guarded by mutex_
  };
  // Reports an error of the store, always on the polling thread: errors met by the
  // store thread wait for the polling thread's next store().
  using Report = std::function<void(const Error&)>;

  explicit DoneOffsets(Report report) : report_(std::move(report)) {}
  DoneOffsets(const DoneOffsets&) = delete;
  DoneOffsets& operator=(const DoneOffsets&) = delete;
  ~DoneOffsets() { stop(); }

  // Polling thread: the slot last asked for, if it is this partition's (records come in
  // runs from one partition); else nullptr.
  Slot* last(const rd_kafka_topic_t* topic, std::int32_t partition) const noexcept {
    return last_ != nullptr && last_->topic == topic && last_->partition == partition ? last_
                                                                                      : nullptr;
  }
  // Polling thread: the slot of a partition, made the first time it is asked for.
  Slot* slot(rd_kafka_topic_t* topic, std::int32_t partition);
  // Polling thread: the application is done with the partition up to `next_offset`.
  static void note(Slot* slot, std::int64_t next_offset) noexcept {
    slot->done.store(next_offset, std::memory_order_release);
  }

  // Polling thread: hands every slot that moved since the last store to librdkafka.
  void store(rd_kafka_t* handle);
  // Polling thread: these partitions are no longer ours; what was noted for them and not
  // stored is dropped (a revocation stores first; a lost partition must not).
  void forget(const rd_kafka_topic_partition_list_t* partitions);

  // Starts the thread that stores every `interval`, until stop().
  void start(rd_kafka_t* handle, std::chrono::milliseconds interval);
  void stop();

 private:
  Report report_;
  std::mutex mutex_;                          // the slot list, `stored`, the thread's state
  std::vector<std::unique_ptr<Slot>> slots_;  // never shrinks: a Slot* stays valid
  Slot* last_ = nullptr;                      // polling thread: the slot last asked for

  std::vector<Error> deferred_;  // the store thread's errors, for report_

  // Stores what moved; the errors (other than "no longer assigned") into `errors`.
  void store_locked(rd_kafka_t* handle, std::vector<Error>& errors);

  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace mib
