// Reads a cluster's state with Kafka's own Java Admin client and prints it as ONE JSON
// document on stdout: the second path by which integration tests check what our admin API
// did, so that a test never checks our code with our code. Errors go to stderr, exit 1.
// Run as a single-file Java program against the broker's jars (tests/support/kafka_probe):
//   java -cp 'LIBS/*' AdminProbe.java --bootstrap HOST:PORT [--sasl-plain USER:PASSWORD] COMMAND [ARG]
//
// COMMAND and what it prints (lists sorted, so that two runs compare equal):
//   topics              {"topics":[{"name","internal"}]}
//   describe-topic T    {"name","internal","partitions":[{"partition","leader","replicas","isr"}],
//                        "configs":[{"name","value","source"}]}  (configs not at their default)
//   topic-config T      {"type":"topic","name","configs":[{"name","value","source",
//                        "is_default","read_only","sensitive"}]}
//   broker-config ID    likewise, "type":"broker"
//   cluster             {"cluster_id","controller","nodes":[{"id","host","port","rack"}]}
//   groups              {"groups":[{"group_id","state","type","protocol_type"}]}
//   describe-group G    {"group_id","state","type","protocol" (the assignor),"coordinator",
//                        "members":[{"member_id","group_instance_id","client_id","host",
//                        "assignment":[{"topic","partition"}]}]}
//   group-offsets G     {"group_id","offsets":[{"topic","partition","offset","metadata"}]}
//   log-offsets T       {"topic","partitions":[{"partition","earliest","latest"}]}
//   acls                {"acls":[{"resource_type","resource_name","pattern_type","principal",
//                        "host","operation","permission"}]}
// Enum values are Kafka's names as its tools print them (DYNAMIC_TOPIC_CONFIG, TOPIC,
// LITERAL, READ, DENY, Stable, Classic); a missing leader, rack or controller is null.
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.ConfigResource;

public class AdminProbe {
  private static final String USAGE =
      "usage: AdminProbe.java --bootstrap HOST:PORT [--sasl-plain USER:PASSWORD] COMMAND [ARG]\n"
      + "commands: topics | describe-topic T | topic-config T | broker-config ID | cluster |"
      + " groups | describe-group G | group-offsets G | log-offsets T | acls";

  public static void main(String[] args) {
    String bootstrap = null, sasl = null;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; ++i) {
      if (args[i].equals("--bootstrap") && i + 1 < args.length) bootstrap = args[++i];
      else if (args[i].equals("--sasl-plain") && i + 1 < args.length) sasl = args[++i];
      else rest.add(args[i]);
    }
    if (bootstrap == null || rest.isEmpty()) fail(USAGE);
    String command = rest.get(0);
    String arg = rest.size() > 1 ? rest.get(1) : null;
    try (Admin admin = Admin.create(clientProperties(bootstrap, sasl))) {
      System.out.println(json(run(admin, command, arg)));
    } catch (ExecutionException e) {
      // The future's cause is the broker's or the client's error; the wrapper says nothing.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      fail(command + ": " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
    } catch (Exception e) {
      fail(command + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static Properties clientProperties(String bootstrap, String sasl) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    // A dead broker or a refused login fails the probe in seconds, not Admin's 60 s.
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    if (sasl != null) {
      int colon = sasl.indexOf(':');
      if (colon < 0) fail("--sasl-plain needs USER:PASSWORD");
      props.put("security.protocol", "SASL_PLAINTEXT");
      props.put("sasl.mechanism", "PLAIN");
      props.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
          + " username=\"" + jaasEscape(sasl.substring(0, colon)) + "\" password=\""
          + jaasEscape(sasl.substring(colon + 1)) + "\";");
    }
    return props;
  }

