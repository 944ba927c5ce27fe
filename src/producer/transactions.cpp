// Transactions, as librdkafka documents them: every call returns an Error whose flags
// (retriable, abortable, fatal) tell the caller what to do next.
#include <algorithm>
#include <climits>
#include <cstdint>

#include "mib/consumer/group_metadata.hpp"
#include "producer/producer_impl.hpp"

namespace mib {
namespace {

Error named(std::string_view call, Error error) {
  if (error.ok()) return error;
  return error.with_context(call);
}

}  // namespace

Error Producer::init_transactions(std::chrono::milliseconds timeout) {
  return named("init_transactions", kafka::take_error(rd_kafka_init_transactions(
                                        impl_->handle.get(), kafka::timeout_ms(timeout))));
}

Error Producer::begin_transaction() {
  return named("begin_transaction",
               kafka::take_error(rd_kafka_begin_transaction(impl_->handle.get())));
}

Error Producer::send_offsets_to_transaction(const std::vector<TopicPartition>& offsets,
                                            const GroupMetadata& group_metadata,
                                            std::chrono::milliseconds timeout) {
  if (group_metadata.empty()) {  // librdkafka would dereference it
    return Error{errc::invalid_argument,
                 "send_offsets_to_transaction: no group metadata (is the consumer closed?)"};
  }
  rd_kafka_consumer_group_metadata_t* group = nullptr;
  if (Error e = kafka::take_error(rd_kafka_consumer_group_metadata_read(
          &group, group_metadata.bytes().data(), group_metadata.bytes().size()))) {
    return e.with_context("send_offsets_to_transaction: group metadata");
  }
  const kafka::PartitionList list = kafka::to_partition_list(offsets);
  Error result = named("send_offsets_to_transaction",
                       kafka::take_error(rd_kafka_send_offsets_to_transaction(
                           impl_->handle.get(), list.get(), group, kafka::timeout_ms(timeout))));
  rd_kafka_consumer_group_metadata_destroy(group);
  return result;
}

Error Producer::commit_transaction(std::chrono::milliseconds timeout) {
  // Records of the transaction are reported before the commit completes (librdkafka
  // flushes them, and waits until the poller has served and destroyed every report), so a
  // successful commit means every report has arrived.
  return named("commit_transaction", kafka::take_error(rd_kafka_commit_transaction(
                                         impl_->handle.get(), kafka::timeout_ms(timeout))));
}

Error Producer::abort_transaction(std::chrono::milliseconds timeout) {
  return named("abort_transaction", kafka::take_error(rd_kafka_abort_transaction(
                                        impl_->handle.get(), kafka::timeout_ms(timeout))));
}

}  // namespace mib
