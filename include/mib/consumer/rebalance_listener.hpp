// mib::RebalanceListener: hears when the group gives or takes partitions.
#pragma once

#include <functional>
#include <vector>

#include "mib/message.hpp"

namespace mib {

class Consumer;

using PartitionsCallback =
    std::function<void(Consumer& consumer, const std::vector<TopicPartition>& partitions)>;

// Called on the polling thread, inside poll() / poll_batch() (a Processor's loop). With an
// eager assignor (range, roundrobin) every rebalance revokes all partitions and assigns a
// new set; with cooperative-sticky only the partitions that move are named.
//
// - on_assigned: just before the partitions start fetching; seek() / seek_to_time() here
//                set where they start (assignment() does not list them yet).
// - on_revoked:  before the partitions go. With enable.auto.commit, the consumer has
//                just committed what was processed, so the next owner starts exactly
//                after it; otherwise call commit() here (a Processor has committed after
//                its last batch already). Commit your own state here too.
// - on_lost:     the partitions were taken without a handshake (the session expired or
//                max.poll.interval.ms passed); another member may already own them, so
//                nothing is committed.
struct RebalanceListener {
  PartitionsCallback on_assigned{};
  PartitionsCallback on_revoked{};
  PartitionsCallback on_lost{};
};

}  // namespace mib
