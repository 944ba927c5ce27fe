#include "producer/producer_impl.hpp"

namespace mib {

void collect_producer_metrics(metrics::Collection& out, const std::string& client,
                              const ProducerMetrics& m, const kafka::TopicCounters& delivered) {
  const metrics::Labels labels{{"client", client}};
  // By topic (a series appears with a topic's first delivery); m's totals are their sums.
  delivered.each([&](const kafka::TopicCounters::Counts& c) {
    const metrics::Labels topic{{"client", client}, {"topic", c.topic}};
    out.counter("producer_messages_sent_total", "Records delivered (acknowledged by the broker).",
                topic, static_cast<double>(c.records.load(std::memory_order_relaxed)));
    out.counter("producer_bytes_sent_total", "Key and value bytes of the records delivered.", topic,
                static_cast<double>(c.bytes.load(std::memory_order_relaxed)));
  });
  out.counter("producer_errors_total", "Failed delivery attempts (each attempt counts).", labels,
              static_cast<double>(m.errors_total));
  out.counter("producer_retries_total", "Records the producer sent again after a failure.", labels,
              static_cast<double>(m.retries_total));
  out.counter("producer_dead_letters_total", "Records written to the dead-letter topic.", labels,
              static_cast<double>(m.dead_letters_total));
  out.gauge("producer_in_flight_messages", "Records sent and not yet reported.", labels,
            static_cast<double>(m.in_flight_messages));
  out.histogram("producer_record_size_bytes", "Key and value bytes of each record delivered.",
                labels, m.record_size);
  out.histogram("producer_send_duration_seconds",
                "Time from send() to the successful delivery report.", labels, m.send_duration);
}

}  // namespace mib
