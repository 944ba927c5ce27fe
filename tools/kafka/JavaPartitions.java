// Sends one record per key with Kafka's own Java KafkaProducer (default settings, so its
// default partitioner) and prints the partition the broker acknowledged for each key, one
// number per line in the order of the keys. Run as a single-file Java program against the
// broker's jars, as tests/integration/partitioner_test.cpp does:
//   java -cp 'libs/*' JavaPartitions.java BOOTSTRAP TOPIC KEYS_FILE
// KEYS_FILE holds one key per line (UTF-8); each key's bytes are the record's key.
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class JavaPartitions {
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: JavaPartitions.java BOOTSTRAP TOPIC KEYS_FILE");
      System.exit(2);
    }
    List<String> keys = Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "mib-java-partitions");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
    List<Future<RecordMetadata>> sent = new ArrayList<>(keys.size());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      for (String key : keys) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        sent.add(producer.send(new ProducerRecord<>(args[1], bytes, bytes)));
      }
      producer.flush();
      StringBuilder out = new StringBuilder();
      for (Future<RecordMetadata> f : sent) {
        out.append(f.get(60, TimeUnit.SECONDS).partition()).append('\n');
      }
      System.out.print(out);
    }
  }
}
