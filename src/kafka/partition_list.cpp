// Conversions between librdkafka's partition lists and TopicPartition vectors.
#include "kafka/handle.hpp"

namespace mib::kafka {

PartitionList to_partition_list(const std::vector<TopicPartition>& partitions) {
  PartitionList list{rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size()))};
  for (const TopicPartition& tp : partitions) {
    rd_kafka_topic_partition_list_add(list.get(), tp.topic.c_str(), tp.partition)->offset =
        tp.offset;
  }
  return list;
}

std::vector<TopicPartition> to_partitions(const rd_kafka_topic_partition_list_t* list) {
  std::vector<TopicPartition> out;
  if (list == nullptr) return out;
  out.reserve(static_cast<std::size_t>(list->cnt));
  for (int i = 0; i < list->cnt; ++i) {
    const rd_kafka_topic_partition_t& p = list->elems[i];
    out.push_back({p.topic, p.partition, p.offset});
  }
  return out;
}

}  // namespace mib::kafka
