// Running mib-stream (MIB_STREAM_BINARY) from a test as a user runs it, and reading back
// what a topic holds.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "mib/mib.hpp"
#include "support/test_cluster.hpp"

namespace mib::test {

struct CliRun {
  int exit_code = -1;
  std::vector<std::string> lines;  // stdout, one entry per line
  std::string errors;              // stderr

  // Everything, for failure messages.
  std::string output() const {
    std::string all;
    for (const auto& line : lines) all += line + '\n';
    return all + "--- stderr:\n" + errors;
  }
};

inline std::string file_text(const std::filesystem::path& path) {
  std::ifstream file{path, std::ios::binary};
  return {std::istreambuf_iterator<char>{file}, {}};
}

// `mib-stream arguments < input` under `runner`: by default a run that hangs is ended
// after 60 s (exit status 124); "env NAME=value timeout 60" adds to the environment. No
// argument may contain a single quote.
inline CliRun run_cli(const std::vector<std::string>& arguments, const std::string& input = {},
                      const std::string& runner = "timeout 60") {
  const auto base = std::filesystem::temp_directory_path() / unique_name("serde-cli");
  const std::string in = base.string() + ".in", out = base.string() + ".out",
                    err = base.string() + ".err";
  std::ofstream{in, std::ios::binary} << input;
  std::string command = runner + " '" MIB_STREAM_BINARY "'";
  for (const auto& argument : arguments) command += " '" + argument + "'";
  command += " <'" + in + "' >'" + out + "' 2>'" + err + "'";

  CliRun run;
  const int status = std::system(command.c_str());
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  std::istringstream stdout_text{file_text(out)};
  for (std::string line; std::getline(stdout_text, line);) run.lines.push_back(line);
  run.errors = file_text(err);
  for (const auto& path : {in, out, err}) std::filesystem::remove(path);
  return run;
}

// Sends `values` to `topic` in order (on the partitioner's choice for an empty key), each
// delivered before the next is sent.
inline void send_values(const std::string& brokers, const std::string& topic,
                        const std::vector<std::string>& values) {
  Producer producer{{{"bootstrap.servers", brokers}}};
  for (const std::string& value : values) {
    const DeliveryReport report = producer.send({.topic = topic, .value = value}).get();
    ASSERT_TRUE(report.ok()) << report.error.message();
  }
}

// A record as read back.
struct StoredRecord {
  std::string key;
  std::string value;
  std::string content_type;  // header "content-type", "" if none
};

// Every record of `topic`'s partition 0, from the beginning to its end now.
inline std::vector<StoredRecord> stored_records(const std::string& brokers,
                                                const std::string& topic) {
  using namespace std::chrono_literals;
  Consumer consumer{{{"bootstrap.servers", brokers},
                     {"group.id", unique_name("serde-cli-reader")},
                     {"enable.auto.commit", "false"}}};
  const auto end = consumer.watermarks({.topic = topic, .partition = 0}, 10s).high;
  consumer.assign({{.topic = topic, .partition = 0, .offset = 0}});
  std::vector<StoredRecord> records;
  wait_until(
      [&] {
        while (auto m = consumer.poll(200ms)) {
          if (!m->ok()) {
            ADD_FAILURE() << m->error().message();
            return true;
          }
          records.push_back({std::string{m->key()}, std::string{m->value()},
                             std::string{m->header("content-type").value_or("")}});
          if (m->offset() + 1 >= end) return true;
        }
        return end == 0;
      },
      30s);
  EXPECT_EQ(static_cast<std::int64_t>(records.size()), end) << "records of " << topic;
  return records;
}

}  // namespace mib::test
