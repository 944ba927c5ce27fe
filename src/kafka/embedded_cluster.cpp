#include "mib/kafka/embedded_cluster.hpp"

// rdkafka_mock.h requires rdkafka.h first.
#include "kafka/handle.hpp"
// clang-format off
#include <librdkafka/rdkafka_mock.h>
// clang-format on

namespace mib {

struct EmbeddedCluster::Impl {
  kafka::KafkaHandle owner;  // the mock cluster lives inside this handle's threads
  rd_kafka_mock_cluster_t* cluster = nullptr;
  std::string bootstrap;
  int brokers = 0;

  ~Impl() {
    if (cluster != nullptr) rd_kafka_mock_cluster_destroy(cluster);
  }
};

EmbeddedCluster::EmbeddedCluster(int brokers) : impl_(std::make_unique<Impl>()) {
  if (brokers < 1) {
    throw Exception{
        Error{errc::invalid_argument,
              "embedded cluster: broker count must be at least 1, got " + std::to_string(brokers)}};
  }
  // The owning handle never connects anywhere; silence its "no bootstrap" notice.
  impl_->owner = kafka::make_handle(RD_KAFKA_PRODUCER, kafka::make_conf({{"log_level", "0"}}));
  impl_->cluster = rd_kafka_mock_cluster_new(impl_->owner.get(), brokers);
  if (impl_->cluster == nullptr) {
    throw Exception{Error{errc::invalid_argument, "embedded cluster: could not start " +
                                                      std::to_string(brokers) + " brokers"}};
  }
  impl_->bootstrap = rd_kafka_mock_cluster_bootstraps(impl_->cluster);
  impl_->brokers = brokers;
}

EmbeddedCluster::~EmbeddedCluster() = default;

const std::string& EmbeddedCluster::bootstrap_servers() const noexcept {
  return impl_->bootstrap;
}

int EmbeddedCluster::broker_count() const noexcept {
  return impl_->brokers;
}

void EmbeddedCluster::create_topic(std::string_view name, int partitions, int replication_factor) {
  const std::string topic{name};
  if (auto err = rd_kafka_mock_topic_create(impl_->cluster, topic.c_str(), partitions,
                                            replication_factor)) {
    throw Exception{kafka::to_error(
        err, "embedded cluster: cannot create topic '" + topic + "': " + rd_kafka_err2str(err))};
  }
}

}  // namespace mib

namespace mib {

void EmbeddedCluster::fail_next_requests(std::int16_t api_key, const std::vector<int>& codes) {
  std::vector<rd_kafka_resp_err_t> errors;
  errors.reserve(codes.size());
  for (int code : codes) errors.push_back(static_cast<rd_kafka_resp_err_t>(code));
  rd_kafka_mock_push_request_errors_array(impl_->cluster, api_key, errors.size(), errors.data());
}

}  // namespace mib
