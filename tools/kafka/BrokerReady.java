// Waits until a Kafka cluster answers Metadata requests with the expected number of
// brokers. Run by scripts/kafka as a single-file Java program:
//   java -cp 'libs/*' BrokerReady.java BOOTSTRAP BROKER_COUNT TIMEOUT_SECONDS [CLIENT_PROPERTIES]
// CLIENT_PROPERTIES, a file of Admin client settings, is how it logs in to a broker that
// wants SASL (security.protocol, sasl.mechanism, sasl.jaas.config).
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;

public class BrokerReady {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    int expected = Integer.parseInt(args[1]);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
    Properties props = new Properties();
    if (args.length > 3) {
      try (Reader in = Files.newBufferedReader(Path.of(args[3]))) {
        props.load(in);
      }
    }
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    String last = "no answer yet";
    try (Admin admin = Admin.create(props)) {
      while (System.nanoTime() < deadline) {
        try {
          int brokers = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
          // listTopics is answered from a Metadata request.
          admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(3, TimeUnit.SECONDS);
          if (brokers >= expected) {
            System.out.println("ready: " + brokers + " broker(s) at " + bootstrap);
            return;
          }
          last = brokers + " of " + expected + " brokers up";
        } catch (Exception e) {
          last = e.toString();
        }
        Thread.sleep(250);
      }
    }
    System.err.println("not ready after " + args[2] + " s: " + last);
    System.exit(1);
  }
}