  private static String jaasEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static Object run(Admin admin, String command, String arg) throws Exception {
    switch (command) {
      case "topics": return topics(admin);
      case "describe-topic": return describeTopic(admin, need(arg, command));
      case "topic-config": return configs(admin, ConfigResource.Type.TOPIC, need(arg, command));
      case "broker-config": return configs(admin, ConfigResource.Type.BROKER, need(arg, command));
      case "cluster": return cluster(admin);
      case "groups": return groups(admin);
      case "describe-group": return describeGroup(admin, need(arg, command));
      case "group-offsets": return groupOffsets(admin, need(arg, command));
      case "log-offsets": return logOffsets(admin, need(arg, command));
      case "acls": return acls(admin);
      default: fail("unknown command '" + command + "'\n" + USAGE); return null;
    }
  }

  private static String need(String arg, String command) {
    if (arg == null) fail(command + " needs an argument\n" + USAGE);
    return arg;
  }

  private static Object topics(Admin admin) throws Exception {
    List<Object> topics = new ArrayList<>();
    Collection<TopicListing> listings =
        admin.listTopics(new ListTopicsOptions().listInternal(true)).listings().get();
    listings.stream().sorted(Comparator.comparing(TopicListing::name)).forEach(t ->
        topics.add(object("name", t.name(), "internal", t.isInternal())));
    return object("topics", topics);
  }

  private static TopicDescription topicDescription(Admin admin, String topic) throws Exception {
    return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
  }

  private static Object describeTopic(Admin admin, String topic) throws Exception {
    TopicDescription description = topicDescription(admin, topic);
    List<Object> partitions = new ArrayList<>();
    for (TopicPartitionInfo p : description.partitions()) {
      partitions.add(object("partition", p.partition(),
          "leader", p.leader() == null || p.leader().isEmpty() ? null : p.leader().id(),
          "replicas", ids(p.replicas()), "isr", ids(p.isr())));
    }
    List<Object> configs = new ArrayList<>();
    for (ConfigEntry e : configEntries(admin, ConfigResource.Type.TOPIC, topic)) {
      if (e.source() == ConfigEntry.ConfigSource.DEFAULT_CONFIG) continue;
      configs.add(object("name", e.name(), "value", e.value(), "source", e.source().name()));
    }
    return object("name", description.name(), "internal", description.isInternal(),
        "partitions", partitions, "configs", configs);
  }

  private static List<ConfigEntry> configEntries(Admin admin, ConfigResource.Type type, String name)
      throws Exception {
    ConfigResource resource = new ConfigResource(type, name);
    Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
    List<ConfigEntry> entries = new ArrayList<>(config.entries());
    entries.sort(Comparator.comparing(ConfigEntry::name));
    return entries;
  }

  private static Object configs(Admin admin, ConfigResource.Type type, String name) throws Exception {
    List<Object> configs = new ArrayList<>();
    for (ConfigEntry e : configEntries(admin, type, name)) {
      configs.add(object("name", e.name(), "value", e.value(), "source", e.source().name(),
          "is_default", e.isDefault(), "read_only", e.isReadOnly(), "sensitive", e.isSensitive()));
    }
    return object("type", type.name().toLowerCase(), "name", name, "configs", configs);
  }

  private static Object cluster(Admin admin) throws Exception {
    DescribeClusterResult cluster = admin.describeCluster();
    Node controller = cluster.controller().get();
    List<Object> nodes = new ArrayList<>();
    cluster.nodes().get().stream().sorted(Comparator.comparingInt(Node::id)).forEach(n ->
        nodes.add(object("id", n.id(), "host", n.host(), "port", n.port(), "rack", n.rack())));
    return object("cluster_id", cluster.clusterId().get(),
        "controller", controller == null || controller.isEmpty() ? null : controller.id(),
        "nodes", nodes);
  }

  private static Object groups(Admin admin) throws Exception {
    List<Object> groups = new ArrayList<>();
    admin.listGroups().all().get().stream().sorted(Comparator.comparing(GroupListing::groupId))
        .forEach(g -> groups.add(object("group_id", g.groupId(),
            "state", g.groupState().map(Object::toString).orElse(null),
            "type", g.type().map(Object::toString).orElse(null), "protocol_type", g.protocol())));
    return object("groups", groups);
  }

