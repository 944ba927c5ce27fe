package io.marketintel.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The Kafka Streams side of bench/streams_vs_kafka_streams: one run of one topology over the
 * pre-filled trades topic, timed as our side times itself (bench/streams_vs_kafka_streams.cpp).
 *
 * <pre>
 *   KStreamsBench --bootstrap HOST:PORT --topology filter|vwap --input TOPIC --output TOPIC
 *                 --application-id ID --expect N --state-dir DIR [--store memory|rocksdb]
 * </pre>
 *
 * <p>filter: trades with quantity >= 100 to the output topic, as they came (JSON).
 *
 * <p>vwap: groupByKey (the key is the symbol already, so no repartition), tumbling 1 s windows
 * with no grace, sum(price * quantity) / sum(quantity), one final result per window
 * (suppress untilWindowCloses, unbounded), written as our side writes a windowed result.
 * --store memory (the default) keeps the window store in memory without a changelog, and the
 * suppress buffer without one, as our engine keeps its window state (in memory, no changelog);
 * --store rocksdb is Kafka Streams' default: RocksDB with a changelog, and a logged suppress
 * buffer.
 *
 * <p>A peek right after the source counts the input records: the time of the first and of
 * the N-th is the processing span. Then close() (which flushes the caches, so the last
 * windows reach suppress and the output topic, commits and leaves the group). Prints one line
 * "RESULT side=kstreams ..." with the figures and the settings that matter for them.
 */
public final class KStreamsBench {
  private KStreamsBench() {}

