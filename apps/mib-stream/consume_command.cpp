// `mib-stream consume -t TOPIC`: records to stdout, one per line, like kcat's consumer mode.
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli_config.hpp"
#include "commands.hpp"
#include "interrupt.hpp"
#include "mib/client/client.hpp"
#include "mib/config/config.hpp"
#include "mib/consumer/consumer.hpp"
#include "partition_ends.hpp"
#include "record_decoder.hpp"
#include "record_format.hpp"
#include "serve_options.hpp"
#include "start_offset.hpp"

namespace mib::cli {
namespace {

// How long one request to the cluster (metadata, watermarks, a seek) may take.
constexpr std::chrono::milliseconds request_timeout{10'000};
// How often the loop looks at Ctrl-C, -e and -c while no record comes.
constexpr std::chrono::milliseconds poll_interval{100};

struct ConsumeOptions {
  ConnectionOptions connection;
  ServeOptions serve;
  std::vector<std::string> topics;
  std::optional<std::int32_t> partition;
  std::string offset;  // -o as written; empty: the beginning, or with -g the group's offsets
  std::string group;
  std::optional<std::uint64_t> count;
  bool exit_at_end = false;
  std::string format;  // empty: value, or kv when -K is given; with --decode: json
  std::optional<std::string> key_delimiter;
  bool json = false;     // -J, kcat's shorthand for -f json
  DecodeOptions decode;  // --decode and --registry (-f, -J and -K are copied in to check)
};

// What the options mean together, once checked.
struct Plan {
  std::vector<std::string> topics;  // -t, each once
  RecordFormat format = RecordFormat::value;
  std::string key_delimiter;
  std::optional<StartOffset> start;  // none: the beginning, or with -g the group's offsets
  bool group = false;
  std::optional<MessageCodec> codec;  // --decode's type in --format's encoding
};

bool is_pattern(std::string_view topic) {
  return topic.starts_with('^');
}

// Checks what CLI11 cannot see option by option; throws CLI::ValidationError naming the
// option, which main() turns into exit status 2.
Plan make_plan(const ConsumeOptions& options) {
  Plan plan;
  plan.group = !options.group.empty();
  DecodeOptions decode = options.decode;
  decode.format = options.format;
  decode.json_flag = options.json;
  decode.key_delimiter = options.key_delimiter.has_value();
  plan.codec = decode_codec(decode);
  std::string format = plan.codec ? "value" : options.format;
  if (options.json) {
    if (!format.empty() && format != "json") {
      throw CLI::ValidationError("-J", "means -f json, but -f " + format + " was given");
    }
    format = "json";
  }
  if (format.empty()) format = options.key_delimiter ? "kv" : "value";
  plan.format = *parse_record_format(format);  // CLI11 checked the name
  if (options.key_delimiter) {
    if (plan.format != RecordFormat::kv) {
      throw CLI::ValidationError("--key-delimiter",
                                 "only applies to -f kv, but the format is " + format);
    }
    plan.key_delimiter = *options.key_delimiter;
  } else {
    plan.key_delimiter = "\t";
  }
  if (!options.offset.empty()) plan.start = parse_start_offset(options.offset);
  for (const std::string& topic : options.topics) {
    if (std::find(plan.topics.begin(), plan.topics.end(), topic) == plan.topics.end()) {
      plan.topics.push_back(topic);
    }
    if (is_pattern(topic) && !plan.group) {
      throw CLI::ValidationError("--topic", "'" + topic +
                                                "' is a pattern, which needs -g GROUP: only a "
                                                "group follows the topics a pattern matches");
    }
  }
  return plan;
}

// The file, the environment and --brokers, then what this command's options say.
Config consumer_config(const ConsumeOptions& options, const Plan& plan) {
  Config config = load_config(options.connection);
  prepare_serving(options.serve, config);
  if (plan.group) {
    config.set("consumer.group_id", options.group);
    // A group new to the topic reads what it already holds, as kcat does, unless the
    // configuration says otherwise.
    if (config.origin("consumer.auto_offset_reset") == Origin::default_value) {
      config.set("consumer.auto_offset_reset", "earliest");
    }
  } else {
    // Partitions assigned by hand: the group id only names the client; commit nothing.
    config.set("consumer.enable_auto_commit", "false");
  }
  // -e hears from librdkafka when a partition has nothing more to read.
  if (options.exit_at_end) config.librdkafka.consumer["enable.partition.eof"] = "true";
  return config;
}

// The partitions to assign by hand (every partition of each topic, or -p's), or why the
// topics cannot be read. With a group only their existence is checked.
std::vector<TopicPartition> partitions_to_read(const ClusterMetadata& metadata,
                                               const ConsumeOptions& options, const Plan& plan,
                                               std::string& problem) {
  std::vector<TopicPartition> partitions;
  for (const std::string& topic : plan.topics) {
    if (is_pattern(topic)) continue;
    const TopicInfo* info = metadata.topic(topic);
    if (info == nullptr) {
      problem = "topic '" + topic + "' does not exist";
      return {};
    }
    if (info->error) {
      problem = "topic '" + topic + "': " + info->error.message();
      return {};
    }
    if (options.partition) {
      bool found = false;
      for (const PartitionInfo& p : info->partitions) found = found || p.id == *options.partition;
      if (!found) {
        problem = "topic '" + topic + "' has no partition " + std::to_string(*options.partition) +
                  " (it has " + std::to_string(info->partitions.size()) + ")";
        return {};
      }
      partitions.push_back({topic, *options.partition});
    } else {
      for (const PartitionInfo& p : info->partitions) partitions.push_back({topic, p.id});
    }
  }
  return partitions;
}

// What the reading loop and the rebalance listener share.
struct Reading {
  PartitionEnds ends;
  // Partitions -o has placed: one handed back by a later rebalance goes on from the
  // group's committed offset instead of starting over.
  std::set<std::pair<std::string, std::int32_t>> started;
  Error failure;  // stops the loop; exit status 1
  std::uint64_t printed = 0;
  std::uint64_t undecodable = 0;  // --decode: reported on stderr instead of printed
};

ConsumerOptions group_options(const ConsumeOptions& options, const Plan& plan, Reading& reading) {
  ConsumerOptions out;
  out.topics = plan.topics;
  // librdkafka retries the rest (a broker down, a failed commit) by itself: say so, go on.
  out.on_error = [&reading](const Error& error) {
    if (error.fatal()) {
      reading.failure = error;
    } else {
      std::cerr << "mib-stream: " << error.message() << '\n';
    }
  };
  // Runs inside poll(): where new partitions start, and their ends for -e.
  out.rebalance.on_assigned = [&options, &plan, &reading](
                                  Consumer& consumer, const std::vector<TopicPartition>& assigned) {
    try {
      if (plan.start) {
        std::vector<TopicPartition> fresh;
        for (const TopicPartition& p : assigned) {
          if (reading.started.insert({p.topic, p.partition}).second) fresh.push_back(p);
        }
        if (Error e = seek_to_start(consumer, fresh, *plan.start, request_timeout)) {
          reading.failure = e;
        }
      }
      if (options.exit_at_end) reading.ends.assigned(consumer, assigned, request_timeout);
    } catch (const Exception& e) {
      reading.failure = e.error();
    }
  };
  const auto gone = [&reading](Consumer&, const std::vector<TopicPartition>& partitions) {
    reading.ends.revoked(partitions);
  };
  out.rebalance.on_revoked = gone;
  out.rebalance.on_lost = gone;
  return out;
}

// Assigns the partitions by hand, each starting where -o says (the beginning without it).
void assign(Consumer& consumer, const std::vector<TopicPartition>& partitions,
            const ConsumeOptions& options, const Plan& plan, Reading& reading) {
  const StartOffset start = plan.start.value_or(StartOffset{});
  if (options.exit_at_end) reading.ends.assigned(consumer, partitions, request_timeout);
  consumer.assign(starting_offsets(consumer, partitions, start, request_timeout));
}

// Stdout failed. A reader that went away (`| head`) ends the run quietly, as -c does.
void output_failed(Reading& reading) {
  if (errno != EPIPE) {
    reading.failure = Error{errc::state, std::string{"writing to stdout: "} + std::strerror(errno)};
  }
}

// Flushes stdout; false if it failed or its reader is gone, which a flush with nothing
// left to write would not show (poll() reports a pipe without reader as POLLERR).
bool flush_output(Reading& reading) {
  if (std::fflush(stdout) != 0) {
    output_failed(reading);
    return false;
  }
  pollfd out{.fd = STDOUT_FILENO, .events = 0, .revents = 0};
  return ::poll(&out, 1, 0) <= 0 || (out.revents & (POLLERR | POLLHUP)) == 0;
}

bool done(const ConsumeOptions& options, const Reading& reading) {
  return interrupted() || reading.failure ||
         (options.count && reading.printed + reading.undecodable >= *options.count) ||
         (options.exit_at_end && reading.ends.all_reached());
}

// Polls and prints until -c, -e, Ctrl-C, a failure or a closed stdout.
void read_records(Consumer& consumer, const ConsumeOptions& options, const Plan& plan,
                  RecordDecoder* decoder, Reading& reading) {
  std::string line;
  while (!done(options, reading)) {
    auto record = consumer.poll(poll_interval);
    if (!record) {
      // Idle: whoever reads the pipe sees everything so far (and a closed one shows).
      if (!flush_output(reading)) return;
      continue;
    }
    if (!record->ok()) {
      if (record->error().code() == mib::errc::partition_eof) {
        reading.ends.no_more_records(record->topic(), record->partition());
        continue;
      }
      // For example an unknown partition, or no authorization for the topic.
      if (record->error().retriable()) {
        std::cerr << "mib-stream: " << record->error().message() << '\n';
      } else {
        reading.failure = record->error();
      }
      continue;
    }
    if (options.exit_at_end) {
      reading.ends.read(record->topic(), record->partition(), record->offset());
    }
    line.clear();
    if (decoder == nullptr) {
      append_record(*record, plan.format, plan.key_delimiter, line);
    } else {
      try {
        if (!decoder->decode(*record, line)) {
          ++reading.undecodable;
          continue;
        }
      } catch (const Exception& e) {  // the registry does not answer
        reading.failure = e.error();
        // Not done with: a group's commit at the end must leave it for the next run.
        const TopicPartition again{std::string{record->topic()}, record->partition(),
                                   record->offset()};
        if (const Error err = consumer.seek(again, request_timeout)) {
          std::cerr << "mib-stream: " << err.message() << '\n';
        }
        return;
      }
    }
    if (std::fwrite(line.data(), 1, line.size(), stdout) != line.size()) {
      output_failed(reading);
      return;
    }
    ++reading.printed;
  }
}

int run_consume(const ConsumeOptions& options, const Plan& plan) {
  const Config config = consumer_config(options, plan);
  std::optional<RecordDecoder> decoder;
  if (plan.codec) decoder.emplace(config, *plan.codec, options.decode);
  watch_interrupts();

  const Client client{config};
  // A wrong or dead cluster is named within the connection timeout; Ctrl-C ends the wait.
  if (const Error err = client.wait_for_cluster(config.client.connection_timeout, interrupted)) {
    if (interrupted()) {
      std::cerr << "0 records read\n";
      return interrupted_status();
    }
    std::cerr << "mib-stream: " << err.message() << '\n';
    return 1;
  }
  std::string problem;
  const auto partitions =
      partitions_to_read(client.metadata(request_timeout), options, plan, problem);
  if (!problem.empty()) {
    std::cerr << "mib-stream: " << problem << '\n';
    return 1;
  }

  Reading reading;  // outlives the consumer, whose listener uses it
  Consumer consumer =
      client.consumer(plan.group ? group_options(options, plan, reading) : ConsumerOptions{});
  const auto http = serve(options.serve, client.config());
  if (http) http->add_readiness_check("consumer", metrics::assigned(consumer));
  if (!plan.group) assign(consumer, partitions, options, plan, reading);
  read_records(consumer, options, plan, decoder ? &*decoder : nullptr, reading);
  flush_output(reading);

  int status = 0;
  if (reading.failure) {
    std::cerr << "mib-stream: " << reading.failure.message() << '\n';
    status = 1;
  }
  // What was printed is done with: commit it, then leave the group.
  if (plan.group) {
    if (const Error err = consumer.commit()) {
      std::cerr << "mib-stream: " << err.message() << '\n';
      status = 1;
    }
  }
  consumer.close();
  if (decoder) {
    std::cerr << reading.printed + reading.undecodable << " records read: " << reading.printed
              << " decoded, " << reading.undecodable << " not decodable\n";
    if (reading.undecodable > 0) status = 1;
  } else {
    std::cerr << reading.printed << " records read\n";
  }
  return status;
}

// A CLI11 check that text is a whole number of at least `least`.
CLI::Validator whole_number(std::int64_t least) {
  return CLI::Validator{[least](const std::string& text) -> std::string {
                          std::int64_t value = 0;
                          const char* end = text.data() + text.size();
                          const auto [ptr, ec] = std::from_chars(text.data(), end, value);
                          if (ec == std::errc{} && ptr == end && value >= least) return {};
                          return "expected a whole number of at least " + std::to_string(least) +
                                 ", got '" + text + "'";
                        },
                        "N"};
}

}  // namespace

void add_consume(CLI::App& app) {
  auto options = std::make_shared<ConsumeOptions>();
  auto* cmd = app.add_subcommand(
      "consume", "Print the records of topics to stdout, one per line (like kcat -C)");
  add_connection_options(*cmd, options->connection);
  add_serve_options(*cmd, options->serve);
  cmd->add_option("-t,--topic", options->topics,
                  "topic to read; repeatable or comma-separated; with -g, '^regex' matches topics")
      ->required()
      ->delimiter(',');
  auto* group = cmd->add_option("-g,--group", options->group,
                                "read as a member of this consumer group, from its committed "
                                "offsets, and commit what was printed; default: assign every "
                                "partition by hand, commit nothing");
  cmd->add_option("-p,--partition", options->partition, "read only this partition")
      ->check(whole_number(0))
      ->excludes(group);
  cmd->add_option("-o,--offset", options->offset,
                  "where to start: beginning (default), end, OFFSET, -N (the last N records), "
                  "@TIME (RFC 3339 or epoch ms: the first record at or after it); with -g it "
                  "overrides the committed offset")
      ->check(CLI::Validator{check_start_offset, "START"});
  cmd->add_option("-c,--count", options->count,
                  "exit after COUNT records (with --decode, those not decodable count too)")
      ->check(whole_number(1));
  cmd->add_flag("-e,--exit", options->exit_at_end,
                "exit once every partition is read up to where it ended at the start");
  cmd->add_option("-f,--format", options->format,
                  "value (default), kv (key, delimiter, value) or json (one object per record, "
                  "with metadata and headers); with --decode: the values' encoding, json "
                  "(default) or protobuf")
      ->check(CLI::Validator{[](const std::string& name) -> std::string {
                               if (parse_record_format(name) || parse_value_encoding(name)) {
                                 return {};
                               }
                               return "expected value, kv, json or protobuf, got '" + name + "'";
                             },
                             "FORMAT"});
  cmd->add_flag("-J,--json", options->json, "the same as -f json");
  cmd->add_option("-K,--key-delimiter", options->key_delimiter,
                  "for -f kv (which it implies): what goes between key and value; default tab");
  cmd->add_option("--decode", options->decode.type,
                  "print each value decoded as TYPE (" + MessageCodec::type_names() +
                      "), one JSON object per line; a value that does not decode is "
                      "reported on stderr with its topic, partition and offset, and the run goes "
                      "on (exit status 1)")
      ->type_name("TYPE");
  cmd->add_option("--registry", options->decode.registry,
                  "with --decode: values are in the Confluent wire format (magic byte, schema "
                  "id); look the ids up in the schema registry at URL (default: the "
                  "configuration's [schema_registry] url)")
      ->expected(0, 1)
      ->type_name("[URL]");
  cmd->callback([options] {
    const Plan plan = make_plan(*options);
    if (const int code = run_consume(*options, plan); code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace mib::cli
