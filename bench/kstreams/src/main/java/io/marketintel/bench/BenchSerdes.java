package io.marketintel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** The serdes of the benchmark: trades as JSON (Jackson), VWAP accumulators as 16 bytes. */
final class BenchSerdes {
  private BenchSerdes() {}

  /** One mapper for the process: ObjectMapper is thread-safe once configured. */
  static final ObjectMapper MAPPER = new ObjectMapper();

  static Serde<Trade> trade() {
    Serializer<Trade> serializer =
        (topic, trade) -> {
          if (trade == null) return null;
          try {
            return MAPPER.writeValueAsBytes(trade);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    Deserializer<Trade> deserializer =
        (topic, bytes) -> {
          if (bytes == null) return null;
          try {
            return MAPPER.readValue(bytes, Trade.class);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  /** The running sums of a window: sum(price * quantity) and sum(quantity). */
  static final class VwapSums {
    double notional;
    double volume;

    VwapSums add(Trade t) {
      double q = (double) t.quantity;
      notional += t.price * q;
      volume += q;
      return this;
    }

    double vwap() {
      return volume == 0 ? Double.NaN : notional / volume;
    }
  }

  static Serde<VwapSums> vwapSums() {
    Serializer<VwapSums> serializer =
        (topic, sums) -> {
          if (sums == null) return null;
          return ByteBuffer.allocate(16).putDouble(sums.notional).putDouble(sums.volume).array();
        };
    Deserializer<VwapSums> deserializer =
        (topic, bytes) -> {
          if (bytes == null) return null;
          ByteBuffer buffer = ByteBuffer.wrap(bytes);
          VwapSums sums = new VwapSums();
          sums.notional = buffer.getDouble();
          sums.volume = buffer.getDouble();
          return sums;
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
