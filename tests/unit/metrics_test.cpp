// The metrics registry: names, merging, histograms, snapshots, and an exposition that
// Prometheus' own promtool accepts.
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "kafka/statistics.hpp"
#include "kafka/statistics_metrics.hpp"
#include "mib/error.hpp"
#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

namespace {

using mib::metrics::Collection;
using mib::metrics::Registry;

// promtool check metrics on `text`: its exit code and what it said.
mib::test::CommandRun promtool_check(const std::string& text) {
  const std::string path = "/tmp/" + mib::test::unique_name("exposition") + ".prom";
  std::ofstream{path} << text;
  auto run = mib::test::run_command("promtool check metrics < " + path + " 2>&1");
  std::remove(path.c_str());
  return run;
}

// `word` in `text` as a whole name: not part of a longer metric name.
bool has_word(const std::string& text, const std::string& word) {
  const auto name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  };
  for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const bool starts = at == 0 || !name_char(text[at - 1]);
    const bool ends = at + word.size() == text.size() || !name_char(text[at + word.size()]);
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

TEST(Metrics, NamesCarryTheNamespaceOrNone) {
  Registry r;
  auto c = r.counter("orders_seen_total", "Orders seen.");
  c.increment(3);
  EXPECT_EQ(r.snapshot().value("market_intel_orders_seen_total"), 3);
  r.set_namespace("desk7");
  EXPECT_EQ(r.snapshot().value("desk7_orders_seen_total"), 3);
  EXPECT_FALSE(r.snapshot().value("market_intel_orders_seen_total"));
  r.set_namespace("");
  EXPECT_EQ(r.snapshot().value("orders_seen_total"), 3);
}

TEST(Metrics, InvalidNamesAreRefusedNamingThem) {
  Registry r;
  try {
    r.set_namespace("9desk");
    FAIL() << "a namespace starting with a digit was accepted";
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find("'9desk'"), std::string::npos) << e.what();
  }
  try {
    (void)r.counter("orders-seen", "x");
    FAIL() << "a name with '-' was accepted";
  } catch (const mib::Exception& e) {
    EXPECT_NE(std::string{e.what()}.find("'orders-seen'"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)r.gauge("ok_name", "x", {{"bad-label", "v"}}), mib::Exception);
  EXPECT_THROW((void)r.histogram("h_seconds", "x", {0.1, 0.1}), mib::Exception);
}

TEST(Metrics, TwoCollectorsOfOneFamilyGiveOneFamilyWithTwoSeries) {
  Registry r;
  auto a = r.add([](Collection& out) {
    out.counter("producer_messages_sent_total", "Sent.", {{"client", "p#1"}}, 5);
  });
  auto b = r.add([](Collection& out) {
    out.counter("producer_messages_sent_total", "Sent.", {{"client", "p#2"}}, 7);
  });
  const auto snapshot = r.snapshot();
  const auto* family = snapshot.find("market_intel_producer_messages_sent_total");
  ASSERT_NE(family, nullptr);
  EXPECT_EQ(family->series.size(), 2u);
  EXPECT_EQ(snapshot.value("market_intel_producer_messages_sent_total"), 12);
  EXPECT_EQ(snapshot.value("market_intel_producer_messages_sent_total", {{"client", "p#2"}}), 7);
  const std::string text = snapshot.text();
  EXPECT_EQ(text.find("# TYPE market_intel_producer_messages_sent_total"),
            text.rfind("# TYPE market_intel_producer_messages_sent_total"))
      << "the family was written twice:\n"
      << text;
  a.reset();
  EXPECT_EQ(r.snapshot().value("market_intel_producer_messages_sent_total"), 7);
}

TEST(Metrics, LatencyHistogramBecomesCumulativeBucketsInSeconds) {
  mib::LatencyHistogram h;
  h.record(std::chrono::microseconds{40});   // <= 50 us
  h.record(std::chrono::microseconds{700});  // <= 1 ms
  h.record(std::chrono::milliseconds{30});   // <= 50 ms
  h.record(std::chrono::seconds{20});        // above 10 s
  Registry r;
  auto reg = r.add([&](Collection& out) {
    out.histogram("producer_send_duration_seconds", "Send time.", {{"client", "p#1"}},
                  h.snapshot());
  });
  const auto snapshot = r.snapshot();
  const auto* family = snapshot.find("market_intel_producer_send_duration_seconds");
  ASSERT_NE(family, nullptr);
  const auto& series = family->series.at(0);
  EXPECT_EQ(series.count, 4u);
  EXPECT_NEAR(series.sum, 20.03074, 1e-9);
  ASSERT_EQ(series.buckets.size(), mib::LatencyHistogram::bucket_bounds_us.size() + 1);
  EXPECT_DOUBLE_EQ(series.buckets[0].upper_bound, 0.00005);
  EXPECT_EQ(series.buckets[0].cumulative_count, 1u);
  EXPECT_EQ(series.buckets[4].cumulative_count, 2u);   // le 0.001
  EXPECT_EQ(series.buckets[9].cumulative_count, 3u);   // le 0.05
  EXPECT_EQ(series.buckets[15].cumulative_count, 3u);  // le 10
  EXPECT_TRUE(std::isinf(series.buckets.back().upper_bound));
  EXPECT_EQ(series.buckets.back().cumulative_count, 4u);
  EXPECT_EQ(snapshot.value("market_intel_producer_send_duration_seconds_count"), 4);
  EXPECT_NE(snapshot.text().find(
                "market_intel_producer_send_duration_seconds_bucket{client=\"p#1\",le=\"+Inf\"} 4"),
            std::string::npos)
      << snapshot.text();
}

TEST(Metrics, AFailingOrConflictingCollectorDoesNotBreakTheScrape) {
  Registry r;
  auto good = r.add([](Collection& out) { out.gauge("queue_depth", "Depth.", {}, 3); });
  auto throws = r.add([](Collection&) -> void { throw std::runtime_error{"boom"}; });
  auto conflicting = r.add([](Collection& out) { out.counter("queue_depth", "Depth.", {}, 9); });
  const auto snapshot = r.snapshot();
  EXPECT_EQ(snapshot.value("market_intel_queue_depth"), 3);
  EXPECT_EQ(promtool_check(snapshot.text()).exit_code, 0);
}

TEST(Metrics, ApplicationMetricsJoinTheSameRegistry) {
  Registry r;
  auto fills = r.counter("desk_fills_total", "Fills booked.", {{"desk", "fx"}});
  auto open = r.gauge("desk_open_orders", "Open orders.");
  auto latency = r.histogram("desk_pricing_seconds", "Pricing time.", {0.001, 0.01, 0.1});
  fills.increment();
  fills.increment(2);
  open.set(5);
  open.decrement();
  latency.observe(0.005);
  latency.observe(0.5);
  auto library =
      r.add([](Collection& out) { out.gauge("producer_in_flight_messages", "x", {}, 1); });
  const auto snapshot = r.snapshot();
  EXPECT_EQ(snapshot.value("market_intel_desk_fills_total", {{"desk", "fx"}}), 3);
  EXPECT_EQ(snapshot.value("market_intel_desk_open_orders"), 4);
  EXPECT_EQ(snapshot.value("market_intel_desk_pricing_seconds_count"), 2);
  EXPECT_EQ(snapshot.value("market_intel_producer_in_flight_messages"), 1);
  EXPECT_EQ(fills.value(), 3);
}

TEST(Metrics, PromtoolAcceptsTheLibrarysFamilies) {
  // Every family the library exports, from a producer's and a consumer's statistics and
  // counters, through Prometheus' own linter.
  Registry r;
  mib::kafka::StatisticsMetrics producer{mib::kafka::StatisticsMetrics::Kind::producer};
  mib::kafka::StatisticsMetrics consumer{mib::kafka::StatisticsMetrics::Kind::consumer};
  const char* stats = R"({"name":"p#1","msg_cnt":3,"msg_size":300,
    "brokers":{"127.0.0.1:9092/1":{"nodeid":1,"source":"learned","state":"UP","txbytes":50,
      "outbuf_cnt":0,"waitresp_cnt":1,"rtt":{"avg":300,"p99":900,"cnt":4}}},
    "topics":{"quotes":{"batchsize":{"avg":1200,"p99":4000,"cnt":2},"partitions":{
      "0":{"partition":0,"txbytes":100,"fetchq_cnt":2,"consumer_lag":7}}}}})";
  producer.update(*mib::kafka::parse_statistics(stats));
  consumer.update(*mib::kafka::parse_statistics(stats));
  auto a = r.add([&](Collection& out) {
    producer.collect(out, "p#1");
    consumer.collect(out, "c#1");
  });
  const auto snapshot = r.snapshot();
  EXPECT_EQ(snapshot.value("market_intel_kafka_broker_up", {{"client", "p#1"}}), 1);
  EXPECT_DOUBLE_EQ(
      *snapshot.value("market_intel_kafka_broker_rtt_p99_seconds", {{"client", "p#1"}}), 0.0009);
  EXPECT_EQ(snapshot.value("market_intel_producer_queue_messages"), 3);
  EXPECT_EQ(snapshot.value("market_intel_producer_batch_size_avg_bytes", {{"topic", "quotes"}}),
            1200);
  EXPECT_DOUBLE_EQ(*snapshot.value("market_intel_producer_compression_ratio"), 0.5);
  EXPECT_EQ(snapshot.value("market_intel_consumer_committed_lag",
                           {{"client", "c#1"}, {"topic", "quotes"}, {"partition", "0"}}),
            7);
  const auto check = promtool_check(snapshot.text());
  EXPECT_EQ(check.exit_code, 0) << check.output << "\n" << snapshot.text();
  EXPECT_FALSE(snapshot.text().empty());
}

