// Every public aggregate with its first member given and the rest left out, as designated
// initializers naming only some members do: under -Wextra (-Wmissing-field-initializers)
// GCC 12 warns for each member left out that has no default member initializer, and
// -Werror makes that an error. A new member without one fails here first.
#include <mib/mib.hpp>

#include <type_traits>

namespace {

template <typename T>
void first_member_only_of() {
  static_assert(std::is_aggregate_v<T>);
  [[maybe_unused]] const T value{{}};
}

template <typename... T>
void first_member_only() {
  (first_member_only_of<T>(), ...);
}

}  // namespace

void check_public_aggregates() {
  first_member_only<mib::Header, mib::TopicPartition, mib::DeliveryReport, mib::Record,
                    mib::RetryPolicy, mib::ProducerOptions, mib::ProducerMetrics,
                    mib::ProducerPoolOptions, mib::PoolMemberStats, mib::ProducerPoolStats>();
  first_member_only<mib::ConsumerOptions, mib::RebalanceListener, mib::ErrorPolicy,
                    mib::ConsumerMetrics, mib::Consumer::Watermarks, mib::PartitionLag,
                    mib::LatencyHistogram::Snapshot>();
  first_member_only<mib::HealthReport, mib::ConnectionStatus, mib::BrokerInfo, mib::PartitionInfo,
                    mib::TopicInfo, mib::ClusterMetadata>();
  first_member_only<mib::BrokersConfig, mib::SaslConfig, mib::SslConfig, mib::SecurityConfig,
                    mib::ClientConfig, mib::ProducerConfig, mib::ConsumerConfig, mib::TopicSettings,
                    mib::TopicsConfig, mib::StreamsConfig, mib::GlobalConfig, mib::LibrdkafkaConfig,
                    mib::EffectiveSetting, mib::ConfigSource, mib::ConfigIssue, mib::MarketData>();
  first_member_only<mib::log::Record>();
}
