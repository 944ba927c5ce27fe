// `mib-stream produce -t TOPIC`: one record per line of stdin, like kcat's producer mode.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "cli_config.hpp"
#include "commands.hpp"
#include "interrupt.hpp"
#include "line_reader.hpp"
#include "message_codec.hpp"
#include "mib/client/client.hpp"
#include "mib/config/config.hpp"
#include "mib/producer/producer.hpp"
#include "mib/serde/serde.hpp"
#include "serve_options.hpp"

namespace mib::cli {
namespace {

struct ProduceOptions {
  ConnectionOptions connection;
  ServeOptions serve;
  std::string topic;
  std::optional<std::uint64_t> count;  // -c: stop after this many records
  std::string key_delimiter;           // empty: each line is a value with an empty key
  std::vector<std::string> headers;    // "name=value", added to every record
  std::optional<std::int32_t> partition;
  std::string compression;
  std::string encode;  // --encode TYPE: each value is that message's JSON, sent as --format
  std::string format;  // --format json (default) or protobuf
};

// What became of the lines read. The main thread reads lines while the producer's poller
// thread reports deliveries: both count here and write to stderr under one lock, so that
// counts stay exact and messages do not interleave.
class Tally {
 public:
  void read() { ++read_; }  // main thread only

  void delivered() {
    const std::lock_guard lock{mutex_};
    ++delivered_;
  }

