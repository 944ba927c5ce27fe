// `mib-stream produce` against the real broker: lines in on stdin, records out on a topic.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <thread>
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
  const auto placed =
      producer.send({.topic = topic, .key = marker, .value = marker, .partition = partition}).get();
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
        // Everything that is there, before wait_until pauses again.
        while (auto message = consumer.poll(200ms)) {
          if (!message->ok()) {
            ADD_FAILURE() << message->error().message();
            return false;
          }
          if (message->key() == marker) return marker_seen = true;
          received.push_back(
              {message->partition(), std::string{message->key()}, std::string{message->value()},
               std::string{message->header("source").value_or("")},
               std::string{message->header("desk").value_or("")}, message->header_count()});
        }
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
    input += mib::test::concat("k", std::to_string(i), ":v", std::to_string(i), "\n");
  }

  const CliRun run = run_mib_stream(
      {"produce", "-b", brokers, "-t", topic, "-K", ":", "-H", "source=cli", "-H", "desk=fx"},
      input);
  EXPECT_NE(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("line " + std::to_string(malformed_line) + ":"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("101 lines read: 100 delivered, 0 failed, 1 not sent (1 malformed)"),
            std::string::npos)
      << run.output;

  const auto received = read_until_marker(brokers, topic, 0);
  ASSERT_EQ(received.size(), static_cast<std::size_t>(records));
  for (int i = 0; i < records; ++i) {
    const Received& r = received[static_cast<std::size_t>(i)];
    EXPECT_EQ(r.key, mib::test::concat("k", std::to_string(i)));
    EXPECT_EQ(r.value, mib::test::concat("v", std::to_string(i)));
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
  EXPECT_NE(run.output.find("10 lines read: 10 delivered, 0 failed, 0 not sent"), std::string::npos)
      << run.output;

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

// Ctrl-C in the middle of a stream: every line the command says it read is in the topic
// exactly once, and it exits 130. The linger of a second holds records in the producer,
// as in the report that found records lost.
TEST(ProduceCli, InterruptFlushesEveryLineReadExactlyOnce) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("produce-cli-sigint");
  mib::test::create_topic(brokers, topic, 1);
  const auto config_file =
      std::filesystem::temp_directory_path() / (mib::test::unique_name("linger") + ".toml");
  std::ofstream{config_file} << "[producer]\nlinger_ms = \"1s\"\n";
  const auto output_file = std::filesystem::temp_directory_path() / (topic + ".out");

  int input[2];
  ASSERT_EQ(::pipe(input), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::dup2(input[0], STDIN_FILENO);
    ::close(input[0]);
    ::close(input[1]);
    std::freopen(output_file.c_str(), "w", stderr);
    ::execl(MIB_STREAM_BINARY, "mib-stream", "produce", "-b", brokers.c_str(), "-t", topic.c_str(),
            "-K", ":", "-F", config_file.c_str(), static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  ::close(input[0]);
  ::signal(SIGPIPE, SIG_IGN);  // the writer sees EPIPE once the command has stopped reading
  // Lines keep coming while the signal arrives: some are read, some never are.
  std::thread writer{[fd = input[1]] {
    for (int i = 0; i < 2'000'000; ++i) {
      const std::string line = "k" + std::to_string(i % 50) + ":" + std::to_string(i) + "\n";

      if (::write(fd, line.data(), line.size()) < 0) break;  // EPIPE once the reader is gone
    }
    ::close(fd);
  }};
  std::this_thread::sleep_for(1500ms);
  ::kill(child, SIGINT);
  int status = 0;
  ::waitpid(child, &status, 0);
  writer.join();
  std::ifstream file{output_file};
  const std::string output{std::istreambuf_iterator<char>{file}, {}};
  std::filesystem::remove(output_file);
  std::filesystem::remove(config_file);

  ASSERT_TRUE(WIFEXITED(status)) << output;
  EXPECT_EQ(WEXITSTATUS(status), 130) << output;
  std::smatch summary;
  ASSERT_TRUE(std::regex_search(
      output, summary, std::regex{"([0-9]+) lines read: ([0-9]+) delivered, 0 failed, 0 not sent"}))
      << output;
  const auto lines_read = std::stoul(summary[1]);
  EXPECT_EQ(summary[1], summary[2]) << output;
  EXPECT_GT(lines_read, 0u) << output;
  EXPECT_NE(output.find("interrupted; flushing"), std::string::npos) << output;

  // Lines 0 .. lines_read-1, each once and in the order read (one partition).
  std::vector<int> seen(lines_read, 0);
  long previous = -1;
  for (const Received& r : read_until_marker(brokers, topic, 0)) {
    const long number = std::stol(r.value);
    ASSERT_LT(number, static_cast<long>(lines_read)) << "a line not counted as read arrived";
    ++seen[static_cast<std::size_t>(number)];
    EXPECT_LT(previous, number) << "line " << number << " after line " << previous;
    previous = number;
  }
  for (std::size_t i = 0; i < seen.size(); ++i) {
    ASSERT_EQ(seen[i], 1) << "line " << i << " arrived " << seen[i] << " times";
  }
}

TEST(ProduceCli, AnUnknownPartitionIsNamedBeforeAnythingIsRead) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("produce-cli-partition");
  mib::test::create_topic(brokers, topic, 3);
  const CliRun run = run_mib_stream({"produce", "-b", brokers, "-t", topic, "-p", "99"}, "a\n");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("unknown partition 99 of topic '" + topic + "' (it has 3 partitions"),
            std::string::npos)
      << run.output;
}

// Against a listener that speaks plain Kafka, a SASL client learns at once that the
// handshake failed, and says so instead of waiting for a timeout.
void expect_handshake_failure(const std::vector<std::string>& security, const std::string& scheme,
                              const std::string& cause) {
  const auto brokers = mib::test::test_brokers();
  const auto first_broker = brokers.substr(0, brokers.find(','));
  std::vector<std::string> arguments{"produce", "-b", first_broker, "-t", "unused"};
  arguments.insert(arguments.end(), security.begin(), security.end());
  const CliRun run = run_mib_stream(arguments, "a\n");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("broker " + scheme + "://" + first_broker + ": " + cause),
            std::string::npos)
      << run.output;
  // It gave up at the handshake failure, not when the connection timeout ran out.
  EXPECT_EQ(run.output.find("reached within"), std::string::npos) << run.output;
}

