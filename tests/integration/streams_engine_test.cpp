// The stream engine on the real broker: a filter job with a poison record that goes to the
// dead-letter topic while the stream goes on, and a tumbling VWAP job whose every result
// is checked; status, readiness and metrics along the way.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mib/mib.hpp"
#include "mib/streams.hpp"
#include "mib/streams/engine.hpp"
#include "support/roundtrip.hpp"
#include "support/streams_testing.hpp"
#include "support/test_cluster.hpp"

namespace st = mib::streams;
using namespace std::chrono_literals;

namespace {

std::string quote_json(const std::string& symbol, double last) {
  mib::MarketData q;
  q.symbol = symbol;
  q.last_price = last;
  std::string text;
  EXPECT_FALSE(mib::json::encode(q, text));
  return text;
}

std::string trade_json(const std::string& symbol, std::uint64_t quantity, double price) {
  mib::Trade t;
  t.trade_id = symbol + std::to_string(quantity);
  t.symbol = symbol;
  t.quantity = quantity;
  t.price = price;
  std::string text;
  EXPECT_FALSE(mib::json::encode(t, text));
  return text;
}

}  // namespace

TEST(RealBrokerStreams, FilterEngineDeadLettersAPoisonRecordAndGoesOn) {
  const auto brokers = mib::test::test_brokers();
  const auto input = mib::test::unique_name("stream-in");
  const auto output = mib::test::unique_name("stream-out");
  ASSERT_NO_FATAL_FAILURE(mib::test::create_topic(brokers, input, 1));
  ASSERT_NO_FATAL_FAILURE(mib::test::create_topic(brokers, input + ".dlq", 1));
  ASSERT_NO_FATAL_FAILURE(mib::test::create_topic(brokers, output, 1));
  {
    mib::Producer producer{{{"bootstrap.servers", brokers}}};
    for (int i = 0; i < 40; ++i) {
      if (i == 17) {
        producer.send({.topic = input, .key = "AAPL", .value = "{not json"});
        continue;
      }
      producer.send({.topic = input, .key = "AAPL", .value = quote_json("AAPL", 100.0 + i)});
    }
    ASSERT_FALSE(producer.flush(30s));
  }

  st::Topology topology;
  topology.stream<mib::MarketData>(input)
      .filter([](const mib::MarketData& q) { return q.last_price >= 120.0; })
      .to(output);
  mib::Consumer consumer{{{"bootstrap.servers", brokers},
                          {"group.id", mib::test::unique_name("stream-filter")},
                          {"auto.offset.reset", "earliest"},
                          {"enable.auto.commit", "false"}}};
  mib::Producer producer{{{"bootstrap.servers", brokers}}};
  st::Engine engine{"market_data_filter", topology, consumer, producer};
  EXPECT_EQ(engine.status(), st::EngineStatus{});
  const mib::metrics::Check ready = st::running(engine);
  EXPECT_FALSE(ready().ok);
  engine.start();
  ASSERT_TRUE(mib::test::wait_until([&] { return engine.metrics().records_processed == 40; }, 60s));
  EXPECT_TRUE(engine.running());
  EXPECT_TRUE(ready().ok) << ready().detail;
  EXPECT_EQ(st::to_string(engine.status()), "Running");

  const auto out = mib::test::read_from_beginning(brokers, output, 20);
  ASSERT_EQ(out.size(), 20U);
  for (std::size_t i = 0; i < out.size(); ++i) {
    mib::MarketData q;
    ASSERT_FALSE(mib::json::decode(out[i].value(), q));
    EXPECT_EQ(q.last_price, 120.0 + static_cast<double>(i));  // in order, each once
    EXPECT_EQ(out[i].key(), "AAPL");
    EXPECT_EQ(out[i].header("content-type"), "application/json");
  }
  const auto letters = mib::test::read_from_beginning(brokers, input + ".dlq", 1);
  ASSERT_EQ(letters.size(), 1U);
  EXPECT_EQ(letters[0].value(), "{not json");
  EXPECT_EQ(letters[0].header("mib.dlq.original.offset"), "17");
  const auto reason = letters[0].header("mib.dlq.error.message");
  ASSERT_TRUE(reason);
  EXPECT_NE(reason->find("offset 17"), std::string::npos) << *reason;

  engine.stop();
  EXPECT_EQ(engine.status(), st::EngineStatus{});
  EXPECT_FALSE(ready().ok);
  const st::EngineMetrics m = engine.metrics();
  EXPECT_EQ(m.records_output, 20U);
  EXPECT_EQ(m.dead_letters, 1U);
  EXPECT_EQ(m.errors, 1U);
  EXPECT_GT(m.uptime, 0ms);
  EXPECT_EQ(consumer.committed({{input, 0}}, 10s)[0].offset, 40);
  const auto scrape = mib::metrics::registry().snapshot();
  EXPECT_EQ(
      scrape.value("market_intel_stream_records_output_total", {{"engine", "market_data_filter"}}),
      20.0);
}

