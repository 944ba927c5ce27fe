// Engine: a Topology on the processing loop. The loop's thread runs everything of the
// topology: the records, the wall-clock steps, the sinks' sends.
#include "mib/streams/engine.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <mutex>
#include <optional>

#include "kafka/user_callback.hpp"
#include "mib/admin/admin.hpp"
#include "mib/client/client.hpp"
#include "mib/consumer/consumer.hpp"
#include "mib/log.hpp"
#include "mib/metrics/registry.hpp"
#include "mib/processor/processor.hpp"
#include "mib/producer/producer.hpp"

namespace mib::streams {
namespace {

constexpr std::chrono::seconds rate_window{1};
// On a repartition topic's records: the origin's watermark when it was sent, in ms.
constexpr std::string_view watermark_header = "mib.watermark";
constexpr std::chrono::seconds late_log_every{10};

Timestamp wall_clock_now() {
  return std::chrono::floor<Millis>(Clock::now());
}

}  // namespace

std::string to_string(const EngineStatus& status) {
  switch (status.state) {
    case EngineState::stopped: return "Stopped";
    case EngineState::starting: return "Starting";
    case EngineState::running: return "Running";
    case EngineState::stopping: return "Stopping";
    case EngineState::failed: return "Failed(" + status.reason + ")";
  }
  return "Unknown";
}

struct Engine::Impl final : detail::Emitter {
  std::string name;
  Topology& topology;
  EngineOptions options;
  std::optional<Config> admin_config;  // from the Client, when built from one
  std::optional<Consumer> own_consumer;
  std::optional<Producer> own_producer;
  Consumer* consumer = nullptr;
  Producer* producer = nullptr;
  std::unique_ptr<Processor> processor;

  mutable std::mutex status_mutex;
  EngineStatus status_value;
  std::atomic<bool> polled{false};  // the loop has polled once since start()

  // Written on the loop's thread, read by metrics().
  std::atomic<std::uint64_t> send_failures{0}, late{0}, output{0};
  std::atomic<std::size_t> state_bytes{0};
  std::atomic<double> processing_rate{0}, throughput{0};
  std::chrono::steady_clock::time_point started{};
  std::uint64_t received_before_start = 0;
  // The loop's thread only.
  std::chrono::steady_clock::time_point last_rate{};
  std::uint64_t last_processed = 0, last_output = 0, last_logged_late = 0;
  std::chrono::steady_clock::time_point last_late_log{};
  detail::SourceBase* last_source = nullptr;
  std::uint64_t rebalances_seen = 0;
  bool assignment_known = false;

  std::mutex join_mutex;  // Processor::wait() joins: one caller at a time

  metrics::Registration registration;
  bool registered = false;

  Error join() {
    const std::lock_guard lock{join_mutex};
    return processor->wait();
  }

  Impl(std::string n, Topology& t, EngineOptions o)
      : name(std::move(n)), topology(t), options(std::move(o)) {
    detail::Graph& graph = topology.graph();
    if (graph.sources().empty()) {
      throw Exception{Error{errc::invalid_argument,
                            "stream engine '" + name + "': the topology has no source"}};
    }
    // Repartition topics are the engine's own, as Kafka Streams names them by application.
    for (detail::SourceBase* source : graph.sources()) {
      if (source->internal()) source->rename(name + "-" + source->topic());
    }
    for (const auto& sink : graph.sinks()) {
      if (sink->internal()) sink->rename(name + "-" + sink->topic());
    }
  }