TEST(Metrics, TheProcessRegistryCarriesBuildInfo) {
  const auto snapshot = mib::metrics::registry().snapshot();
  EXPECT_EQ(snapshot.value("market_intel_build_info"), 1);
  const auto check = promtool_check(snapshot.text());
  EXPECT_EQ(check.exit_code, 0) << check.output;
}

TEST(Metrics, PromtoolAcceptsEveryHandlesFamilies) {
  // A producer, a consumer, a processing loop and an admin handle on the embedded broker,
  // with statistics on: the whole exposition through Prometheus' own linter.
  mib::EmbeddedCluster cluster;
  cluster.create_topic("quotes", 2);
  mib::Config config;
  config.set("brokers.addresses", cluster.bootstrap_servers());
  config.set("global.statistics_interval", "1s");
  config.set("consumer.group_id", "promtool");
  config.set("consumer.auto_offset_reset", "earliest");
  mib::Producer producer{config};
  for (int i = 0; i < 100; ++i) producer.send({.topic = "quotes", .key = "AAPL", .value = "1"}, {});
  ASSERT_TRUE(producer.flush(std::chrono::seconds{10}).ok());
  mib::Consumer consumer{config};
  consumer.subscribe({"quotes"});
  mib::Processor processor{consumer, producer};
  mib::Config admin_config = config;
  admin_config.set("client.request_timeout", "1s");  // the embedded broker has no controller
  mib::Admin admin{admin_config};
  EXPECT_THROW(admin.delete_topic("quotes"), mib::Exception);
  const auto snapshot = [] { return mib::metrics::registry().snapshot(); };
  ASSERT_TRUE(mib::test::wait_until(
      [&] {
        consumer.poll(std::chrono::milliseconds{100});
        const auto s = snapshot();
        return s.value("market_intel_consumer_messages_received_total").value_or(0) > 0 &&
               s.find("market_intel_kafka_broker_up") && s.find("market_intel_consumer_lag") &&
               s.find("market_intel_producer_compression_ratio");
      },
      std::chrono::seconds{20}));
  const auto now = snapshot();
  for (const char* family :
       {"market_intel_producer_messages_sent_total", "market_intel_producer_send_duration_seconds",
        "market_intel_consumer_poll_duration_seconds",
        "market_intel_stream_records_processed_total",
        "market_intel_consumer_process_duration_seconds", "market_intel_admin_operations_total",
        "market_intel_build_info"}) {
    EXPECT_TRUE(now.find(family)) << family;
  }
  EXPECT_EQ(now.value("market_intel_producer_messages_sent_total", {{"client", producer.name()}}),
            100);
  EXPECT_EQ(now.value("market_intel_producer_messages_sent_total",
                      {{"client", producer.name()}, {"topic", "quotes"}}),
            100);
  EXPECT_EQ(now.value("market_intel_consumer_messages_received_total",
                      {{"client", consumer.name()}, {"topic", "quotes"}}),
            static_cast<double>(consumer.metrics().messages_received_total));
  const auto check = promtool_check(now.text());
  EXPECT_EQ(check.exit_code, 0) << check.output << "\n" << now.text();

  // Every family exported is documented, and known to the check of the rules and the
  // dashboard, which would otherwise pass while a renamed metric breaks them.
  const auto read = [](const std::string& path) {
    std::ifstream in{std::string{MIB_SOURCE_DIR} + "/" + path};
    return std::string{std::istreambuf_iterator<char>{in}, {}};
  };
  const std::string docs = read("docs/observability.md");
  const std::string rules_check = read("tests/observability/check_rules");
  ASSERT_FALSE(docs.empty());
  ASSERT_FALSE(rules_check.empty());
  for (const auto& family : now.families()) {
    const std::string name = family.name.substr(std::string{"market_intel_"}.size());
    EXPECT_NE(docs.find("`" + name + "`"), std::string::npos)
        << name << " is not in docs/observability.md";
    EXPECT_TRUE(has_word(rules_check, name))
        << name << " is not in tests/observability/check_rules' list";
  }
}