TEST(RealBrokerStreams, TumblingVwapEngineEmitsEveryWindowOnce) {
  const auto brokers = mib::test::test_brokers();
  const auto input = mib::test::unique_name("trades");
  const auto output = mib::test::unique_name("vwap");
  ASSERT_NO_FATAL_FAILURE(mib::test::create_topic(brokers, input, 2));
  ASSERT_NO_FATAL_FAILURE(mib::test::create_topic(brokers, output, 1));
  // Two symbols, each on a partition of its own, over seconds 0-2 of an hour; then a trade
  // at second 10 on each partition moves the watermark past every window.
  const auto t0 = std::chrono::floor<std::chrono::hours>(mib::Timestamp::clock::now());
  const auto at = [&](int ms) { return mib::Timestamp{t0 + std::chrono::milliseconds{ms}}; };
  {
    mib::Producer producer{{{"bootstrap.servers", brokers}}};
    const auto send = [&](const char* symbol, int partition, std::uint64_t q, double p, int ms) {
      producer.send({.topic = input,
                     .key = symbol,
                     .value = trade_json(symbol, q, p),
                     .partition = partition,
                     .timestamp = at(ms)});
    };
    send("AAPL", 0, 100, 10.0, 0);
    send("AAPL", 0, 300, 11.0, 500);
    send("MSFT", 1, 10, 50.0, 200);
    send("AAPL", 0, 200, 12.0, 1100);
    send("MSFT", 1, 30, 60.0, 2900);
    send("AAPL", 0, 1, 1.0, 10'000);
    send("MSFT", 1, 1, 1.0, 10'000);
    ASSERT_FALSE(producer.flush(30s));
  }

  st::Topology topology;
  topology.stream<mib::Trade>(input)
      .key_by(&mib::Trade::symbol)
      .window(st::Tumbling{1s}.grace(200ms))
      .aggregate(st::vwap(&mib::Trade::price, &mib::Trade::quantity), "vwap-1s")
      .to(output);
  mib::Config config;
  config.set("brokers.addresses", brokers);
  config.set("consumer.auto_offset_reset", "earliest");
  mib::Client client{config};
  st::Engine engine{mib::test::unique_name("vwap-engine"), topology, client};
  engine.start();
  const auto out = mib::test::read_from_beginning(brokers, output, 4);
  engine.stop();
  ASSERT_EQ(out.size(), 4U);
  std::vector<st::Windowed<std::string, double>> results;
  for (const auto& m : out) {
    st::Windowed<std::string, double> w;
    const st::ResultSerde<st::Windowed<std::string, double>> serde;
    ASSERT_FALSE(serde.decode(m.value(), w)) << m.value();
    EXPECT_EQ(m.key(), w.key);
    results.push_back(w);
  }
  const auto window = [&](int s) { return st::TimeWindow{at(s * 1000), at(s * 1000 + 1000)}; };
  // Windows close as the slower partition allows; within one close, by key.
  EXPECT_EQ(results, (std::vector<st::Windowed<std::string, double>>{{"AAPL", window(0), 10.75},
                                                                     {"MSFT", window(0), 50.0},
                                                                     {"AAPL", window(1), 12.0},
                                                                     {"MSFT", window(2), 60.0}}));
  EXPECT_EQ(engine.metrics().records_output, 4U);
}

// A key change, then repartition(): the records go through the engine's own topic, made
// with the input's partition count, and every window of the new key is counted once.
TEST(RealBrokerStreams, RepartitionGoesThroughTheEnginesOwnTopic) {
  const auto brokers = mib::test::test_brokers();
  const auto input = mib::test::unique_name("trades");
  const auto output = mib::test::unique_name("per-venue");
  ASSERT_NO_FATAL_FAILURE(mib::test::create_topic(brokers, input, 2));
  ASSERT_NO_FATAL_FAILURE(mib::test::create_topic(brokers, output, 1));
  const auto t0 = std::chrono::floor<std::chrono::hours>(mib::Timestamp::clock::now());
  const auto at = [&](int ms) { return mib::Timestamp{t0 + std::chrono::milliseconds{ms}}; };
  {
    mib::Producer producer{{{"bootstrap.servers", brokers}}};
    int n = 0;
    const auto send = [&](const char* venue, int partition, int ms) {
      mib::Trade t;
      t.trade_id = "T" + std::to_string(++n);
      t.symbol = "AAPL";
      t.venue = venue;
      t.quantity = 1;
      std::string text;
      EXPECT_FALSE(mib::json::encode(t, text));
      producer.send({.topic = input,
                     .key = t.trade_id,  // keyed by trade: each venue on both partitions
                     .value = text,
                     .partition = partition,
                     .timestamp = at(ms)});
    };
    send("XNAS", 0, 0);
    send("XNYS", 0, 300);
    send("XNAS", 1, 100);
    send("XNAS", 0, 1200);
    send("XNYS", 1, 2500);
    for (int p = 0; p < 2; ++p) {  // past every window, on every partition of both topics
      send("XNAS", p, 10'000);
      send("XNYS", p, 10'000);
    }
    ASSERT_FALSE(producer.flush(30s));
  }

  st::Topology topology;
  topology.stream<mib::Trade>(input)
      .key_by(&mib::Trade::venue)
      .repartition("by-venue")
      .window(st::Tumbling{1s})
      .aggregate(st::count(), "per-venue")
      .to(output);
  mib::Config config;
  config.set("brokers.addresses", brokers);
  config.set("consumer.auto_offset_reset", "earliest");
  mib::Client client{config};
  const std::string name = mib::test::unique_name("venue-engine");
  st::Engine engine{name, topology, client};
  engine.start();
  const auto out = mib::test::read_from_beginning(brokers, output, 4);
  engine.stop();
  std::vector<st::Windowed<std::string, std::uint64_t>> results;
  for (const auto& m : out) {
    st::Windowed<std::string, std::uint64_t> w;
    const st::ResultSerde<st::Windowed<std::string, std::uint64_t>> serde;
    ASSERT_FALSE(serde.decode(m.value(), w)) << m.value();
    results.push_back(w);
  }
  const auto window = [&](int s) { return st::TimeWindow{at(s * 1000), at(s * 1000 + 1000)}; };
  EXPECT_EQ(results,
            (std::vector<st::Windowed<std::string, std::uint64_t>>{{"XNAS", window(0), 2},
                                                                   {"XNYS", window(0), 1},
                                                                   {"XNAS", window(1), 1},
                                                                   {"XNYS", window(2), 1}}));
  // The repartition topic: the engine's name first, as many partitions as the input, every
  // record of the input in it, keyed by venue.
  const std::string internal = name + "-by-venue-repartition";
  EXPECT_EQ(topology.source_topics(), (std::vector<std::string>{input, internal}));
  const mib::Admin admin{config};
  EXPECT_EQ(admin.describe_topic(internal).partitions.size(), 2U);
  const auto through = mib::test::read_from_beginning(brokers, internal, 9);
  ASSERT_EQ(through.size(), 9U);
  for (const auto& m : through) EXPECT_TRUE(m.key() == "XNAS" || m.key() == "XNYS") << m.key();
}