  // Makes the repartition topics that are missing, with as many partitions as the most of
  // the source topics (what Kafka Streams does), from the client's Config.
  void make_internal_topics() const {
    std::vector<std::string> internal;
    std::vector<std::string> inputs;
    for (const detail::SourceBase* source : topology.graph().sources()) {
      (source->internal() ? internal : inputs).push_back(source->topic());
    }
    if (internal.empty()) return;
    if (!admin_config) {
      throw Exception{
          Error{errc::invalid_argument,
                "stream engine '" + name + "': the repartition topic '" + internal.front() +
                    "' is made only by an Engine built from a Client; create it, or build the "
                    "Engine from the Client"}};
    }
    const Admin admin{*admin_config};
    std::int32_t partitions = 1;
    for (const std::string& topic : inputs) {
      partitions = std::max(
          partitions, static_cast<std::int32_t>(admin.describe_topic(topic).partitions.size()));
    }
    std::vector<NewTopic> topics;
    for (const std::string& topic : internal)
      topics.push_back({.name = topic, .partitions = partitions});
    const std::vector<Error> results = admin.create_topics(topics);
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (results[i] && results[i].code() != errc::topic_already_exists) {
        throw Exception{results[i].with_context(
            "stream engine '" + name + "': making its repartition topic '" + topics[i].name + "'")};
      }
    }
  }

  void emit(const std::string& topic, std::string_view key, std::string_view value, Timestamp time,
            std::string_view content_type, Timestamp watermark) override {
    char mark[24];
    std::size_t mark_size = 0;
    if (watermark != no_time) {
      mark_size = static_cast<std::size_t>(
          std::to_chars(mark, mark + sizeof mark, watermark.time_since_epoch().count()).ptr - mark);
    }
    const Header headers[] = {{content_type_header, content_type},
                              {watermark_header, std::string_view{mark, mark_size}}};
    producer->send(mib::Record{.topic = topic,
                               .key = key,
                               .value = value,
                               .headers = std::span<const Header>{headers, mark_size > 0 ? 2U : 1U},
                               .timestamp = time},
                   [this](const DeliveryReport& report) {
                     if (!report.ok()) send_failures.fetch_add(1, std::memory_order_relaxed);
                   });
  }

  detail::SourceBase& source_of(const Message& m) {
    if (last_source == nullptr || last_source->topic() != m.topic()) {
      last_source = topology.graph().source(m.topic());
      if (last_source == nullptr) {
        throw Exception{
            Error{errc::invalid_argument, "stream engine '" + name + "': a record of topic '" +
                                              std::string{m.topic()} + "', which is no source"}};
      }
    }
    return *last_source;
  }

  void handle(const Message& m) {
    detail::SourceBase& source = source_of(m);
    Timestamp watermark = no_time;
    if (source.internal()) {
      if (const auto mark = m.header(watermark_header)) {
        std::int64_t ms = 0;
        if (std::from_chars(mark->data(), mark->data() + mark->size(), ms).ec == std::errc{}) {
          watermark = Timestamp{Millis{ms}};
        }
      }
    }
    if (Error e =
            source.push_encoded(m.key(), m.value(), m.timestamp(), m.partition(), watermark)) {
      throw Exception{Error{errc::bad_message, "topic '" + std::string{m.topic()} + "' partition " +
                                                   std::to_string(m.partition()) + " offset " +
                                                   std::to_string(m.offset()) + ": " +
                                                   e.message()}};
    }
  }

  // After each poll, on the loop's thread: wall-clock time, then the figures.
  void on_poll() {
    detail::Graph& graph = topology.graph();
    graph.context.wall_now = wall_clock_now();
    follow_assignment();
    for (const auto& node : graph.nodes()) {
      if (auto problem = kafka::what_threw([&] { node->on_wall_clock(); })) {
        log::write({.level = log::Level::error,
                    .source = "mib::streams::Engine",
                    .message = "engine '" + name + "': operator '" + node->name() +
                               "' failed at a wall-clock step: " + *problem});
      }
    }
    if (!polled.exchange(true)) set_state(EngineState::running);
    const auto now = std::chrono::steady_clock::now();
    if (now - last_rate < rate_window) return;
    update_figures(now);
  }

  // A new assignment: its partitions count in each source's watermark from now on.
  void follow_assignment() {
    const std::uint64_t rebalances = consumer->metrics().rebalances_total;
    if (rebalances == rebalances_seen && assignment_known) return;
    rebalances_seen = rebalances;
    assignment_known = true;
    const std::vector<TopicPartition> assigned = consumer->assignment();
    for (detail::SourceBase* source : topology.graph().sources()) {
      std::vector<std::int32_t> partitions;
      for (const TopicPartition& tp : assigned) {
        if (tp.topic == source->topic()) partitions.push_back(tp.partition);
      }
      source->expect(partitions);
    }
  }

