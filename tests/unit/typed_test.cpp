// Typed records on the embedded broker: a market message sent by value arrives keyed,
// with its content type, and decodes to the same value; a record that does not decode
// goes to the dead-letter topic with the decoder's message, once, and the stream goes on.
#include <gtest/gtest.h>

#include <cmath>
#include <mutex>

#include "mib/mib.hpp"
#include "support/roundtrip.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {

mib::MarketData quote(std::string symbol, double price) {
  return {.symbol = std::move(symbol),
          .last_price = price,
          .bid_price = price - 0.01,
          .ask_price = price + 0.01,
          .bid_size = 100,
          .ask_size = 200,
          .volume = 1000,
          .timestamp = mib::rfc3339::parse_utc("2026-12-01T09:30:00.123456Z").value(),
          .source = "test"};
}

struct Cluster {
  mib::EmbeddedCluster cluster;
  Cluster() {
    cluster.create_topic("quotes", 1);
    cluster.create_topic("quotes.dlq", 1);
  }
  mib::KafkaProperties producer() const {
    return {{"bootstrap.servers", cluster.bootstrap_servers()}};
  }
  mib::KafkaProperties consumer(std::string group) const {
    return {{"bootstrap.servers", cluster.bootstrap_servers()},
            {"group.id", std::move(group)},
            {"enable.auto.commit", "false"},
            {"auto.offset.reset", "earliest"}};
  }
};

template <typename S>
void expect_typed_round_trip(const S& serde, std::string_view content_type) {
  Cluster c;
  mib::Producer producer{c.producer()};
  const mib::DeliveryReport report = producer.send("quotes", quote("AAPL", 150.25), serde).get();
  ASSERT_TRUE(report.ok()) << report.error.message();
  const auto records = mib::test::read_from_beginning(c.cluster.bootstrap_servers(), "quotes", 1);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].key(), "AAPL");
  EXPECT_EQ(records[0].header("content-type"), content_type);
  mib::MarketData back;
  const mib::Error e = mib::decode(records[0], back, serde);
  ASSERT_TRUE(e.ok()) << e.message();
  EXPECT_EQ(back, quote("AAPL", 150.25));
}

}  // namespace

TEST(Typed, AMarketMessageSentByValueArrivesKeyedWithItsContentType) {
  expect_typed_round_trip(mib::JsonSerde<mib::MarketData>{}, "application/json");
  expect_typed_round_trip(mib::ProtobufSerde<mib::MarketData>{}, "application/x-protobuf");
}

TEST(Typed, AValueThatCannotBeEncodedIsReportedAtOnceNamingTheField) {
  Cluster c;
  mib::Producer producer{c.producer()};
  auto future = producer.send("quotes", quote("AAPL", std::nan("")));
  ASSERT_EQ(future.wait_for(0s), std::future_status::ready);
  const mib::DeliveryReport report = future.get();
  EXPECT_EQ(report.error.code(), mib::errc::bad_message);
  EXPECT_EQ(report.error.message(),
            "send to topic 'quotes' refused: MarketData JSON: field 'last_price' cannot be "
            "written as JSON (NaN or infinite)");
  EXPECT_EQ(producer.in_flight(), 0u);
}

TEST(Typed, ARecordThatDoesNotDecodeIsDeadLetteredOnceAndTheStreamGoesOn) {
  Cluster c;
  mib::Producer producer{c.producer()};
  ASSERT_TRUE(producer.send("quotes", quote("AAPL", 1)).get().ok());
  ASSERT_TRUE(producer.send({.topic = "quotes", .key = "MSFT", .value = R"({"symbol":"MSFT"})"})
                  .get()
                  .ok());
  ASSERT_TRUE(producer.send("quotes", quote("IBM", 3)).get().ok());

  mib::Consumer consumer{c.consumer("typed")};
  consumer.assign({{"quotes", 0, mib::offset::beginning}});
  mib::Processor processor{
      consumer, producer, {.error_policy = mib::ErrorPolicy::retry(3, 1ms).then_dead_letter()}};
  std::mutex mutex;
  std::vector<std::string> symbols;
  processor.run([&](const mib::Typed<mib::MarketData>& q) {
    const std::lock_guard lock{mutex};
    symbols.push_back(q.value().symbol);
  });
  ASSERT_TRUE(
      mib::test::wait_until([&] { return processor.metrics().records_processed_total == 3; }, 10s));
  processor.stop();
  ASSERT_TRUE(processor.wait().ok());
  EXPECT_EQ(symbols, (std::vector<std::string>{"AAPL", "IBM"}));
  EXPECT_EQ(processor.metrics().failures_total, 1u);  // no retries: the bytes stay bad

  const auto letters =
      mib::test::read_from_beginning(c.cluster.bootstrap_servers(), "quotes.dlq", 1);
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].value(), R"({"symbol":"MSFT"})");
  EXPECT_EQ(letters[0].header("mib.dlq.attempts"), "1");
  EXPECT_EQ(letters[0].header("mib.dlq.error.code"), "_BAD_MSG");
  EXPECT_EQ(letters[0].header("mib.dlq.error.message"),
            "topic 'quotes' partition 0 offset 1: MarketData JSON: field 'last_price' is "
            "missing");
}
