// Observability on the real broker: a real Prometheus scrapes /metrics and counts what
// was sent; lag metrics match known offsets; no family grows a series per key; and the
// CLI serves metrics and health while the demo runs.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "mib/mib.hpp"
#include "support/prometheus_server.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {

mib::Config broker_config() {
  mib::Config config;
  config.set("brokers.addresses", mib::test::test_brokers());
  config.set("global.statistics_interval", "1s");
  return config;
}

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

}  // namespace

TEST(Observability, PrometheusScrapesWhatTheProducerSent) {
  const std::string topic = mib::test::unique_name("obs.scrape");
  mib::test::create_topic(mib::test::test_brokers(), topic, 3);
  mib::metrics::HttpServer http{{.metrics_port = 0, .health_port = std::nullopt}};
  mib::test::PrometheusServer prometheus{
      {.targets = {"127.0.0.1:" + std::to_string(*http.metrics_port())}}};
  ASSERT_TRUE(prometheus.wait_targets_up(30s)) << prometheus.last_error();

  mib::Producer producer{broker_config()};
  constexpr int sent = 1000;
  for (int i = 0; i < sent; ++i) {
    producer.send({.topic = topic, .key = "k" + std::to_string(i % 10), .value = "v"},
                  [](const mib::DeliveryReport& r) { EXPECT_TRUE(r.ok()) << r.error.message(); });
  }
  ASSERT_TRUE(producer.flush(30s).ok());
  const std::string series =
      "market_intel_producer_messages_sent_total{client=" + quoted(producer.name()) + "}";
  EXPECT_EQ(prometheus.wait_for_value("sum(" + series + ")", sent, 30s), sent)
      << prometheus.last_error();
  EXPECT_EQ(prometheus.query("up"), 1);
  // What Prometheus stored is what the registry says.
  EXPECT_EQ(mib::metrics::registry().snapshot().value("market_intel_producer_messages_sent_total",
                                                      {{"client", producer.name()}}),
            sent);
  EXPECT_EQ(producer.metrics().messages_sent_total, static_cast<std::uint64_t>(sent));
  const auto check = mib::test::run_command("curl -s " + http.metrics_url() +
                                            " | promtool check metrics 2>&1; echo rc=$?");
  EXPECT_NE(check.output.find("rc=0"), std::string::npos) << check.output;
}

TEST(Observability, LagMetricsMatchKnownOffsets) {
  const std::string topic = mib::test::unique_name("obs.lag");
  const std::string group = mib::test::unique_name("obs.lag.group");
  mib::test::create_topic(mib::test::test_brokers(), topic, 1);
  {
    mib::Producer producer{broker_config()};
    for (int i = 0; i < 100; ++i) producer.send({.topic = topic, .value = std::to_string(i)}, {});
    ASSERT_TRUE(producer.flush(30s).ok());
  }
  mib::Config config = broker_config();
  config.set("consumer.group_id", group);
  config.set("consumer.enable_auto_commit", "false");
  config.set("consumer.auto_offset_reset", "earliest");
  mib::Consumer consumer{config};
  consumer.assign({{.topic = topic, .partition = 0, .offset = 0}});
  int polled = 0;
  ASSERT_TRUE(mib::test::wait_until(
      [&] {
        while (polled < 40) {
          auto m = consumer.poll(50ms);
          if (!m) return false;
          EXPECT_TRUE(m->ok()) << m->error().message();
          ++polled;
        }
        return true;
      },
      20s));
  const mib::metrics::Labels partition0{
      {"client", consumer.name()}, {"topic", topic}, {"partition", "0"}};
  EXPECT_EQ(mib::metrics::registry().snapshot().value("market_intel_consumer_lag", partition0), 60);
  const auto asked = consumer.lag(10s);
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].lag, 60);

  // Committed: the statistics' committed lag and the group's lag as the Admin sees it.
  ASSERT_TRUE(consumer.commit().ok());
  std::optional<double> committed_lag;
  EXPECT_TRUE(mib::test::wait_until(
      [&] {
        consumer.poll(100ms);  // the consumer's statistics are served by its polls
        committed_lag = mib::metrics::registry().snapshot().value(
            "market_intel_consumer_committed_lag", partition0);
        return committed_lag == 60;
      },
      15s))
      << "consumer_committed_lag " << committed_lag.value_or(-1);
  mib::Admin admin{broker_config()};
  EXPECT_EQ(admin.group_lag(group).total(), 60);
}

