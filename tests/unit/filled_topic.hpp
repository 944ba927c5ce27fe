// Test helpers for the embedded broker: a topic filled with numbered records, and
// reading their offsets back.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

namespace mib::test {

using namespace std::chrono_literals;

// A cluster with one single-partition topic holding "value-0".."value-<count-1>".
struct Filled {
  mib::EmbeddedCluster cluster;
  std::string topic = "ticks";

  explicit Filled(int count) {
    cluster.create_topic(topic, 1);
    cluster.create_topic(topic + ".dlq", 1);
    mib::Producer producer{{{"bootstrap.servers", cluster.bootstrap_servers()}}};
    for (int i = 0; i < count; ++i) {
      producer.send({.topic = topic,
                     .key = "key-" + std::to_string(i),
                     .value = "value-" + std::to_string(i),
                     .headers = {{"seq", std::to_string(i)}}},
                    nullptr);
    }
    EXPECT_TRUE(producer.flush(10s).ok());
  }

  mib::KafkaProperties properties(std::string group = "readers") const {
    return {{"bootstrap.servers", cluster.bootstrap_servers()},
            {"group.id", std::move(group)},
            {"enable.auto.commit", "false"},
            {"auto.offset.reset", "earliest"}};
  }

  mib::TopicPartition partition(std::int64_t offset = mib::offset::beginning) const {
    return {topic, 0, offset};
  }
};

// Polls until `count` records arrived (or 10 s passed); returns their offsets.
inline std::vector<std::int64_t> poll_offsets(mib::Consumer& consumer, std::size_t count) {
  std::vector<std::int64_t> offsets;
  mib::test::wait_until(
      [&] {
        while (auto m = consumer.poll(10ms)) {
          EXPECT_TRUE(m->ok()) << m->error().message();
          offsets.push_back(m->offset());
          if (offsets.size() == count) return true;
        }
        return offsets.size() >= count;
      },
      10s);
  return offsets;
}

inline std::vector<std::int64_t> sequence(std::int64_t from, std::int64_t to) {
  std::vector<std::int64_t> out;
  for (std::int64_t i = from; i < to; ++i) out.push_back(i);
  return out;
}

}  // namespace mib::test