  void update_figures(std::chrono::steady_clock::time_point now) {
    const detail::Graph& graph = topology.graph();
    std::uint64_t out = 0;
    for (const auto& sink : graph.sinks()) out += sink->records_out();
    std::uint64_t late_now = 0;
    std::size_t bytes = 0;
    for (const auto& node : graph.nodes()) {
      late_now += node->late_records();
      bytes += node->state_bytes();
    }
    const std::uint64_t processed = processor->metrics().records_processed_total;
    const double seconds = std::chrono::duration<double>(now - last_rate).count();
    if (last_rate != std::chrono::steady_clock::time_point{} && seconds > 0) {
      processing_rate.store(static_cast<double>(processed - last_processed) / seconds);
      throughput.store(static_cast<double>(out - last_output) / seconds);
    }
    last_rate = now;
    last_processed = processed;
    last_output = out;
    output.store(out);
    late.store(late_now);
    state_bytes.store(bytes);
    if (late_now > last_logged_late && now - last_late_log >= late_log_every) {
      log::write({.level = log::Level::warning,
                  .source = "mib::streams::Engine",
                  .message = "engine '" + name +
                             "': " + std::to_string(late_now - last_logged_late) +
                             " records came later than their window's grace (" +
                             std::to_string(late_now) + " in all; see late())"});
      last_logged_late = late_now;
      last_late_log = now;
    }
  }

  void set_state(EngineState state, std::string reason = {}) {
    const std::lock_guard lock{status_mutex};
    status_value = {state, std::move(reason)};
  }

  EngineMetrics metrics_view() const {
    EngineMetrics m;
    if (processor) {
      const ProcessorMetrics p = processor->metrics();
      m.records_processed = p.records_processed_total;
      m.errors = p.failures_total;
      m.dead_letters = p.dead_letters_total;
      m.processing_duration = p.process_duration;
      const std::uint64_t received = consumer->metrics().messages_received_total;
      const std::uint64_t taken = received - std::min(received, received_before_start);
      m.buffer_size = taken - std::min(taken, p.records_processed_total);
    }
    m.errors += send_failures.load();
    m.records_output = output.load();
    m.late_records = late.load();
    m.processing_rate = processing_rate.load();
    m.throughput = throughput.load();
    m.error_rate = m.records_processed == 0
                       ? 0
                       : static_cast<double>(m.errors) / static_cast<double>(m.records_processed);
    m.state_bytes = state_bytes.load();
    if (started != std::chrono::steady_clock::time_point{}) {
      m.uptime = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started);
    }
    return m;
  }

  void register_metrics() {
    registration = metrics::registry().add([this](metrics::Collection& out) {
      const EngineMetrics m = metrics_view();
      const metrics::Labels labels{{"engine", name}};
      out.counter("stream_records_output_total", "Records the engine sent to its sink topics.",
                  labels, static_cast<double>(m.records_output));
      out.counter("stream_late_records_total",
                  "Records later than their window's grace, sent to late() or dropped.", labels,
                  static_cast<double>(m.late_records));
      out.gauge("stream_throughput", "Records output per second, over the last second.", labels,
                m.throughput);
      out.gauge("stream_processing_rate", "Input records per second, over the last second.", labels,
                m.processing_rate);
      out.gauge("stream_error_rate", "Failed input records per input record, since start.", labels,
                m.error_rate);
      out.gauge("stream_buffer_size", "Records polled from the cluster and not yet processed.",
                labels, static_cast<double>(m.buffer_size));
      out.gauge("stream_state_bytes", "Bytes of window state held (an estimate).", labels,
                static_cast<double>(m.state_bytes));
      out.gauge("stream_uptime_seconds", "Seconds since the engine started.", labels,
                std::chrono::duration<double>(m.uptime).count());
      out.histogram("stream_processing_duration_seconds",
                    "Time an input record takes through the topology (one in 16 timed).", labels,
                    m.processing_duration);
    });
  }
};