TEST(ProduceCli, ASaslClientAgainstAPlaintextListenerFailsNamingTheHandshake) {
  const auto config_file =
      std::filesystem::temp_directory_path() / (mib::test::unique_name("sasl") + ".toml");
  std::ofstream{config_file} << "[security]\nsecurity_protocol = \"SaslPlaintext\"\n"
                                "[security.sasl]\nmechanism = \"Plain\"\nusername = \"u\"\n"
                                "password = \"p\"\n";
  expect_handshake_failure({"-F", config_file.string()}, "sasl_plaintext", "SASL handshake failed");
  std::filesystem::remove(config_file);
}

TEST(ProduceCli, ATlsClientAgainstAPlaintextListenerFailsNamingTheHandshake) {
  expect_handshake_failure({"-X", "security.protocol=ssl"}, "ssl",
                           "TLS handshake failed: the broker's listener does not speak TLS");
}

TEST(ClusterCli, ListsBrokersAndTheTopicWithItsPartitions) {
  const auto brokers = mib::test::test_brokers();
  const auto topic = mib::test::unique_name("cluster-cli");
  mib::test::create_topic(brokers, topic, 2);
  for (const std::string first : {"cluster", "-L"}) {
    const CliRun run = run_mib_stream({first, "-b", brokers, "-t", topic}, "");
    EXPECT_EQ(run.exit_code, 0) << run.output;
    EXPECT_NE(run.output.find("topic \"" + topic + "\" with 2 partitions"), std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("partition 1, leader "), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("broker "), std::string::npos) << run.output;
  }
}

}  // namespace