  private static Object describeGroup(Admin admin, String group) throws Exception {
    ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
    List<MemberDescription> sorted = new ArrayList<>(d.members());
    sorted.sort(Comparator.comparing(MemberDescription::consumerId));
    List<Object> members = new ArrayList<>();
    for (MemberDescription m : sorted) {
      members.add(object("member_id", m.consumerId(),
          "group_instance_id", m.groupInstanceId().orElse(null), "client_id", m.clientId(),
          "host", m.host(), "assignment", partitions(m.assignment().topicPartitions())));
    }
    return object("group_id", d.groupId(), "state", String.valueOf(d.groupState()),
        "type", String.valueOf(d.type()), "protocol", d.partitionAssignor(),
        "coordinator", d.coordinator() == null ? null : d.coordinator().id(), "members", members);
  }

  private static Object groupOffsets(Admin admin, String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    List<Object> offsets = new ArrayList<>();
    committed.entrySet().stream().sorted(Map.Entry.comparingByKey(BY_PARTITION)).forEach(e ->
        offsets.add(object("topic", e.getKey().topic(), "partition", e.getKey().partition(),
            "offset", e.getValue() == null ? null : e.getValue().offset(),
            "metadata", e.getValue() == null ? null : e.getValue().metadata())));
    return object("group_id", group, "offsets", offsets);
  }

  private static Object logOffsets(Admin admin, String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>(), latest = new HashMap<>();
    for (TopicPartitionInfo p : topicDescription(admin, topic).partitions()) {
      earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
      latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
    }
    var first = admin.listOffsets(earliest).all().get();
    var last = admin.listOffsets(latest).all().get();
    List<Object> partitions = new ArrayList<>();
    first.keySet().stream().sorted(BY_PARTITION).forEach(tp ->
        partitions.add(object("partition", tp.partition(), "earliest", first.get(tp).offset(),
            "latest", last.get(tp).offset())));
    return object("topic", topic, "partitions", partitions);
  }

  private static Object acls(Admin admin) throws Exception {
    List<Map<String, Object>> acls = new ArrayList<>();
    for (AclBinding b : admin.describeAcls(AclBindingFilter.ANY).values().get()) {
      acls.add(object("resource_type", b.pattern().resourceType().name(),
          "resource_name", b.pattern().name(), "pattern_type", b.pattern().patternType().name(),
          "principal", b.entry().principal(), "host", b.entry().host(),
          "operation", b.entry().operation().name(),
          "permission", b.entry().permissionType().name()));
    }
    acls.sort(Comparator.comparing(AdminProbe::json));
    return object("acls", acls);
  }

  private static final Comparator<TopicPartition> BY_PARTITION =
      Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  private static List<Object> ids(List<Node> nodes) {
    List<Object> ids = new ArrayList<>();
    for (Node n : nodes) ids.add(n.id());
    return ids;
  }

  private static List<Object> partitions(Collection<TopicPartition> assigned) {
    List<Object> list = new ArrayList<>();
    assigned.stream().sorted(BY_PARTITION).forEach(tp ->
        list.add(object("topic", tp.topic(), "partition", tp.partition())));
    return list;
  }

  // --- JSON: objects are insertion-ordered maps, arrays lists; no library needed -------------

  private static Map<String, Object> object(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static String json(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value);
    return out.toString();
  }

  private static void write(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      String comma = "";
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(comma);
        write(out, e.getKey().toString());
        out.append(':');
        write(out, e.getValue());
        comma = ",";
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); ++i) {
        if (i > 0) out.append(',');
        write(out, list.get(i));
      }
      out.append(']');
    } else {
      out.append('"');
      for (char c : value.toString().toCharArray()) {
        switch (c) {
          case '"': out.append("\\\""); break;
          case '\\': out.append("\\\\"); break;
          case '\n': out.append("\\n"); break;
          case '\r': out.append("\\r"); break;
          case '\t': out.append("\\t"); break;
          default:
            if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
      }
      out.append('"');
    }
  }

  private static void fail(String message) {
    System.err.println("AdminProbe: " + message);
    System.exit(1);
  }
}