Engine::Engine(std::string name, Topology& topology, const Client& client, EngineOptions options)
    : impl_(std::make_unique<Impl>(std::move(name), topology, std::move(options))) {
  impl_->admin_config.emplace(client.config());
  impl_->own_consumer.emplace(client.consumer({.group_id = impl_->name}));
  impl_->own_producer.emplace(client.producer());
  impl_->consumer = &*impl_->own_consumer;
  impl_->producer = &*impl_->own_producer;
}

Engine::Engine(std::string name, Topology& topology, Consumer& consumer, Producer& producer,
               EngineOptions options)
    : impl_(std::make_unique<Impl>(std::move(name), topology, std::move(options))) {
  impl_->consumer = &consumer;
  impl_->producer = &producer;
}

Engine::~Engine() {
  stop();
  impl_->registration.reset();
}

void Engine::start() {
  Impl& i = *impl_;
  if (i.processor && i.processor->running()) {
    throw Exception{Error{errc::state, "stream engine '" + i.name + "' is already running"}};
  }
  i.processor.reset();  // a previous run's loop, ended
  i.set_state(EngineState::starting);
  try {
    i.make_internal_topics();
  } catch (const Exception& e) {
    i.set_state(EngineState::failed, e.what());
    throw;
  }
  for (const auto& sink : i.topology.graph().sinks()) sink->bind(&i);
  i.polled.store(false);
  i.started = std::chrono::steady_clock::now();
  i.received_before_start = i.consumer->metrics().messages_received_total;
  i.consumer->subscribe(i.topology.source_topics());
  ProcessorOptions po;
  po.error_policy = ErrorPolicy::dead_letter();
  if (i.options.dead_letter_suffix.empty()) po.error_policy = ErrorPolicy::stop();
  po.dead_letter_suffix = i.options.dead_letter_suffix;
  po.commit_interval = i.options.commit_interval;
  po.on_poll = [&i] { i.on_poll(); };
  i.processor = std::make_unique<Processor>(*i.consumer, *i.producer, std::move(po));
  if (!i.registered) {
    i.register_metrics();
    i.registered = true;
  }
  i.processor->run(MessageHandler{[&i](const Message& m) { i.handle(m); }});
}

void Engine::stop() {
  Impl& i = *impl_;
  if (!i.processor) return;
  const EngineState before = status().state;
  if (before == EngineState::stopped) return;
  if (before != EngineState::failed) i.set_state(EngineState::stopping);
  i.processor->stop();
  Error why = i.join();
  if (Error e = i.producer->flush(std::chrono::seconds{30})) {
    if (!why) why = e.with_context("stream engine '" + i.name + "': flush at stop");
  }
  i.update_figures(std::chrono::steady_clock::now());
  if (why) {
    i.set_state(EngineState::failed, why.message());
  } else {
    i.set_state(EngineState::stopped);
  }
}

Error Engine::wait() {
  if (!impl_->processor) return {};
  Error why = impl_->join();
  if (why) impl_->set_state(EngineState::failed, why.message());
  return why;
}

EngineStatus Engine::status() const {
  EngineStatus s;
  {
    const std::lock_guard lock{impl_->status_mutex};
    s = impl_->status_value;
  }
  // The loop ended by itself: on an error, Failed with it.
  if ((s.state == EngineState::running || s.state == EngineState::starting) && impl_->processor &&
      !impl_->processor->running()) {
    const Error why = impl_->join();
    impl_->set_state(why ? EngineState::failed : EngineState::stopped, why ? why.message() : "");
    const std::lock_guard lock{impl_->status_mutex};
    return impl_->status_value;
  }
  return s;
}

bool Engine::running() const {
  return status().state == EngineState::running;
}

EngineMetrics Engine::metrics() const {
  return impl_->metrics_view();
}

const std::string& Engine::name() const noexcept {
  return impl_->name;
}

metrics::Check running(const Engine& engine) {
  return [&engine] {
    const EngineStatus s = engine.status();
    return metrics::CheckResult{s.state == EngineState::running,
                                "stream engine '" + engine.name() + "': " + to_string(s)};
  };
}

}  // namespace mib::streams