TEST(Observability, NoFamilyGrowsASeriesPerKey) {
  const std::string topic = mib::test::unique_name("obs.keys");
  mib::test::create_topic(mib::test::test_brokers(), topic, 3);
  std::set<std::string> keys;
  {
    mib::Producer producer{broker_config()};
    for (int i = 0; i < 10'000; ++i) {
      std::string key = "SYM" + std::to_string(i % 1000);
      producer.send({.topic = topic, .key = key, .value = "px"}, {});
      keys.insert(std::move(key));
    }
    ASSERT_TRUE(producer.flush(30s).ok());
    mib::Config config = broker_config();
    config.set("consumer.group_id", mib::test::unique_name("obs.keys.group"));
    config.set("consumer.auto_offset_reset", "earliest");
    mib::Consumer consumer{config};
    consumer.subscribe({topic});
    std::size_t received = 0;
    ASSERT_TRUE(mib::test::wait_until(
        [&] {
          for (const auto& m : consumer.poll_batch(100ms)) received += m.ok() ? 1 : 0;
          return received >= 10'000;
        },
        60s));
    // Both handles are alive: their families are in the snapshot.
    const auto snapshot = mib::metrics::registry().snapshot();
    ASSERT_TRUE(snapshot.find("market_intel_consumer_lag"));
    ASSERT_TRUE(snapshot.find("market_intel_producer_messages_sent_total"));
    for (const auto& family : snapshot.families()) {
      // One producer and one consumer, one topic of three partitions, one broker: no
      // family needs more series than that (admin operations aside, bounded by kind).
      EXPECT_LE(family.series.size(), 6u) << family.name;
      for (const auto& series : family.series) {
        for (const auto& label : series.labels) {
          EXPECT_FALSE(keys.contains(label.value)) << family.name << " has a key as " << label.name;
        }
      }
    }
  }
}

TEST(Observability, TheDemoServesMetricsAndHealthWhileItRuns) {
  // A user's check: run the demo on the real broker, curl its endpoints while it runs.
  const std::string topic = mib::test::unique_name("obs.demo");
  mib::test::create_topic(mib::test::test_brokers(), topic, 3);
  const std::string script =
      std::string{R"sh(
    d=$(mktemp -d)
    )sh"} +
      MIB_STREAM_BINARY + " demo -b " + mib::test::test_brokers() + " -t " + topic +
      R"sh( --duration 25s --rate 2000 --metrics-port 0 --health-port 0 >$d/out 2>$d/err &
    pid=$!
    for i in $(seq 100); do grep -q 'readiness at' $d/err && break; sleep 0.1; done
    metrics=$(grep -o 'http://[^ ]*/metrics' $d/err)
    health=$(grep -o 'health at http://[^ ,]*' $d/err | cut -d' ' -f3)
    ready=$(grep -o 'readiness at http://[^ ]*' $d/err | cut -d' ' -f3)
    # Ready once the producer reaches the broker and the consumer has its partitions.
    for i in $(seq 200); do [ "$(curl -s -o /dev/null -w '%{http_code}' $ready)" = 200 ] && break; sleep 0.1; done
    for i in $(seq 120); do
      body=$(curl -s $metrics)
      sent=$(echo "$body" | awk '/^market_intel_producer_messages_sent_total/ {print $2}')
      received=$(echo "$body" | awk '/^market_intel_consumer_messages_received_total/ {print $2}')
      [ "${sent:-0}" != 0 ] && [ "${received:-0}" != 0 ] && break
      sleep 0.1
    done
    echo "sent=${sent:-none} received=${received:-none}"
    echo "health=$(curl -s -o /dev/null -w '%{http_code}' $health)"
    echo "ready=$(curl -s -o /dev/null -w '%{http_code}' $ready)"
    wait $pid; echo "exit=$?"
    cat $d/err | head -5; rm -rf $d
  )sh";
  const auto run = mib::test::run_command(script);
  EXPECT_EQ(run.output.find("sent=none"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("sent=0 "), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("received=none"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("received=0\n"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("health=200"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("ready=200"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("exit=0"), std::string::npos) << run.output;
}
