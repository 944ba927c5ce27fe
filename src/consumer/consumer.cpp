#include "mib/consumer/consumer.hpp"

#include "kafka/handle.hpp"

namespace mib {

struct Consumer::Impl {
  // Shared with every Message read: librdkafka's handle may only be destroyed once all
  // its messages are, so the last of them (or the consumer) releases it.
  std::shared_ptr<rd_kafka_t> handle;
  bool closed = false;

  explicit Impl(const KafkaProperties& properties) {
    if (!properties.contains("group.id")) {
      throw Exception{
          Error{errc::invalid_argument, "consumer: librdkafka property 'group.id' is required"}};
    }
    handle = kafka::make_handle(RD_KAFKA_CONSUMER, kafka::make_conf(properties));
    // Serve rebalances, errors and statistics from poll() on the consumer's thread.
    rd_kafka_poll_set_consumer(handle.get());
  }

  void close() {
    if (closed) return;
    closed = true;
    rd_kafka_consumer_close(handle.get());
    handle.reset();
  }
};

Consumer::Consumer(const KafkaProperties& properties) : impl_(std::make_unique<Impl>(properties)) {}

namespace kafka {
rd_kafka_t* consumer_handle(const Consumer& consumer) {
  return consumer.impl_->handle.get();
}
}  // namespace kafka

Consumer::Consumer(const Config& config) : Consumer(config.consumer_properties()) {}

Consumer::~Consumer() {
  if (impl_) impl_->close();
}
Consumer::Consumer(Consumer&&) noexcept = default;
Consumer& Consumer::operator=(Consumer&&) noexcept = default;

void Consumer::subscribe(const std::vector<std::string>& topics) {
  kafka::PartitionList list{rd_kafka_topic_partition_list_new(static_cast<int>(topics.size()))};
  for (const auto& topic : topics) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  }
  if (auto err = rd_kafka_subscribe(impl_->handle.get(), list.get())) {
    throw Exception{kafka::to_error(err, std::string{"subscribe: "} + rd_kafka_err2str(err))};
  }
}

std::optional<Message> Consumer::poll(std::chrono::milliseconds timeout) {
  rd_kafka_message_t* m =
      rd_kafka_consumer_poll(impl_->handle.get(), static_cast<int>(timeout.count()));
  if (m == nullptr) return std::nullopt;
  return kafka::wrap_message(m, impl_->handle);
}

std::vector<TopicPartition> Consumer::assignment() const {
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (auto err = rd_kafka_assignment(impl_->handle.get(), &raw)) {
    throw Exception{kafka::to_error(err, std::string{"assignment: "} + rd_kafka_err2str(err))};
  }
  kafka::PartitionList list{raw};
  std::vector<TopicPartition> out;
  out.reserve(static_cast<std::size_t>(list->cnt));
  for (int i = 0; i < list->cnt; ++i) {
    const auto& p = list->elems[i];
    out.push_back({p.topic, p.partition, p.offset});
  }
  return out;
}

Error Consumer::commit() {
  const auto err = rd_kafka_commit(impl_->handle.get(), nullptr, 0);
  if (err == RD_KAFKA_RESP_ERR__NO_OFFSET) return {};  // nothing consumed since last time
  return kafka::to_error(err, err ? std::string{"commit: "} + rd_kafka_err2str(err) : "");
}

void Consumer::close() {
  impl_->close();
}

}  // namespace mib
