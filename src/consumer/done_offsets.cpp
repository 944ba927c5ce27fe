#include "consumer/done_offsets.hpp"

#include <cstring>

#include "kafka/handle.hpp"

namespace mib {

DoneOffsets::Slot* DoneOffsets::slot(rd_kafka_topic_t* topic, std::int32_t partition) {
  if (Slot* s = last(topic, partition)) return s;
  const std::lock_guard lock{mutex_};
  for (const auto& s : slots_) {
    if (s->topic == topic && s->partition == partition) return last_ = s.get();
  }
  auto made = std::make_unique<Slot>();
  made->topic = topic;
  made->topic_name = rd_kafka_topic_name(topic);
  made->partition = partition;
  slots_.push_back(std::move(made));
  return last_ = slots_.back().get();
}

void DoneOffsets::store_locked(rd_kafka_t* handle, std::vector<Error>& errors) {
  kafka::PartitionList list{nullptr};
  for (const auto& s : slots_) {
    const std::int64_t done = s->done.load(std::memory_order_acquire);
    if (done < 0 || done == s->stored) continue;
    if (!list) list.reset(rd_kafka_topic_partition_list_new(static_cast<int>(slots_.size())));
    rd_kafka_topic_partition_list_add(list.get(), s->topic_name.c_str(), s->partition)->offset =
        done;
    s->stored = done;
  }
  if (!list) return;
  const auto err = rd_kafka_offsets_store(handle, list.get());
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    errors.push_back(kafka::to_error(
        err, std::string{"storing consumed offsets failed: "} + rd_kafka_err2str(err)));
    return;
  }
  for (int i = 0; i < list->cnt; ++i) {
    const auto& p = list->elems[i];
    // A partition revoked since it was read is no longer ours to commit.
    if (p.err == RD_KAFKA_RESP_ERR_NO_ERROR || p.err == RD_KAFKA_RESP_ERR__STATE ||
        p.err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION) {
      continue;
    }
    errors.push_back(kafka::to_error(p.err, std::string{"storing the offset of topic '"} + p.topic +
                                                "' partition " + std::to_string(p.partition) +
                                                " failed: " + rd_kafka_err2str(p.err)));
  }
}

void DoneOffsets::store(rd_kafka_t* handle) {
  std::vector<Error> errors;
  {
    const std::lock_guard lock{mutex_};
    errors.swap(deferred_);
    store_locked(handle, errors);
  }
  for (const Error& e : errors) report_(e);
}

void DoneOffsets::forget(const rd_kafka_topic_partition_list_t* partitions) {
  const std::lock_guard lock{mutex_};
  for (int i = 0; i < partitions->cnt; ++i) {
    const auto& p = partitions->elems[i];
    for (const auto& s : slots_) {
      if (s->partition == p.partition && s->topic_name == p.topic) {
        s->done.store(-1, std::memory_order_relaxed);
        s->stored = -1;
      }
    }
  }
}

void DoneOffsets::start(rd_kafka_t* handle, std::chrono::milliseconds interval) {
  thread_ = std::thread([this, handle, interval] {
    std::unique_lock lock{mutex_};
    while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
      store_locked(handle, deferred_);
    }
  });
}

void DoneOffsets::stop() {
  {
    const std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace mib
