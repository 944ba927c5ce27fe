#include "kafka/statistics_metrics.hpp"

#include <algorithm>

namespace mib::kafka {
namespace {

using metrics::Collection;
using metrics::Labels;

void gauge(Collection& out, const char* name, const char* help, const Labels& labels,
           const Known& value, double scale = 1) {
  if (value) out.gauge(name, help, labels, static_cast<double>(*value) * scale);
}

}  // namespace

void StatisticsMetrics::update(Statistics statistics) {
  auto next = std::make_shared<const Statistics>(std::move(statistics));
  const std::lock_guard lock{mutex_};
  last_ = std::move(next);
}

std::shared_ptr<const Statistics> StatisticsMetrics::last() const {
  const std::lock_guard lock{mutex_};
  return last_;
}

void StatisticsMetrics::collect(Collection& out, const std::string& client) const {
  const std::shared_ptr<const Statistics> s = last();
  if (!s) return;
  for (const BrokerStatistics* b : s->cluster_brokers()) {
    // INIT: never connected, which with sparse connections (librdkafka's default) means
    // not needed yet; a broker that was needed and is gone is DOWN or reconnecting.
    if (b->state == "INIT") continue;
    const Labels labels{{"client", client}, {"broker", b->name}};
    out.gauge("kafka_broker_up", "1 if the connection to the broker is up (librdkafka state UP).",
              labels, b->state == "UP" ? 1 : 0);
    gauge(out, "kafka_broker_rtt_avg_seconds",
          "Average request round-trip time in the last statistics interval.", labels, b->rtt_us.avg,
          1e-6);
    gauge(out, "kafka_broker_rtt_p99_seconds",
          "99th percentile request round-trip time in the last statistics interval.", labels,
          b->rtt_us.p99, 1e-6);
    gauge(out, "kafka_broker_outbuf_requests", "Requests waiting to be sent to the broker.", labels,
          b->outbuf_requests);
    gauge(out, "kafka_broker_inflight_requests", "Requests sent, awaiting the broker's response.",
          labels, b->inflight_requests);
  }
  if (kind_ == Kind::producer) {
    const Labels labels{{"client", client}};
    gauge(out, "producer_queue_messages", "Records in librdkafka's queues, not yet delivered.",
          labels, s->queued_messages);
    gauge(out, "producer_queue_bytes", "Bytes of the records in librdkafka's queues.", labels,
          s->queued_bytes);
    if (const auto ratio = s->compression_ratio()) {
      out.gauge("producer_compression_ratio",
                "1 - bytes on the wire / record bytes before compression (0.7 = 70% smaller).",
                labels, *ratio);
    }
    for (const TopicStatistics& t : s->topics) {
      const Labels topic{{"client", client}, {"topic", t.topic}};
      gauge(out, "producer_batch_size_avg_bytes",
            "Average batch size sent (after compression) in the last statistics interval.", topic,
            t.batch_bytes.avg);
      gauge(out, "producer_batch_size_p99_bytes",
            "99th percentile batch size sent (after compression) in the last statistics interval.",
            topic, t.batch_bytes.p99);
    }
    return;
  }
  // A consumer's partition queues all forward to its one consumer queue, so librdkafka
  // reports that queue's length for each partition: exported once, per client.
  Known fetch_queue;
  for (const PartitionStatistics& p : s->partitions) {
    // Not librdkafka's internal queue (-1), and not a partition revoked from this consumer,
    // whose last offsets librdkafka keeps: two members would report it.
    if (p.partition < 0 || !p.desired) continue;
    if (p.fetch_queue_messages)
      fetch_queue = std::max(fetch_queue.value_or(0), *p.fetch_queue_messages);
    gauge(out, "consumer_committed_lag",
          "Log end offset minus the group's committed offset, as of the last statistics.",
          {{"client", client}, {"topic", p.topic}, {"partition", std::to_string(p.partition)}},
          p.committed_lag);
  }
  gauge(out, "consumer_fetch_queue_messages", "Records fetched and not yet polled.",
        {{"client", client}}, fetch_queue);
}

}  // namespace mib::kafka
