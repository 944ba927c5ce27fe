// Where the consumer reads: seeking (also by time), pausing, positions, committed
// offsets, watermarks and lag.

#include "consumer/consumer_impl.hpp"

namespace mib {
namespace {

std::string name_of(const rd_kafka_topic_partition_t& p) {
  return std::string{"topic '"} + p.topic + "' partition " + std::to_string(p.partition);
}

// The first per-partition error of a list librdkafka filled in, naming the partition.
Error first_partition_error(const char* call, const rd_kafka_topic_partition_list_t* list) {
  for (int i = 0; i < list->cnt; ++i) {
    const auto& p = list->elems[i];
    if (p.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return kafka::to_error(
          p.err, std::string{call} + ": " + name_of(p) + ": " + rd_kafka_err2str(p.err));
    }
  }
  return {};
}

Error call_error(const char* call, rd_kafka_resp_err_t err) {
  return kafka::to_error(err, err ? std::string{call} + ": " + rd_kafka_err2str(err) : "");
}

std::vector<TopicPartition> at_offset(std::vector<TopicPartition> partitions, std::int64_t offset) {
  for (auto& p : partitions) p.offset = offset;
  return partitions;
}

// The outcome of a call on a partition list: its own error, else the first partition's.
Error list_result(const char* call, rd_kafka_resp_err_t err,
                  const rd_kafka_topic_partition_list_t* list) {
  Error e = call_error(call, err);
  return e ? e : first_partition_error(call, list);
}

// Replaces each partition's offset (a time in ms) with its first offset at or after that
// time, offset::end where there is none, as Kafka's consumers do.
Error look_up_times(rd_kafka_t* handle, rd_kafka_topic_partition_list_t* list,
                    std::chrono::milliseconds timeout) {
  if (Error e =
          list_result("looking up offsets by time",
                      rd_kafka_offsets_for_times(handle, list, kafka::timeout_ms(timeout)), list)) {
    return e;
  }
  for (int i = 0; i < list->cnt; ++i) {
    if (list->elems[i].offset < 0) list->elems[i].offset = offset::end;
  }
  return {};
}

}  // namespace

Error Consumer::Impl::seek(rd_kafka_topic_partition_list_t* partitions,
                           std::chrono::milliseconds timeout) {
  if (assigning != nullptr) {
    // Inside on_assigned: the partitions are not fetching yet, so set where they start.
    for (int i = 0; i < partitions->cnt; ++i) {
      const auto& p = partitions->elems[i];
      rd_kafka_topic_partition_t* target =
          rd_kafka_topic_partition_list_find(assigning, p.topic, p.partition);
      if (target == nullptr) {
        return Error{errc::invalid_argument,
                     "seek: " + name_of(p) + " is not among the partitions being assigned"};
      }
      target->offset = p.offset;
    }
    return {};
  }
  unconsume_from(partitions);
  floors.clear();
  if (reassign_to_seek(partitions)) return {};
  if (Error e = kafka::take_error(
          rd_kafka_seek_partitions(handle.get(), partitions, kafka::timeout_ms(timeout)))) {
    return e.with_context("seek");
  }
  return first_partition_error("seek", partitions);
}

void Consumer::Impl::unconsume_from(const rd_kafka_topic_partition_list_t* partitions) {
  for (int i = 0; i < partitions->cnt; ++i) {
    const auto& p = partitions->elems[i];
    for (auto it = consumed.begin(); it != consumed.end(); ++it) {
      if (it->slot->partition != p.partition || it->slot->topic_name != p.topic) {
        continue;
      }
      if (p.offset >= 0) {
        it->next_offset = std::min(it->next_offset, p.offset);
      } else {
        consumed.erase(it);  // to a logical offset (beginning, end): nothing stays consumed
      }
      break;
    }
  }
}

bool Consumer::Impl::reassign_to_seek(const rd_kafka_topic_partition_list_t* partitions) {
  if (manual_assignment.empty()) return false;
  // A partition assigned by hand that has handed out nothing yet may still be looking up
  // where it starts, and librdkafka 2.0.2 can lose a seek made then (the start it looks
  // up wins). Assigning again with the new start cannot be lost.
  auto current = kafka::to_partition_list(manual_assignment);
  rd_kafka_position(handle.get(), current.get());
  bool started_all = true;
  for (int i = 0; i < partitions->cnt; ++i) {
    const auto& p = partitions->elems[i];
    const auto* now = rd_kafka_topic_partition_list_find(current.get(), p.topic, p.partition);
    if (now == nullptr) return false;  // not ours: the seek reports it
    if (now->offset < 0) started_all = false;
  }
  if (started_all) return false;
  for (std::size_t i = 0; i < manual_assignment.size(); ++i) {
    TopicPartition& tp = manual_assignment[i];
    const auto* sought =
        rd_kafka_topic_partition_list_find(partitions, tp.topic.c_str(), tp.partition);
    if (sought != nullptr) {
      tp.offset = sought->offset;
    } else if (current->elems[i].offset >= 0) {
      tp.offset = current->elems[i].offset;  // keep reading where it is
    }
  }
  auto list = kafka::to_partition_list(manual_assignment);
  if (auto err = rd_kafka_assign(handle.get(), list.get())) {
    report(kafka::to_error(err,
                           std::string{"seek: assigning again failed: "} + rd_kafka_err2str(err)));
    return false;
  }
  return true;
}

Error Consumer::seek(const TopicPartition& partition, std::chrono::milliseconds timeout) {
  impl_->check_open("seek");
  auto list = kafka::to_partition_list({partition});
  return impl_->seek(list.get(), timeout);
}

Error Consumer::seek_to_beginning(const std::vector<TopicPartition>& partitions,
                                  std::chrono::milliseconds timeout) {
  impl_->check_open("seek_to_beginning");
  auto list = kafka::to_partition_list(at_offset(partitions, offset::beginning));
  return impl_->seek(list.get(), timeout);
}

Error Consumer::seek_to_end(const std::vector<TopicPartition>& partitions,
                            std::chrono::milliseconds timeout) {
  impl_->check_open("seek_to_end");
  auto list = kafka::to_partition_list(at_offset(partitions, offset::end));
  return impl_->seek(list.get(), timeout);
}

Error Consumer::seek_to_time(Timestamp time, std::chrono::milliseconds timeout) {
  impl_->check_open("seek_to_time");
  // Inside on_assigned, "assigned" means the partitions being assigned.
  return seek_to_time(
      time, impl_->assigning ? kafka::to_partitions(impl_->assigning) : assignment(), timeout);
}

std::vector<TopicPartition> Consumer::offsets_for_time(
    Timestamp time, const std::vector<TopicPartition>& partitions,
    std::chrono::milliseconds timeout) const {
  impl_->check_open("offsets_for_time");
  if (partitions.empty()) return {};
  auto list = kafka::to_partition_list(at_offset(partitions, time.time_since_epoch().count()));
  if (Error e = look_up_times(impl_->handle.get(), list.get(), timeout)) throw Exception{e};
  return kafka::to_partitions(list.get());
}

Error Consumer::seek_to_time(Timestamp time, const std::vector<TopicPartition>& partitions,
                             std::chrono::milliseconds timeout) {
  impl_->check_open("seek_to_time");
  if (partitions.empty()) return {};
  auto list = kafka::to_partition_list(at_offset(partitions, time.time_since_epoch().count()));
  if (Error e = look_up_times(impl_->handle.get(), list.get(), timeout)) {
    return e.with_context("seek_to_time");
  }
  if (Error e = impl_->seek(list.get(), timeout)) return e;
  if (impl_->assigning == nullptr) impl_->set_floors(list.get());
  return {};
}

void Consumer::pause(const std::vector<TopicPartition>& partitions) {
  impl_->check_open("pause");
  auto list = kafka::to_partition_list(partitions);
  if (Error e = list_result("pause", rd_kafka_pause_partitions(impl_->handle.get(), list.get()),
                            list.get())) {
    throw Exception{e};
  }
}

void Consumer::resume(const std::vector<TopicPartition>& partitions) {
  impl_->check_open("resume");
  auto list = kafka::to_partition_list(partitions);
  if (Error e = list_result("resume", rd_kafka_resume_partitions(impl_->handle.get(), list.get()),
                            list.get())) {
    throw Exception{e};
  }
}

std::vector<TopicPartition> Consumer::position(
    const std::vector<TopicPartition>& partitions) const {
  impl_->check_open("position");
  auto list = kafka::to_partition_list(partitions);
  if (Error e = call_error("position", rd_kafka_position(impl_->handle.get(), list.get()))) {
    throw Exception{e};
  }
  return kafka::to_partitions(list.get());
}

std::vector<TopicPartition> Consumer::committed(const std::vector<TopicPartition>& partitions,
                                                std::chrono::milliseconds timeout) const {
  impl_->check_open("committed");
  auto list = kafka::to_partition_list(partitions);
  if (Error e = list_result(
          "committed",
          rd_kafka_committed(impl_->handle.get(), list.get(), kafka::timeout_ms(timeout)),
          list.get())) {
    throw Exception{e};
  }
  return kafka::to_partitions(list.get());
}

Consumer::Watermarks Consumer::watermarks(const TopicPartition& partition,
                                          std::chrono::milliseconds timeout) const {
  impl_->check_open("watermarks");
  Watermarks w;
  const auto err = rd_kafka_query_watermark_offsets(impl_->handle.get(), partition.topic.c_str(),
                                                    partition.partition, &w.low, &w.high,
                                                    kafka::timeout_ms(timeout));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw Exception{kafka::to_error(err, "watermarks of topic '" + partition.topic +
                                             "' partition " + std::to_string(partition.partition) +
                                             ": " + rd_kafka_err2str(err))};
  }
  return w;
}

std::vector<PartitionLag> Consumer::lag(std::chrono::milliseconds timeout) const {
  const std::vector<TopicPartition> assigned = assignment();
  if (assigned.empty()) return {};
  const std::vector<TopicPartition> positions = position(assigned);
  const std::vector<TopicPartition> commits = committed(assigned, timeout);
  std::vector<PartitionLag> out;
  out.reserve(assigned.size());
  for (std::size_t i = 0; i < assigned.size(); ++i) {
    PartitionLag l{.topic = assigned[i].topic, .partition = assigned[i].partition};
    const Watermarks w = watermarks(assigned[i], timeout);
    l.low_watermark = w.low;
    l.high_watermark = w.high;
    if (positions[i].offset >= 0) l.position = positions[i].offset;
    if (commits[i].offset >= 0) l.committed = commits[i].offset;
    l.lag = compute_lag(w.low, w.high, l.position, l.committed, impl_->start_when_unknown);
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace mib
