// `mib-stream produce` against the real broker: lines in on stdin, records out on a topic.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

using namespace std::chrono_literals;

namespace {

struct CliRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs mib-stream with `arguments` (none may contain a single quote), `input` on stdin.
CliRun run_mib_stream(const std::vector<std::string>& arguments, const std::string& input) {
  const auto output_file =
      std::filesystem::temp_directory_path() / (mib::test::unique_name("produce-cli") + ".out");
  std::string command = "'" MIB_STREAM_BINARY "'";
  for (const auto& argument : arguments) command += " '" + argument + "'";
  command += " >'" + output_file.string() + "' 2>&1";

  CliRun run;
  FILE* stdin_pipe = ::popen(command.c_str(), "w");
  if (stdin_pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return run;
  }
  std::fwrite(input.data(), 1, input.size(), stdin_pipe);
  const int status = ::pclose(stdin_pipe);
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  std::ifstream file{output_file};
  run.output.assign(std::istreambuf_iterator<char>{file}, {});
  std::filesystem::remove(output_file);
  return run;
}

// A record as the test reads it back.
struct Received {
  std::int32_t partition = -1;
  std::string key;
  std::string value;
  std::string source;  // header "source", "" if missing
  std::string desk;    // header "desk", "" if missing
  std::size_t headers = 0;
};

// Appends a marker record after what the CLI sent, then reads the topic from the start
// up to the marker: everything before it is exactly what arrived, duplicates included,
// without waiting a fixed time for stragglers.
std::vector<Received> read_until_marker(const std::string& brokers, const std::string& topic,
                                        std::int32_t partition) {
  const std::string marker = mib::test::unique_name("end");
  mib::Producer producer{{{"bootstrap.servers", brokers}}};
  const auto placed = producer.send(topic, marker, marker, {}, {.partition = partition}).get();
  EXPECT_TRUE(placed.ok()) << placed.error.message();

  mib::Consumer consumer{{{"bootstrap.servers", brokers},
                          {"group.id", mib::test::unique_name("produce-cli-group")},
                          {"auto.offset.reset", "earliest"},
                          {"enable.auto.commit", "false"}}};
  consumer.subscribe({topic});
  std::vector<Received> received;
  bool marker_seen = false;
  const bool done = mib::test::wait_until(
      [&] {
        auto message = consumer.poll(200ms);
        if (!message) return false;
        if (!message->ok()) {
          ADD_FAILURE() << message->error().message();
          return false;
        }
        if (message->key() == marker) return marker_seen = true;
        received.push_back(
            {message->partition(), std::string{message->key()}, std::string{message->value()},
             std::string{message->header("source").value_or("")},
             std::string{message->header("desk").value_or("")}, message->header_count()});
        return false;
      },
      60s);
  EXPECT_TRUE(done && marker_seen) << "marker not read within 60 s; read " << received.size();
  return received;
}

TEST(ProduceCli, KeyedLinesWithHeadersArriveOnceInOrderAndMalformedLineIsReported) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("produce-cli");
  mib::test::create_topic(brokers, topic, 1);
  constexpr int records = 100;
  constexpr int malformed_line = 51;  // after k0..k49 on lines 1-50
  std::string input;
  for (int i = 0; i < records; ++i) {
    if (i == malformed_line - 1) input += "no delimiter here\n";
    input += "k" + std::to_string(i) + ":v" + std::to_string(i) + "\n";
  }

  const CliRun run = run_mib_stream(
      {"produce", "-b", brokers, "-t", topic, "-K", ":", "-H", "source=cli", "-H", "desk=fx"},
      input);
  EXPECT_NE(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("line " + std::to_string(malformed_line) + ":"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("100 records delivered, 0 failed"), std::string::npos) << run.output;

  const auto received = read_until_marker(brokers, topic, 0);
  ASSERT_EQ(received.size(), static_cast<std::size_t>(records));
  for (int i = 0; i < records; ++i) {
    const Received& r = received[static_cast<std::size_t>(i)];
    EXPECT_EQ(r.key, "k" + std::to_string(i));
    EXPECT_EQ(r.value, "v" + std::to_string(i));
    EXPECT_EQ(r.source, "cli") << "record " << i;
    EXPECT_EQ(r.desk, "fx") << "record " << i;
    EXPECT_EQ(r.headers, 2u) << "record " << i;
  }
}

TEST(ProduceCli, ChosenPartitionAndZstdCompression) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("produce-cli-placed");
  mib::test::create_topic(brokers, topic, 3);
  std::string input;
  for (int i = 0; i < 10; ++i) input += "quote " + std::to_string(i) + "\r\n\n";  // CRLF, blanks

  const CliRun run =
      run_mib_stream({"produce", "-b", brokers, "-t", topic, "-p", "2", "-z", "zstd"}, input);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("10 records delivered, 0 failed"), std::string::npos) << run.output;

  const auto received = read_until_marker(brokers, topic, 2);
  ASSERT_EQ(received.size(), 10u);
  for (int i = 0; i < 10; ++i) {
    const Received& r = received[static_cast<std::size_t>(i)];
    EXPECT_EQ(r.partition, 2);
    EXPECT_EQ(r.value, "quote " + std::to_string(i));
    EXPECT_EQ(r.headers, 0u);
  }
}

TEST(ProduceCli, BadOptionsAreRefusedBeforeAnythingIsSent) {
  const auto brokers = mib::test::test_brokers();
  const CliRun bad_header =
      run_mib_stream({"produce", "-b", brokers, "-t", "unused", "-H", "source"}, "");
  EXPECT_NE(bad_header.exit_code, 0);
  EXPECT_NE(bad_header.output.find("name=value"), std::string::npos) << bad_header.output;

  const CliRun bad_compression =
      run_mib_stream({"produce", "-b", brokers, "-t", "unused", "-z", "lz5"}, "");
  EXPECT_NE(bad_compression.exit_code, 0);
  EXPECT_NE(bad_compression.output.find("producer.compression_type"), std::string::npos)
      << bad_compression.output;
}

}  // namespace