  public static void main(String[] args) throws Exception {
    // Before any Kafka class makes a logger: warnings and errors only, on stderr.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");

    Map<String, String> options = parse(args);
    String bootstrap = required(options, "--bootstrap");
    String topology = required(options, "--topology");
    String input = required(options, "--input");
    String output = required(options, "--output");
    String applicationId = required(options, "--application-id");
    long expect = Long.parseLong(required(options, "--expect"));
    Path stateDir = Path.of(required(options, "--state-dir"));
    String store = options.getOrDefault("--store", "memory");
    long timeoutSeconds = Long.parseLong(options.getOrDefault("--timeout", "900"));
    if (!store.equals("memory") && !store.equals("rocksdb")) {
      throw new IllegalArgumentException("--store takes memory or rocksdb, not " + store);
    }
    Files.createDirectories(stateDir);

    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    // Both are the defaults; written out so that the output can say so.
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");

    // The counting peek runs on the one stream thread; the main thread waits on the latch.
    AtomicLong seen = new AtomicLong();
    long[] firstLast = new long[2];
    CountDownLatch allSeen = new CountDownLatch(1);
    StreamsBuilder builder = new StreamsBuilder();
    Serde<Trade> tradeSerde = BenchSerdes.trade();
    KStream<String, Trade> trades =
        builder.stream(
            input,
            Consumed.with(Serdes.String(), tradeSerde).withTimestampExtractor(new TradeTimestamp()));
    KStream<String, Trade> counted =
        trades.peek(
            (key, trade) -> {
              long n = seen.get() + 1;
              long now = System.nanoTime();
              if (n == 1) firstLast[0] = now;
              if (n == expect) firstLast[1] = now;
              seen.set(n);
              if (n == expect) allSeen.countDown();
            });
    if (topology.equals("filter")) {
      counted
          .filter((key, trade) -> trade.quantity >= 100)
          .to(output, Produced.with(Serdes.String(), tradeSerde));
    } else if (topology.equals("vwap")) {
      Duration size = Duration.ofSeconds(1);
      Materialized<String, BenchSerdes.VwapSums, WindowStore<Bytes, byte[]>> materialized =
          store.equals("memory")
              ? Materialized.<String, BenchSerdes.VwapSums>as(
                      Stores.inMemoryWindowStore("vwap-1s", size, size, false))
                  .withLoggingDisabled()
              : Materialized.<String, BenchSerdes.VwapSums, WindowStore<Bytes, byte[]>>as(
                  "vwap-1s");
      Suppressed.StrictBufferConfig buffer =
          store.equals("memory")
              ? Suppressed.BufferConfig.unbounded().withLoggingDisabled()
              : Suppressed.BufferConfig.unbounded();
      counted
          .groupByKey(Grouped.with(Serdes.String(), tradeSerde))
          .windowedBy(TimeWindows.ofSizeAndGrace(size, Duration.ZERO))
          .aggregate(
              BenchSerdes.VwapSums::new,
              (key, trade, sums) -> sums.add(trade),
              materialized
                  .withKeySerde(Serdes.String())
                  .withValueSerde(BenchSerdes.vwapSums()))
          .suppress(Suppressed.untilWindowCloses(buffer))
          .toStream()
          .map((window, sums) -> KeyValue.pair(window.key(), json(new VwapResult(window, sums.vwap()))))
          .to(output, Produced.with(Serdes.String(), Serdes.String()));
    } else {
      throw new IllegalArgumentException("--topology takes filter or vwap, not " + topology);
    }

    Topology built = builder.build(props);
    StreamsConfig config = new StreamsConfig(props);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    KafkaStreams streams = new KafkaStreams(built, props);
    streams.setUncaughtExceptionHandler(
        e -> {
          failure.compareAndSet(null, e);
          allSeen.countDown();
          return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
              .StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });

    long started = System.nanoTime();
    streams.start();
    boolean done = allSeen.await(timeoutSeconds, TimeUnit.SECONDS);
    long processed = System.nanoTime();
    boolean closedCleanly = streams.close(Duration.ofSeconds(120));
    long closed = System.nanoTime();
    if (!closedCleanly) {
      System.err.println("KStreamsBench: close() did not finish in 120 s");
      System.exit(1);
    }

    if (failure.get() != null) {
      System.err.println("KStreamsBench: the stream thread failed: " + failure.get());
      failure.get().printStackTrace();
      System.exit(1);
    }
    if (!done) {
      System.err.printf(
          "KStreamsBench: only %d of %d input records were processed in %d s%n",
          seen.get(), expect, timeoutSeconds);
      System.exit(1);
    }

    Map<String, String> result = new LinkedHashMap<>();
    result.put("side", "kstreams");
    result.put("topology", topology);
    result.put("processed", Long.toString(seen.get()));
    result.put("first_to_last_s", seconds(firstLast[1] - firstLast[0]));
    result.put("start_to_first_s", seconds(firstLast[0] - started));
    result.put("start_to_processed_s", seconds(processed - started));
    result.put("start_to_closed_s", seconds(closed - started));
    result.put("peak_rss_kb", Long.toString(peakRssKb()));
    result.put("max_heap_mb", Long.toString(Runtime.getRuntime().maxMemory() >> 20));
    result.put("store", topology.equals("vwap") ? store : "none");
    result.put("processing_guarantee", config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    result.put("num_stream_threads", config.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG).toString());
    result.put("commit_interval_ms", config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG).toString());
    result.put(
        "statestore_cache_max_bytes",
        config.getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG).toString());
    // The settings Streams gives its producer and main consumer, over the clients' defaults.
    Map<String, Object> producer = config.getProducerConfigs("bench-producer");
    producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    ProducerConfig producerConfig = new ProducerConfig(producer);
    result.put("producer_linger_ms", producerConfig.getLong(ProducerConfig.LINGER_MS_CONFIG).toString());
    result.put("producer_batch_size", producerConfig.getInt(ProducerConfig.BATCH_SIZE_CONFIG).toString());
    result.put("producer_compression", producerConfig.getString(ProducerConfig.COMPRESSION_TYPE_CONFIG));
    result.put("producer_acks", producerConfig.getString(ProducerConfig.ACKS_CONFIG));
    result.put(
        "producer_idempotence",
        producerConfig.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG).toString());
    Map<String, Object> consumer = config.getMainConsumerConfigs("bench", "bench-consumer", 0);
    consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    ConsumerConfig consumerConfig = new ConsumerConfig(consumer);
    result.put(
        "consumer_max_poll_records",
        consumerConfig.getInt(ConsumerConfig.MAX_POLL_RECORDS_CONFIG).toString());
    result.put("java", System.getProperty("java.version"));
    StringBuilder line = new StringBuilder("RESULT");
    result.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    System.out.println(line);
    System.exit(0);
  }

  private static String json(VwapResult result) {
    try {
      return BenchSerdes.MAPPER.writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
  }

  /** VmHWM of /proc/self/status: the most resident memory this JVM has had, in KiB. */
  private static long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, at '" + args[i] + "'");
      }
      options.put(args[i], args[i + 1]);
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) throw new IllegalArgumentException("missing " + name);
    return value;
  }
}