  void failed(std::uint64_t line, const DeliveryReport& report) {
    const std::lock_guard lock{mutex_};
    if (report.purged()) {  // the run ended before it went out: not refused
      ++not_sent_;
      return;
    }
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

  // "R lines read: N delivered, M failed, K not sent"; true if every line read became a
  // delivered record.
  bool report() const {
    const std::lock_guard lock{mutex_};
    std::cerr << read_ << " lines read: " << delivered_ << " delivered, " << failed_ << " failed, "
              << not_sent_ + malformed_ << " not sent";
    if (malformed_ > 0) std::cerr << " (" << malformed_ << " malformed)";
    std::cerr << '\n';
    return failed_ == 0 && malformed_ == 0 && not_sent_ == 0;
  }
  bool any_failed() const {
    const std::lock_guard lock{mutex_};
    return failed_ > 0 || malformed_ > 0;
  }

 private:
  mutable std::mutex mutex_;
  std::uint64_t read_ = 0;
  std::uint64_t delivered_ = 0;
  std::uint64_t failed_ = 0;
  std::uint64_t not_sent_ = 0;
  std::uint64_t malformed_ = 0;
};

// The file, the environment and --brokers, then -z. Config::set reports a bad
// compression name as the config layer does for any source.
Config producer_config(const ProduceOptions& options) {
  Config config = load_config(options.connection);
  if (!options.compression.empty()) config.set("producer.compression_type", options.compression);
  prepare_serving(options.serve, config);
  return config;
}

// Views over "name=value" texts, which CLI11 has already checked contain '='. With
// --encode, a content-type header names the encoding as Producer::send(topic, value) does,
// unless -H gives one.
std::vector<Header> parse_headers(const std::vector<std::string>& texts,
                                  const std::optional<MessageCodec>& codec) {
  std::vector<Header> headers;
  for (const std::string_view text : texts) {
    const auto equals = text.find('=');
    headers.push_back({text.substr(0, equals), text.substr(equals + 1)});
  }
  const auto named = [](const Header& h) { return h.key == content_type_header; };
  if (codec && std::none_of(headers.begin(), headers.end(), named)) {
    headers.push_back({content_type_header, codec->content_type()});
  }
  return headers;
}

// --encode TYPE and --format, checked together.
std::optional<MessageCodec> encoding_codec(const ProduceOptions& options) {
  const std::string format = options.format.empty() ? "json" : options.format;
  const auto encoding = parse_value_encoding(format);
  if (!encoding) {
    throw CLI::ValidationError("--format", "expected json or protobuf, got '" + format + "'");
  }
  if (options.encode.empty()) {
    if (!options.format.empty()) {
      throw CLI::ValidationError("--format", "only applies with --encode TYPE");
    }
    return std::nullopt;
  }
  auto codec = MessageCodec::named(options.encode, *encoding);
  if (!codec) {
    throw CLI::ValidationError(
        "--encode", "expected " + MessageCodec::type_names() + ", got '" + options.encode + "'");
  }
  return codec;
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

// Before reading any input: the cluster answers, and -p names a partition the topic has.
// The empty Error, or what is wrong, within client.connection_timeout.
Error check_cluster(const Config& config, Producer& producer, const ProduceOptions& options) {
  if (Error err = producer.wait_for_cluster(config.client.connection_timeout, interrupted)) {
    return err;
  }
  if (!options.partition || interrupted()) return {};
  const Client client{config};
  const ClusterMetadata metadata = client.metadata(config.client.request_timeout);
  const TopicInfo* topic = metadata.topic(options.topic);
  if (topic == nullptr || topic->error)
    return {};  // auto-created on the first send, or refused then
  if (*options.partition >= static_cast<std::int32_t>(topic->partitions.size())) {
    return Error{errc::unknown_partition,
                 "unknown partition " + std::to_string(*options.partition) + " of topic '" +
                     options.topic + "' (it has " + std::to_string(topic->partitions.size()) +
                     " partitions, 0 to " + std::to_string(topic->partitions.size() - 1) + ")"};
  }
  return {};
}

// Ctrl-C: what was read is flushed, up to the close timeout (a second Ctrl-C cuts it
// short); what is left is purged and counted as not sent.
void flush_after_interrupt(Producer& producer, const Config& config) {
  const auto timeout = config.producer.close_timeout;
  std::cerr << "mib-stream: interrupted; flushing " << producer.in_flight()
            << " records read (up to " << std::chrono::duration<double>(timeout).count()
            << " s; Ctrl-C again to stop now)\n";
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (interrupts() < 2 && std::chrono::steady_clock::now() < deadline &&
         producer.flush(std::chrono::milliseconds{100})) {
  }
}

int run_produce(const ProduceOptions& options) {
  const std::optional<MessageCodec> codec = encoding_codec(options);
  watch_interrupts();
  const Config config = producer_config(options);
  const std::vector<Header> headers = parse_headers(options.headers, codec);
  Tally tally;  // outlives the producer, whose callbacks use it
  Producer producer{config};
  const auto http = serve(options.serve, config);
  if (http) {
    http->add_liveness_check("producer", metrics::alive(producer));
    http->add_readiness_check("brokers", metrics::reachable(producer));
  }
  if (const Error err = check_cluster(config, producer, options)) {
    std::cerr << "mib-stream: " << err.message() << '\n';
    return 1;
  }

  // Leave a tenth of librdkafka's queue for retries and dead letters.
  const auto room = static_cast<std::size_t>(
      std::max<std::int64_t>(1, config.producer.queue_buffering_max_messages * 9 / 10));
  LineReader input{STDIN_FILENO};
  std::string_view line;
  std::string encoded, message_key;  // --encode's, reused from line to line
  std::uint64_t line_number = 0, sent = 0;
  while ((!options.count || sent < *options.count) && input.next(line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF input
    if (line.empty()) continue;                                       // as kcat does
    tally.read();
    auto record = split_line(line, options.key_delimiter);
    if (!record) {
      tally.malformed(line_number, "no key delimiter '" + options.key_delimiter + "'; not sent");
      continue;
    }
    if (codec) {
      // The decoder names the field that is wrong; such a line is not sent.
      if (const Error e = codec->from_json(record->value, encoded, message_key)) {
        tally.malformed(line_number, e.message() + "; not sent");
        continue;
      }
      record->value = encoded;
      if (options.key_delimiter.empty()) record->key = message_key;  // mib::key_of
    }
    ++sent;
    // Standard input can outpace the cluster: wait for room instead of failing a line
    // with queue full, and keep seeing Ctrl-C meanwhile.
    while (producer.in_flight() >= room && !interrupted()) {
      producer.flush(std::chrono::milliseconds{50});
    }
    producer.send({.topic = options.topic,
                   .key = record->key,
                   .value = record->value,
                   .headers = HeaderList(headers),
                   .partition = options.partition},
                  [&tally, line_number](const DeliveryReport& report) {
                    if (report.ok()) {
                      tally.delivered();
                    } else {
                      tally.failed(line_number, report);
                    }
                  });
  }
  if (!input.error().empty()) std::cerr << "mib-stream: " << input.error() << '\n';

  if (interrupted()) {
    flush_after_interrupt(producer, config);
  } else if (const Error err = producer.flush(config.producer.delivery_timeout_ms)) {
    std::cerr << "mib-stream: " << err.message() << '\n';
  }
  // Whatever flush left is purged now and reported as not sent, so the totals are final.
  producer.close(std::chrono::milliseconds{0});
  const bool complete = tally.report();
  if (tally.any_failed() || !input.error().empty()) return 1;
  if (interrupted()) return interrupted_status();
  return complete ? 0 : 1;
}

}  // namespace

void add_produce(CLI::App& app) {
  auto options = std::make_shared<ProduceOptions>();
  auto* cmd = app.add_subcommand(
      "produce",
      "Send one record per line of stdin to a topic (like kcat -P); empty lines skipped");
  add_connection_options(*cmd, options->connection);
  add_serve_options(*cmd, options->serve);
  cmd->add_option("-t,--topic", options->topic, "topic to send to")->required();
  cmd->add_option("-K,--key-delimiter", options->key_delimiter,
                  "split each line at the first DELIM into key and value; a line without it "
                  "is reported and not sent");
  cmd->add_option("-H,--header", options->headers,
                  "header name=value added to every record; repeatable")
      ->check(CLI::Validator{check_header, "NAME=VALUE"});
  cmd->add_option("-c,--count", options->count, "exit after sending COUNT records")
      ->check(CLI::PositiveNumber);
  cmd->add_option("-p,--partition", options->partition,
                  "partition to send to; default: partitioned by key")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("-z,--compression", options->compression,
                  "none, gzip, snappy, lz4 or zstd; default: from the configuration");
  cmd->add_option("--encode", options->encode,
                  "each line (or -K's value) is one JSON object of TYPE (" +
                      MessageCodec::type_names() +
                      "): checked, encoded as --format, keyed by its symbol (source for event, "
                      "target for control) unless -K gives the key; a line that does not decode "
                      "is reported with its number and field, and not sent")
      ->type_name("TYPE");
  cmd->add_option("-f,--format", options->format,
                  "with --encode: json (default, written again canonically) or protobuf; the "
                  "content-type header says which");
  cmd->callback([options] {
    if (const int code = run_produce(*options); code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace mib::cli
