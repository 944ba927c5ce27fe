// Transactions on the real broker, as a stream job uses them: consume-transform-produce
// exactly once across an abort, a zombie producer fenced by its successor, and a refused
// record that aborts one transaction but not the producer.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <future>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {

// Every record of `topic` that a fresh group reads at `isolation`: polls until `expected`
// arrived, then until the topic stays quiet, so that duplicates would show up too.
std::vector<mib::Message> read_all(const std::string& brokers, const std::string& topic,
                                   std::size_t expected,
                                   std::string_view isolation = "read_committed") {
  mib::Consumer reader{{{"bootstrap.servers", brokers},
                        {"group.id", mib::test::unique_name("txn-reader")},
                        {"auto.offset.reset", "earliest"},
                        {"enable.auto.commit", "false"},
                        {"isolation.level", std::string{isolation}}}};
  reader.subscribe({topic});
  std::vector<mib::Message> out;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (out.size() < expected && std::chrono::steady_clock::now() < deadline) {
    if (auto m = reader.poll(200ms); m && m->ok()) out.push_back(std::move(*m));
  }
  while (auto m = reader.poll(1s)) {
    if (m->ok()) out.push_back(std::move(*m));
  }
  return out;
}

struct PartitionProgress {
  std::int64_t committed = -1;  // the group's next offset to read
  std::int64_t end = -1;        // the partition's high watermark
};

