#include "consumer/consumer_impl.hpp"

namespace mib {

void collect_consumer_metrics(metrics::Collection& out, const std::string& client,
                              const ConsumerMetrics& m, const kafka::TopicCounters& received,
                              const std::vector<PartitionLag>& lags) {
  const metrics::Labels labels{{"client", client}};
  // By topic (a series appears with a topic's first record); m's totals are their sums.
  received.each([&](const kafka::TopicCounters::Counts& c) {
    const metrics::Labels topic{{"client", client}, {"topic", c.topic}};
    out.counter("consumer_messages_received_total", "Records polled.", topic,
                static_cast<double>(c.records.load(std::memory_order_relaxed)));
    out.counter("consumer_bytes_received_total", "Key and value bytes of the records polled.",
                topic, static_cast<double>(c.bytes.load(std::memory_order_relaxed)));
  });
  out.counter("consumer_errors_total", "Errors reported by polls and librdkafka's events.", labels,
              static_cast<double>(m.errors_total));
  out.counter("consumer_rebalances_total", "Assignments and revocations.", labels,
              static_cast<double>(m.rebalances_total));
  out.histogram("consumer_record_size_bytes", "Key and value bytes of each record polled.", labels,
                m.record_size);
  out.histogram("consumer_poll_duration_seconds",
                "Time spent in poll() (one call in 16) and poll_batch() (every call).", labels,
                m.poll_duration);
  // Labelled by partition, as the committed lag is: lag is read per partition.
  for (const PartitionLag& p : lags) {
    out.gauge("consumer_lag", "Records behind: log end offset minus this consumer's position.",
              {{"client", client}, {"topic", p.topic}, {"partition", std::to_string(p.partition)}},
              static_cast<double>(p.lag));
  }
}

}  // namespace mib
