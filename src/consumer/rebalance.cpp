// Rebalances: librdkafka asks the consumer to take or give up partitions; the consumer
// does so, the eager or the cooperative way, and tells the application's listener.
#include <cstring>

#include "consumer/consumer_impl.hpp"
#include "kafka/user_callback.hpp"

namespace mib {
// Runs a listener callback; an exception must not cross librdkafka's C frames.
void Consumer::Impl::tell(const PartitionsCallback& callback, const char* listener,
                          const std::vector<TopicPartition>& partitions) {
  if (!callback) return;
  if (auto problem = kafka::what_threw([&] { callback(*owner, partitions); })) {
    report(Error{errc::application,
                 std::string{"rebalance listener "} + listener + " threw: " + *problem});
  }
}

void Consumer::Impl::on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                                  rd_kafka_topic_partition_list_t* partitions, void* opaque) {
  auto& self = *static_cast<Impl*>(opaque);
  // NULL while the group is being left (a consumer closed during its first join).
  const char* protocol = rd_kafka_rebalance_protocol(rk);
  const bool cooperative = protocol != nullptr && std::strcmp(protocol, "COOPERATIVE") == 0;
  const auto named = kafka::to_partitions(partitions);
  self.rebalances.add(1);
  self.floors.clear();  // a partition given back may start anywhere when it returns

  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    // The listener runs first, so that its seek() calls set where the partitions start.
    self.assigning = partitions;
    self.tell(self.options.rebalance.on_assigned, "on_assigned", named);
    self.assigning = nullptr;
    const Error e = cooperative ? kafka::take_error(rd_kafka_incremental_assign(rk, partitions))
                                : kafka::to_error(rd_kafka_assign(rk, partitions));
    if (e) self.report(e.with_context("assigning partitions failed"));
    self.count_assignment();
    return;
  }

  if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) {
    if (rd_kafka_assignment_lost(rk)) {
      // Someone else may own them already: committing now could overwrite their progress.
      self.consumed.clear();
      self.done.forget(partitions);
      self.tell(self.options.rebalance.on_lost, "on_lost", named);
    } else {
      // Store what was processed; with auto-commit, commit it now so that the next owner
      // starts right after it. Otherwise commits are the application's (on_revoked is
      // the place), and a transaction may own them: committing here could skip records.
      // While offsets are held (a Processor's sends not yet flushed), nothing held counts:
      // the next owner reads it again, rather than the group skipping unsent output.
      if (self.holding) self.consumed.clear();
      self.store_consumed();
      if (self.auto_commit) {
        const auto commit_err = rd_kafka_commit(rk, nullptr, 0);
        if (commit_err != RD_KAFKA_RESP_ERR_NO_ERROR &&
            commit_err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
          self.report(kafka::to_error(commit_err, std::string{"commit before revocation failed: "} +
                                                      rd_kafka_err2str(commit_err)));
        }
      }
      self.tell(self.options.rebalance.on_revoked, "on_revoked", named);
      self.done.forget(partitions);  // stored above, or the listener's to commit
    }
    const Error e = cooperative ? kafka::take_error(rd_kafka_incremental_unassign(rk, partitions))
                                : kafka::to_error(rd_kafka_assign(rk, nullptr));
    if (e) self.report(e.with_context("revoking partitions failed"));
    self.count_assignment();
    return;
  }

  // A rebalance error: drop the assignment and let the group sort itself out.
  self.report(kafka::to_error(err, std::string{"rebalance failed: "} + rd_kafka_err2str(err)));
  self.done.forget(partitions);
  if (cooperative) {
    kafka::take_error(rd_kafka_incremental_unassign(rk, partitions));
  } else {
    rd_kafka_assign(rk, nullptr);
  }
  self.count_assignment();
}

}  // namespace mib