TEST(Metrics, SizeHistogramBecomesBucketsInBytes) {
  mib::SizeHistogram sizes;
  sizes.record(10);         // <= 64 B
  sizes.record(64);         // <= 64 B: a bound belongs to its bucket, as Prometheus' le
  sizes.record(3'000);      // <= 4 KiB
  sizes.record(2'000'000);  // above 1 MiB
  Registry r;
  auto reg = r.add([&](Collection& out) {
    out.histogram("producer_record_size_bytes", "Sizes.", {{"client", "p#1"}}, sizes.snapshot());
  });
  const auto snapshot = r.snapshot();
  const auto* family = snapshot.find("market_intel_producer_record_size_bytes");
  ASSERT_NE(family, nullptr);
  const auto& s = family->series.at(0);
  EXPECT_EQ(s.count, 4u);
  EXPECT_EQ(s.sum, 2'003'074);
  ASSERT_EQ(s.buckets.size(), 9u);
  EXPECT_EQ(s.buckets[0].upper_bound, 64);
  EXPECT_EQ(s.buckets[0].cumulative_count, 2u);
  EXPECT_EQ(s.buckets[3].cumulative_count, 3u);  // le 4096
  EXPECT_EQ(s.buckets[7].cumulative_count, 3u);  // le 1 MiB
  EXPECT_EQ(s.buckets[8].cumulative_count, 4u);  // +Inf
}

// The polling thread's way of recording counts the same as record().
TEST(Metrics, RecordingFromOneThreadCountsLikeRecord) {
  mib::SizeHistogram shared, owned;
  mib::LatencyHistogram shared_time, owned_time;
  for (const std::size_t bytes : {10u, 64u, 65u, 3'000u, 2'000'000u}) {
    shared.record(bytes);
    owned.record_from_one_thread(bytes);
    shared_time.record(std::chrono::microseconds{bytes});
    owned_time.record_from_one_thread(std::chrono::microseconds{bytes});
  }
  EXPECT_EQ(owned.snapshot().counts, shared.snapshot().counts);
  EXPECT_EQ(owned.snapshot().sum_bytes, 2'003'139);
  EXPECT_EQ(owned_time.snapshot().counts, shared_time.snapshot().counts);
  EXPECT_EQ(owned_time.snapshot().count, 5u);
  EXPECT_DOUBLE_EQ(owned_time.snapshot().sum_seconds, shared_time.snapshot().sum_seconds);
}