// Where `group` stands in each partition of `topic`, asked with a plain librdkafka
// consumer that fetches the group's offsets without joining it.
std::vector<PartitionProgress> group_progress(const std::string& brokers, const std::string& group,
                                              const std::string& topic, int partitions) {
  std::array<char, 512> errstr{};
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), errstr.data(), errstr.size());
  rd_kafka_conf_set(conf, "group.id", group.c_str(), errstr.data(), errstr.size());
  const std::unique_ptr<rd_kafka_t, decltype(&rd_kafka_destroy)> rk{
      rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr.data(), errstr.size()), &rd_kafka_destroy};
  std::vector<PartitionProgress> progress(static_cast<std::size_t>(partitions));
  if (!rk) {
    ADD_FAILURE() << "cannot create a consumer: " << errstr.data();
    return progress;
  }
  const std::unique_ptr<rd_kafka_topic_partition_list_t,
                        decltype(&rd_kafka_topic_partition_list_destroy)>
      list{rd_kafka_topic_partition_list_new(partitions), &rd_kafka_topic_partition_list_destroy};
  for (int p = 0; p < partitions; ++p)
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p);
  if (const auto err = rd_kafka_committed(rk.get(), list.get(), 10'000)) {
    ADD_FAILURE() << "committed offsets of " << group << ": " << rd_kafka_err2str(err);
    return progress;
  }
  for (int i = 0; i < list->cnt; ++i) {
    const auto& tp = list->elems[i];
    auto& out = progress[static_cast<std::size_t>(tp.partition)];
    out.committed = tp.offset;
    std::int64_t low = -1;
    if (const auto err = rd_kafka_query_watermark_offsets(rk.get(), topic.c_str(), tp.partition,
                                                          &low, &out.end, 10'000)) {
      ADD_FAILURE() << "watermarks of " << topic << "[" << tp.partition
                    << "]: " << rd_kafka_err2str(err);
    }
  }
  return progress;
}

// Fills `topic` with `count` keyed records ("value-<n>", header seq=<n>) and returns
// where each landed, in record order.
std::vector<mib::TopicPartition> fill_input(const std::string& brokers, const std::string& topic,
                                            int count) {
  mib::Producer producer{{{"bootstrap.servers", brokers}, {"linger.ms", "5"}}};
  std::vector<std::future<mib::DeliveryReport>> reports;
  for (int n = 0; n < count; ++n) {
    const std::string seq = std::to_string(n);
    reports.push_back(producer.send({.topic = topic,
                                     .key = "key-" + std::to_string(n % 10),
                                     .value = "value-" + seq,
                                     .headers = {{"seq", seq}}}));
  }
  std::vector<mib::TopicPartition> placed;
  for (auto& r : reports) {
    const auto report = r.get();
    EXPECT_TRUE(report.ok()) << report.error.message();
    placed.push_back({topic, report.partition, report.offset});
  }
  return placed;
}

std::vector<std::string> values_of(const std::vector<mib::Message>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.emplace_back(m.value());
  return out;
}

std::string lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

TEST(Transactions, ConsumeTransformProduceOutputsEachInputOnceAcrossAnAbortedBatch) {
  constexpr int partitions = 3;
  constexpr int records = 1000;
  constexpr std::size_t batch_size = 100;
  constexpr int aborted_batch = 4;  // the fifth batch fails and is processed again
  const auto brokers = mib::test::test_brokers();
  const auto input = mib::test::unique_name("txn-input");
  const auto output = mib::test::unique_name("txn-output");
  mib::test::create_topic(brokers, input, partitions);
  mib::test::create_topic(brokers, output, partitions);
  const auto placed = fill_input(brokers, input, records);
  ASSERT_FALSE(HasFailure()) << "the input is not in place";

  const auto group = mib::test::unique_name("txn-job");
  // The transaction commits the group's offsets; the consumer must never commit its own.
  const mib::KafkaProperties job_consumer{{"bootstrap.servers", brokers},
                                          {"group.id", group},
                                          {"auto.offset.reset", "earliest"},
                                          {"enable.auto.commit", "false"}};
  auto consumer = std::make_unique<mib::Consumer>(job_consumer);
  consumer->subscribe({input});
  mib::Producer producer{
      {{"bootstrap.servers", brokers}, {"transactional.id", mib::test::unique_name("txn-job")}},
      {.close_timeout = 10s}};
  const auto initialised = producer.init_transactions(30s);
  ASSERT_TRUE(initialised.ok()) << initialised.message();

  int committed_records = 0;
  int committed_batches = 0;
  std::size_t aborted_records = 0;
  // The job gives up once its input has been quiet for a while (joining the group
  // included): then a skipped record shows as missing rather than as a long wait.
  auto give_up_at = std::chrono::steady_clock::now() + 30s;
  while (committed_records < records && std::chrono::steady_clock::now() < give_up_at) {
    // A batch is what arrives until it is full or the input pauses.
    std::vector<mib::Message> batch;
    while (batch.size() < batch_size && std::chrono::steady_clock::now() < give_up_at) {
      auto m = consumer->poll(200ms);
      if (!m) {
        if (batch.empty()) continue;
        break;
      }
      ASSERT_TRUE(m->ok()) << m->error().message();
      batch.push_back(std::move(*m));
      give_up_at = std::chrono::steady_clock::now() + 10s;
    }
    if (batch.empty()) continue;

    ASSERT_TRUE(producer.begin_transaction().ok());
    std::map<std::int32_t, std::int64_t> next_offset;
    std::vector<std::future<mib::DeliveryReport>> reports;
    for (const auto& m : batch) {
      const std::string seq{m.header("seq").value_or("?")};
      // Same partition as the input, so that the output keeps the input's order.
      reports.push_back(producer.send({.topic = output,
                                       .key = m.key(),
                                       .value = "processed-" + seq,
                                       .headers = {{"seq", seq}},
                                       .partition = m.partition()}));
      next_offset[m.partition()] = m.offset() + 1;
    }
    std::vector<mib::TopicPartition> offsets;
    for (const auto& [partition, offset] : next_offset)
      offsets.push_back({input, partition, offset});
    const auto offsets_sent =
        producer.send_offsets_to_transaction(offsets, consumer->group_metadata(), 30s);
    ASSERT_TRUE(offsets_sent.ok()) << offsets_sent.message();

    if (committed_batches == aborted_batch && aborted_records == 0) {
      // The job fails here: its records reach the log but are aborted, its offsets are
      // never committed, and a consumer that starts over in the group reads it again.
      // (Flushed first: an abort while records still wait to be sent can fail for good
      // with INVALID_TXN_STATE in librdkafka 2.0.2, confluentinc/librdkafka#4849.)
      ASSERT_TRUE(producer.flush(30s).ok());
      const auto aborted = producer.abort_transaction(30s);
      ASSERT_TRUE(aborted.ok()) << aborted.message();
      aborted_records = batch.size();
      consumer->close();
      consumer = std::make_unique<mib::Consumer>(job_consumer);
      consumer->subscribe({input});
      give_up_at = std::chrono::steady_clock::now() + 30s;
      continue;
    }
    const auto committed = producer.commit_transaction(30s);
    ASSERT_TRUE(committed.ok()) << committed.message();
    for (auto& r : reports) {
      const auto report = r.get();
      EXPECT_TRUE(report.ok()) << report.error.message();
    }
    committed_records += static_cast<int>(batch.size());
    ++committed_batches;
  }
  consumer->close();
  ASSERT_EQ(committed_records, records) << "the job's input ran dry before it processed it all";
  ASSERT_GT(aborted_records, 0u);

  // Each input partition, transformed, in the input's order.
  std::map<std::int32_t, std::vector<std::pair<std::int64_t, std::string>>> by_offset;
  for (int n = 0; n < records; ++n) {
    const auto& at = placed[static_cast<std::size_t>(n)];
    by_offset[at.partition].emplace_back(at.offset, "processed-" + std::to_string(n));
  }
  const auto all = static_cast<std::size_t>(records);
  const auto seen = read_all(brokers, output, all);
  EXPECT_EQ(seen.size(), all);
  std::map<std::int32_t, std::vector<std::string>> seen_by_partition;
  for (const auto& m : seen) seen_by_partition[m.partition()].emplace_back(m.value());
  for (auto& [partition, entries] : by_offset) {
    std::sort(entries.begin(), entries.end());
    std::vector<std::string> expected;
    for (auto& [offset, value] : entries) expected.push_back(std::move(value));
    const auto& got = seen_by_partition[partition];
    EXPECT_EQ(got.size(), expected.size()) << "output partition " << partition;
    const auto [want, have] =
        std::mismatch(expected.begin(), expected.end(), got.begin(), got.end());
    if (want != expected.end() && have != got.end()) {
      ADD_FAILURE() << "output partition " << partition << " record " << (want - expected.begin())
                    << ": expected " << *want << ", got " << *have;
    }
  }
  // The aborted batch did reach the log: only the transaction markers hide it.
  EXPECT_EQ(read_all(brokers, output, all + aborted_records, "read_uncommitted").size(),
            all + aborted_records);

  // The group's offsets, committed only by the transactions, stand at the input's end.
  const auto progress = group_progress(brokers, group, input, partitions);
  std::map<std::int32_t, std::int64_t> input_end;
  for (const auto& at : placed)
    input_end[at.partition] = std::max(input_end[at.partition], at.offset + 1);
  for (int p = 0; p < partitions; ++p) {
    const auto& at = progress[static_cast<std::size_t>(p)];
    EXPECT_EQ(at.end, input_end[p]) << "input partition " << p;
    EXPECT_EQ(at.committed, at.end) << "input partition " << p;
  }
}

TEST(Transactions, ASecondProducerWithTheSameTransactionalIdFencesTheFirst) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("txn-fenced");
  mib::test::create_topic(brokers, topic, 1);
  const mib::KafkaProperties same_id{{"bootstrap.servers", brokers},
                                     {"transactional.id", mib::test::unique_name("txn-fenced")}};
  mib::Producer first{same_id, {.close_timeout = 5s}};
  ASSERT_TRUE(first.init_transactions(30s).ok());
  ASSERT_TRUE(first.begin_transaction().ok());
  for (int i = 0; i < 3; ++i)
    first.send({.topic = topic, .key = "k", .value = "before-" + std::to_string(i)});
  const auto before = first.commit_transaction(30s);
  ASSERT_TRUE(before.ok()) << before.message();

  // A restarted instance of the same job takes over the transactional id ...
  mib::Producer second{same_id, {.close_timeout = 5s}};
  const auto taken_over = second.init_transactions(30s);
  ASSERT_TRUE(taken_over.ok()) << taken_over.message();

  // ... so the old one is a zombie: its next transaction fails, for good.
  std::vector<std::future<mib::DeliveryReport>> zombie;
  mib::Error fenced = first.begin_transaction();
  if (fenced.ok()) {
    for (int i = 0; i < 3; ++i)
      zombie.push_back(
          first.send({.topic = topic, .key = "k", .value = "zombie-" + std::to_string(i)}));
    fenced = first.commit_transaction(30s);
  }
  ASSERT_FALSE(fenced.ok()) << "a fenced producer committed";
  EXPECT_TRUE(fenced.fatal()) << fenced.name() << ": " << fenced.message();
  EXPECT_EQ(fenced.name(), "_FENCED") << fenced.message();
  EXPECT_NE(lowercase(fenced.message()).find("fenced"), std::string::npos) << fenced.message();
  for (auto& r : zombie) {
    ASSERT_EQ(r.wait_for(30s), std::future_status::ready);
    EXPECT_FALSE(r.get().ok());
  }
  const auto again = first.begin_transaction();
  EXPECT_TRUE(again.fatal()) << again.name() << ": " << again.message();

  ASSERT_TRUE(second.begin_transaction().ok());
  for (int i = 0; i < 3; ++i)
    second.send({.topic = topic, .key = "k", .value = "successor-" + std::to_string(i)});
  const auto successor = second.commit_transaction(30s);
  ASSERT_TRUE(successor.ok()) << successor.message();

  EXPECT_EQ(values_of(read_all(brokers, topic, 6)),
            (std::vector<std::string>{"before-0", "before-1", "before-2", "successor-0",
                                      "successor-1", "successor-2"}));
}

