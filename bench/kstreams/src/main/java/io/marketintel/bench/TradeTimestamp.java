package io.marketintel.bench;

import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time from the trade's own "timestamp" field (RFC 3339, UTC), in milliseconds, as our
 * side's st::event_time(&mib::Trade::timestamp) reads it (both floor to the millisecond). A
 * record whose value is not a trade keeps its Kafka timestamp.
 */
public final class TradeTimestamp implements TimestampExtractor {
  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.value() instanceof Trade trade && trade.timestamp != null) {
      return Instant.parse(trade.timestamp).toEpochMilli();
    }
    return record.timestamp();
  }
}
