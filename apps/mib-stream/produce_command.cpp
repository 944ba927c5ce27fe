// `mib-stream produce -t TOPIC`: one record per line of stdin, like kcat's producer mode.
#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli_config.hpp"
#include "commands.hpp"
#include "mib/config/config.hpp"
#include "mib/producer/producer.hpp"

namespace mib::cli {
namespace {

struct ProduceOptions {
  std::string brokers;
  std::string config_file;
  std::string topic;
  std::string key_delimiter;         // empty: each line is a value with an empty key
  std::vector<std::string> headers;  // "name=value", added to every record
  std::optional<std::int32_t> partition;
  std::string compression;
};

// What became of the lines read. The main thread reads lines while the producer's poller
// thread reports deliveries: both count here and write to stderr under one lock, so that
// counts stay exact and messages do not interleave.
class Tally {
 public:
  void delivered() {
    const std::lock_guard lock{mutex_};
    ++delivered_;
  }

  void failed(std::uint64_t line, const DeliveryReport& report) {
    const std::lock_guard lock{mutex_};
    ++failed_;
    std::cerr << "line " << line << ": " << report.error.message();
    if (report.dead_letter) {
      std::cerr << " (written to " << report.dead_letter->topic << '['
                << report.dead_letter->partition << "] instead)";
    }
    std::cerr << '\n';
  }

  void malformed(std::uint64_t line, std::string_view problem) {
    const std::lock_guard lock{mutex_};
    ++malformed_;
    std::cerr << "line " << line << ": " << problem << '\n';
  }

  // Prints "N records delivered, M failed"; true if every line became a delivered record.
  bool report() const {
    const std::lock_guard lock{mutex_};
    std::cerr << delivered_ << " records delivered, " << failed_ << " failed";
    if (malformed_ > 0) std::cerr << ", " << malformed_ << " malformed lines not sent";
    std::cerr << '\n';
    return failed_ == 0 && malformed_ == 0;
  }

 private:
  mutable std::mutex mutex_;
  std::uint64_t delivered_ = 0;
  std::uint64_t failed_ = 0;
  std::uint64_t malformed_ = 0;
};

// The file, the environment and --brokers, then -z. Config::set reports a bad
// compression name as the config layer does for any source.
Config producer_config(const ProduceOptions& options) {
  Config config = load_config(options.config_file, options.brokers);
  if (!options.compression.empty()) config.set("producer.compression_type", options.compression);
  return config;
}

// Views over "name=value" texts, which CLI11 has already checked contain '='.
std::vector<Header> parse_headers(const std::vector<std::string>& texts) {
  std::vector<Header> headers;
  for (const std::string_view text : texts) {
    const auto equals = text.find('=');
    headers.push_back({text.substr(0, equals), text.substr(equals + 1)});
  }
  return headers;
}

std::string check_header(const std::string& text) {
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0) return "expected name=value, got '" + text + "'";
  return {};
}

// A line as key and value: split at the first delimiter, or all value without one.
struct Record {
  std::string_view key;
  std::string_view value;
};

std::optional<Record> split_line(std::string_view line, std::string_view key_delimiter) {
  if (key_delimiter.empty()) return Record{{}, line};
  const auto at = line.find(key_delimiter);
  if (at == std::string_view::npos) return std::nullopt;
  return Record{line.substr(0, at), line.substr(at + key_delimiter.size())};
}

int run_produce(const ProduceOptions& options) {
  const Config config = producer_config(options);
  const std::vector<Header> headers = parse_headers(options.headers);
  const SendOptions placement{.partition = options.partition};
  Tally tally;  // outlives the producer, whose callbacks use it
  Producer producer{config};

  std::string line;
  std::uint64_t line_number = 0;
  while (std::getline(std::cin, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();  // CRLF input
    if (line.empty()) continue;                                 // as kcat does
    const auto record = split_line(line, options.key_delimiter);
    if (!record) {
      tally.malformed(line_number, "no key delimiter '" + options.key_delimiter + "'; not sent");
      continue;
    }
    producer.send(options.topic, record->key, record->value, HeaderList(headers), placement,
                  [&tally, line_number](const DeliveryReport& report) {
                    if (report.ok()) {
                      tally.delivered();
                    } else {
                      tally.failed(line_number, report);
                    }
                  });
  }

  if (const Error err = producer.flush(config.producer.delivery_timeout_ms)) {
    std::cerr << err.message() << '\n';
  }
  // Whatever flush left is purged now and reported as failed, so the totals are final.
  producer.close(std::chrono::milliseconds{0});
  return tally.report() ? 0 : 1;
}

}  // namespace

void add_produce(CLI::App& app) {
  auto options = std::make_shared<ProduceOptions>();
  auto* cmd = app.add_subcommand(
      "produce",
      "Send one record per line of stdin to a topic (like kcat -P); empty lines skipped");
  cmd->add_option("-b,--brokers", options->brokers,
                  "bootstrap servers, comma-separated; default: from the configuration");
  cmd->add_option("-c,--config", options->config_file,
                  "TOML configuration file; the environment applies over it");
  cmd->add_option("-t,--topic", options->topic, "topic to send to")->required();
  cmd->add_option("-K,--key-delimiter", options->key_delimiter,
                  "split each line at the first DELIM into key and value; a line without it "
                  "is reported and not sent");
  cmd->add_option("-H,--header", options->headers,
                  "header name=value added to every record; repeatable")
      ->check(CLI::Validator{check_header, "NAME=VALUE"});
  cmd->add_option("-p,--partition", options->partition,
                  "partition to send to; default: partitioned by key")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("-z,--compression", options->compression,
                  "none, gzip, snappy, lz4 or zstd; default: from the configuration");
  cmd->callback([options] {
    if (const int code = run_produce(*options); code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace mib::cli
