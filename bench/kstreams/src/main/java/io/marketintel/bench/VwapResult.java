package io.marketintel.bench;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import org.apache.kafka.streams.kstream.Windowed;

/**
 * A window's result in the JSON our side writes for a Windowed<K, V> (ResultSerde in
 * include/mib/streams/result_serde.hpp): {"key":"AAPL","start":"...Z","end":"...Z",
 * "value":10.75}, NaN as null.
 */
@JsonPropertyOrder({"key", "start", "end", "value"})
public final class VwapResult {
  public final String key;
  public final String start;
  public final String end;
  public final Double value;

  VwapResult(Windowed<String> window, double vwap) {
    this.key = window.key();
    this.start = Instant.ofEpochMilli(window.window().start()).toString();
    this.end = Instant.ofEpochMilli(window.window().end()).toString();
    this.value = Double.isNaN(vwap) ? null : vwap;
  }
}
