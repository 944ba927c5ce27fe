#include "support/test_cluster.hpp"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <thread>
#include <vector>

namespace mib::test {

namespace {

const char* non_empty_env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

// scripts/kafka's MIB_KAFKA_PORT_BASE: every port of its clusters moves with it.
int kafka_port_base() {
  const char* base = non_empty_env("MIB_KAFKA_PORT_BASE");
  return base != nullptr ? std::atoi(base) : 9092;
}

}  // namespace

std::string test_brokers() {
  if (const char* env = non_empty_env("MIB_TEST_BROKERS")) return env;
  return "127.0.0.1:" + std::to_string(kafka_port_base());
}

std::string test_registry() {
  if (const char* env = non_empty_env("MIB_TEST_REGISTRY")) return env;
  const char* port = non_empty_env("MIB_REGISTRY_PORT");
  return concat("http://127.0.0.1:", port != nullptr ? port : "8081", "/apis/ccompat/v7");
}

std::string fault_brokers() {
  if (const char* env = non_empty_env("MIB_TEST_FAULT_BROKERS")) return env;
  std::string list;
  for (int node = 0; node < 3; ++node) {
    list +=
        concat(node == 0 ? "" : ",", "127.0.0.1:", std::to_string(kafka_port_base() + 100 + node));
  }
  return list;
}

std::string acl_brokers() {
  if (const char* env = non_empty_env("MIB_TEST_ACL_BROKERS")) return env;
  return "127.0.0.1:" + std::to_string(kafka_port_base() + 400);
}

std::string secure_brokers() {
  if (const char* env = non_empty_env("MIB_TEST_SECURE_BROKERS")) return env;
  return "127.0.0.1:" + std::to_string(kafka_port_base() + 500);
}

KafkaProperties sasl_plain_properties(const SaslUser& user) {
  return {{"security.protocol", "sasl_plaintext"},
          {"sasl.mechanisms", "PLAIN"},
          {"sasl.username", std::string{user.username}},
          {"sasl.password", std::string{user.password}}};
}

Config acl_config(const SaslUser& user) {
  Config config;
  config.set("brokers.addresses", acl_brokers());
  config.set("security.security_protocol", "SaslPlaintext");
  config.set("security.sasl.mechanism", "Plain");
  config.set("security.sasl.username", user.username);
  config.set("security.sasl.password", user.password);
  return config;
}

std::string unique_name(std::string_view prefix) {
  static std::atomic<int> counter{0};
  std::random_device device;
  return std::string{prefix} + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
         "-" + std::to_string(device() % 100000);
}

CommandRun run_command(const std::string& command) {
  CommandRun run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) run.output += buffer.data();
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  return true;
}

namespace {

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};

using Handle = std::unique_ptr<rd_kafka_t, KafkaDeleter>;

Handle make_admin_handle(const std::string& brokers, const KafkaProperties& properties = {}) {
  std::array<char, 512> errstr{};
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), errstr.data(), errstr.size());
  for (const auto& [name, value] : properties) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), errstr.data(), errstr.size()) !=
        RD_KAFKA_CONF_OK) {
      ADD_FAILURE() << "client property " << name << ": " << errstr.data();
    }
  }
  Handle rk{rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr.data(), errstr.size())};
  if (!rk) ADD_FAILURE() << "cannot create a client for " << brokers << ": " << errstr.data();
  return rk;
}

// Leaders of each partition of `topic` (-1 where none), empty if the topic is unknown.
std::vector<int> partition_leaders(rd_kafka_t* rk, const std::string& topic) {
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const auto err = rd_kafka_metadata(rk, 0, rkt, &md, 5000);
  rd_kafka_topic_destroy(rkt);
  std::vector<int> leaders;
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return leaders;
  if (md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    for (int i = 0; i < md->topics[0].partition_cnt; ++i) {
      leaders.push_back(md->topics[0].partitions[i].leader);
    }
  }
  rd_kafka_metadata_destroy(md);
  return leaders;
}

bool all_partitions_led(rd_kafka_t* rk, const std::string& topic, int partitions) {
  const auto leaders = partition_leaders(rk, topic);
  return static_cast<int>(leaders.size()) == partitions &&
         std::none_of(leaders.begin(), leaders.end(), [](int id) { return id < 0; });
}

}  // namespace

void create_topic(const std::string& brokers, const std::string& topic, int partitions,
                  int replication_factor, const std::map<std::string, std::string>& topic_config,
                  const KafkaProperties& client_properties) {
  std::array<char, 512> errstr{};
  Handle rk = make_admin_handle(brokers, client_properties);
  ASSERT_NE(rk, nullptr);

  rd_kafka_NewTopic_t* new_topic = rd_kafka_NewTopic_new(
      topic.c_str(), partitions, replication_factor, errstr.data(), errstr.size());
  ASSERT_NE(new_topic, nullptr) << errstr.data();
  for (const auto& [name, value] : topic_config) {
    ASSERT_EQ(rd_kafka_NewTopic_set_config(new_topic, name.c_str(), value.c_str()),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk.get());
  rd_kafka_CreateTopics(rk.get(), &new_topic, 1, nullptr, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 30000);
  ASSERT_NE(event, nullptr) << "CreateTopics timed out for " << topic;
  const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event);
  size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(result, &count);
  ASSERT_EQ(count, 1u);
  EXPECT_EQ(rd_kafka_topic_result_error(results[0]), RD_KAFKA_RESP_ERR_NO_ERROR)
      << "create topic " << topic << ": " << rd_kafka_topic_result_error_string(results[0]);
  rd_kafka_event_destroy(event);
  rd_kafka_queue_destroy(queue);
  rd_kafka_NewTopic_destroy(new_topic);

  EXPECT_TRUE(wait_until([&] { return all_partitions_led(rk.get(), topic, partitions); },
                         std::chrono::seconds{30}))
      << "topic " << topic << " has no leader for every partition";
}

}  // namespace mib::test

namespace mib::test {

int partition_leader(const std::string& brokers, const std::string& topic, int partition) {
  Handle rk = make_admin_handle(brokers);
  if (!rk) return -1;
  const auto leaders = partition_leaders(rk.get(), topic);
  return partition < static_cast<int>(leaders.size()) ? leaders[static_cast<std::size_t>(partition)]
                                                      : -1;
}

}  // namespace mib::test