TEST(Transactions, ARefusedRecordAbortsItsTransactionButNotTheProducer) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("txn-refused");
  // The broker refuses record batches over 1000 bytes on this topic.
  mib::test::create_topic(brokers, topic, 1, 1, {{"max.message.bytes", "1000"}});
  mib::Producer producer{
      {{"bootstrap.servers", brokers}, {"transactional.id", mib::test::unique_name("txn-refused")}},
      {.close_timeout = 5s}};
  ASSERT_TRUE(producer.init_transactions(30s).ok());

  ASSERT_TRUE(producer.begin_transaction().ok());
  std::string big(5000, '\0');  // incompressible, so that its batch stays too large
  std::mt19937 random{42};
  for (char& c : big) c = static_cast<char>('!' + random() % 90);
  auto refused = producer.send({.topic = topic, .key = "big", .value = big});
  const auto commit = producer.commit_transaction(30s);
  ASSERT_FALSE(commit.ok()) << "a transaction with a refused record committed";
  EXPECT_TRUE(commit.abortable()) << commit.name() << ": " << commit.message();
  EXPECT_FALSE(commit.fatal()) << commit.name() << ": " << commit.message();
  EXPECT_EQ(commit.message().rfind("commit_transaction: ", 0), 0u) << commit.message();
  EXPECT_NE(commit.message().find("Message size too large"), std::string::npos) << commit.message();
  ASSERT_EQ(refused.wait_for(30s), std::future_status::ready);
  const auto report = refused.get();
  EXPECT_EQ(report.error.name(), "MSG_SIZE_TOO_LARGE") << report.error.message();
  EXPECT_FALSE(report.dead_letter) << "a transactional producer dead-lettered a record";

  // Abort and start again, as the flags say, until a transaction commits. librdkafka
  // 2.0.2 fails the next one too (skipped sequence numbers: the refused record's sequence
  // number never reached the log) and only its abort bumps the epoch that resets them.
  int attempts = 0;
  mib::Error outcome = commit;
  while (outcome.abortable() && attempts < 3) {
    ++attempts;
    const auto aborted = producer.abort_transaction(30s);
    ASSERT_TRUE(aborted.ok()) << aborted.message();
    const auto begun = producer.begin_transaction();
    ASSERT_TRUE(begun.ok()) << begun.message();
    for (int i = 0; i < 3; ++i)
      producer.send({.topic = topic, .key = "k", .value = "kept-" + std::to_string(i)});
    outcome = producer.commit_transaction(30s);
    EXPECT_TRUE(outcome.ok() || outcome.abortable()) << outcome.name() << ": " << outcome.message();
  }
  ASSERT_TRUE(outcome.ok()) << "no commit in " << attempts << " attempts: " << outcome.message();

  EXPECT_EQ(values_of(read_all(brokers, topic, 3)),
            (std::vector<std::string>{"kept-0", "kept-1", "kept-2"}));
}

TEST(Transactions, OffsetsOfAClosedConsumerAreAnErrorNotACrash) {
  const auto brokers = mib::test::test_brokers();
  mib::Producer producer{
      {{"bootstrap.servers", brokers}, {"transactional.id", mib::test::unique_name("txn-closed")}},
      {.close_timeout = 5s}};
  ASSERT_TRUE(producer.init_transactions(30s).ok());
  ASSERT_TRUE(producer.begin_transaction().ok());
  mib::Consumer consumer{{{"bootstrap.servers", brokers},
                          {"group.id", mib::test::unique_name("txn-closed")},
                          {"enable.auto.commit", "false"}}};
  consumer.close();
  const auto refused =
      producer.send_offsets_to_transaction({{"in", 0, 1}}, consumer.group_metadata(), 10s);
  EXPECT_FALSE(refused.ok());
  EXPECT_FALSE(refused.fatal()) << refused.message();
  EXPECT_EQ(refused.message().rfind("send_offsets_to_transaction: ", 0), 0u) << refused.message();
  const auto aborted = producer.abort_transaction(30s);
  EXPECT_TRUE(aborted.ok()) << aborted.message();
}
