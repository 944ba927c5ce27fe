// Interop with a client nobody here wrote: Confluent's Python client (confluent-kafka from
// PyPI, tests/interop) decodes with its own deserializers the records our RegistrySerde
// writes, and we decode the records its serializers write, in JSON Schema and in Protobuf,
// through the real broker and the real registry.
#include <gtest/gtest.h>

#include "integration/cli_run.hpp"
#include "mib/mib.hpp"
#include "support/test_cluster.hpp"
#include "unit/market_samples.hpp"

using namespace std::chrono_literals;

namespace {

std::vector<mib::MarketData> quotes() {
  auto second = samples::quote();
  second.symbol = "MSFT";
  second.last_price = 411.5;
  second.volume = 0;
  second.timestamp = samples::at("2026-11-27T15:59:59.999999999Z");
  second.source = "";
  return {samples::quote(), second};
}

std::vector<mib::Trade> trades() {
  auto unfeed = samples::fill();
  unfeed.trade_id = "t-10";
  unfeed.side = mib::Side::buy;
  unfeed.fee.reset();
  unfeed.fee_currency.reset();
  return {samples::fill(), unfeed};
}

const char* type_name(const mib::MarketData*) {
  return "market_data";
}
const char* type_name(const mib::Trade*) {
  return "trade";
}

// confluent_client.py with the test's broker, registry and descriptors.
mib::test::CliRun python(const std::string& direction, const std::string& format, const char* type,
                         const std::string& topic, const std::string& input,
                         std::size_t count = 0) {
  return mib::test::run_program(
      MIB_INTEROP_PYTHON,
      {MIB_INTEROP_CLIENT, direction, "--format", format, "--type", type, "--brokers",
       mib::test::test_brokers(), "--registry", mib::test::test_registry(), "--topic", topic,
       "--descriptors", MIB_PROTO_DESCRIPTORS, "--count", std::to_string(count)},
      input, "timeout 90");
}

template <typename T>
mib::RegistrySerde<T> serde_for(mib::SchemaRegistry& registry, const std::string& format,
                                const std::string& topic) {
  return format == "json" ? mib::RegistrySerde<T>::json(registry, mib::value_subject(topic))
                          : mib::RegistrySerde<T>::protobuf(registry, mib::value_subject(topic));
}

class PythonInterop : public testing::TestWithParam<std::string> {
 protected:
  mib::SchemaRegistry registry{mib::SchemaRegistryOptions{.url = mib::test::test_registry()}};

  // Ours → Python: sent with RegistrySerde, decoded by confluent-kafka's deserializer and
  // printed back in our JSON.
  template <typename T>
  void python_reads_ours(const std::vector<T>& sent) {
    const std::string topic = mib::test::unique_name(std::string{"to-python-"} + GetParam());
    mib::test::create_topic(mib::test::test_brokers(), topic, 1);
    const auto serde = serde_for<T>(registry, GetParam(), topic);
    mib::Producer producer{{{"bootstrap.servers", mib::test::test_brokers()}}};
    for (const T& value : sent) {
      const mib::DeliveryReport report = producer.send(topic, value, serde).get();
      ASSERT_TRUE(report.ok()) << report.error.message();
    }

    const auto run = python("consume", GetParam(), type_name(&sent[0]), topic, "", sent.size());
    ASSERT_EQ(run.exit_code, 0) << run.output();
    ASSERT_EQ(run.lines.size(), sent.size()) << run.output();
    for (std::size_t i = 0; i < sent.size(); ++i) {
      T read;
      ASSERT_FALSE(mib::json::decode(run.lines[i], read)) << run.lines[i];
      EXPECT_EQ(read, sent[i]) << "record " << i << " as Python read it: " << run.lines[i];
    }
  }

  // Python → ours: our JSON lines handed to confluent-kafka's serializer, the records
  // decoded with RegistrySerde.
  template <typename T>
  void we_read_pythons(const std::vector<T>& sent) {
    const std::string topic = mib::test::unique_name(std::string{"from-python-"} + GetParam());
    mib::test::create_topic(mib::test::test_brokers(), topic, 1);
    const auto serde = serde_for<T>(registry, GetParam(), topic);
    // Python's JSON serializer uses the schema we registered and registers none itself.
    if (GetParam() == "json") {
      ASSERT_FALSE(serde.register_schema());
    }
    std::string lines;
    for (const T& value : sent) {
      ASSERT_FALSE(mib::json::encode(value, lines));
      lines += '\n';
    }
    const auto run = python("produce", GetParam(), type_name(&sent[0]), topic, lines);
    ASSERT_EQ(run.exit_code, 0) << run.output();

    mib::Consumer consumer{{{"bootstrap.servers", mib::test::test_brokers()},
                            {"group.id", mib::test::unique_name("python-reader")},
                            {"auto.offset.reset", "earliest"}}};
    consumer.subscribe({topic});
    std::vector<T> read;
    mib::test::wait_until(
        [&] {
          while (auto m = consumer.poll(100ms)) {
            if (!m->ok()) continue;
            T value;
            const mib::Error e = mib::decode(*m, value, serde);
            EXPECT_FALSE(e) << e.message();
            read.push_back(std::move(value));
          }
          return read.size() >= sent.size();
        },
        30s);
    EXPECT_EQ(read, sent);
  }
};

}  // namespace

TEST_P(PythonInterop, PythonsDeserializerReadsOurQuotes) {
  python_reads_ours(quotes());
}

TEST_P(PythonInterop, PythonsDeserializerReadsOurTrades) {
  python_reads_ours(trades());
}

TEST_P(PythonInterop, WeReadQuotesFromPythonsSerializer) {
  we_read_pythons(quotes());
}

TEST_P(PythonInterop, WeReadTradesFromPythonsSerializer) {
  we_read_pythons(trades());
}

INSTANTIATE_TEST_SUITE_P(Formats, PythonInterop, testing::Values("json", "protobuf"),
                         [](const auto& test) { return test.param; });
