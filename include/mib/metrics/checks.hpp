// Readiness checks for mib::metrics::HttpServer from the library's handles. Each keeps a
// reference: the handle must outlive the server (or the server be destroyed first).
#pragma once

#include "mib/consumer/consumer.hpp"
#include "mib/metrics/http_server.hpp"
#include "mib/processor/processor.hpp"
#include "mib/producer/producer.hpp"

namespace mib::metrics {

// Liveness: the producer has not failed for good (no fatal error from librdkafka).
Check alive(const Producer& producer);
// A broker has answered the producer and the cluster is not known to be down.
Check reachable(const Producer& producer);
// The consumer has partitions assigned (in a group: the rebalance is done).
Check assigned(const Consumer& consumer);
// The processing loop is running.
Check running(const Processor& processor);

}  // namespace mib::metrics
