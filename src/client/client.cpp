#include "mib/client/client.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>

#include "client/broker_states.hpp"
#include "kafka/connection_watch.hpp"
#include "kafka/handle.hpp"
#include "kafka/poller.hpp"
#include "kafka/user_callback.hpp"
#include "mib/config/duration.hpp"

namespace mib {

struct Client::Impl {
  Config config;
  kafka::KafkaHandle handle;
  kafka::Poller poller;  // status events and statistics

  mutable std::mutex mutex;  // guards the statuses and callbacks below
  std::map<std::string, ConnectionStatus> brokers;
  ConnectionStatus overall{ConnectionState::connecting, {}};
  kafka::ConnectionWatch connection;
  std::vector<StatusCallback> callbacks;

  explicit Impl(Config c) : config(std::move(c)) {
    if (auto issues = config.validate(); !issues.empty()) throw ConfigError{std::move(issues)};
    KafkaProperties properties = config.admin_properties();
    if (config.global.statistics_interval.count() == 0) {
      properties["statistics.interval.ms"] = "1000";  // the status needs them
    }
    // Connect to every broker, not only those this handle sends requests to, so that the
    // status of each broker is observed.
    properties.try_emplace("enable.sparse.connections", "false");
    auto conf = kafka::make_conf(properties);
    rd_kafka_conf_set_opaque(conf.get(), this);
    rd_kafka_conf_set_stats_cb(conf.get(), &Impl::on_statistics);
    rd_kafka_conf_set_error_cb(conf.get(), &Impl::on_error);
    handle = kafka::make_handle(RD_KAFKA_PRODUCER, std::move(conf),
                                config.security.sasl.oauthbearer_token_provider);
    poller.start(handle.get());
  }

  ~Impl() { poller.stop(); }  // before the handle goes

  static int on_statistics(rd_kafka_t*, char* json, size_t size, void* opaque) {
    if (const auto statistics = kafka::parse_statistics({json, size})) {
      static_cast<Impl*>(opaque)->update(client::broker_states(*statistics));
    }
    return 0;  // librdkafka frees the JSON
  }

  static void on_error(rd_kafka_t* rk, int code, const char* reason, void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    const Error event = kafka::describe_error_event(rk, code, reason);
    self->connection.observe(event);
    const std::lock_guard lock{self->mutex};
    if (event.fatal() || kafka::is_lasting_connection_error(code)) {
      // Authentication, TLS and fatal errors will not heal by waiting.
      self->set_overall({ConnectionState::error, event.message()});
    } else if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
      // Why they are down says more than "1/1 brokers are down". A cluster never reached
      // is an error; one that was up is being reconnected to.
      const auto cause = self->connection.last_error();
      std::string text = cause ? cause->message() : event.message();
      self->set_overall(
          {self->connection.ever_reached() ? ConnectionState::reconnecting : ConnectionState::error,
           std::move(text)});
    } else if (kafka::is_connection_error(code)) {
      self->overall.reason = event.message();
    }
  }

  // A broker answered a request of ours: the cluster is reachable now, even before the
  // next statistics say so.
  void answered() {
    connection.reached();
    const std::lock_guard lock{mutex};
    set_overall({ConnectionState::connected, {}});
  }

  void update(const std::map<std::string, std::string>& states) {
    const std::lock_guard lock{mutex};
    // Entries gone from the statistics (bootstrap ones, once the brokers are known) go.
    std::erase_if(brokers, [&states](const auto& entry) { return !states.contains(entry.first); });
    for (const auto& [name, state] : states) {
      if (state == "UP") connection.reached();
      const ConnectionStatus previous = brokers[name];
      ConnectionStatus next = client::next_status(state, previous);
      if (next.state != previous.state) {
        brokers[name] = next;
        notify(name, next);
      }
    }
    set_overall(client::overall_status(brokers, overall));
  }

  // With the mutex held.
  void set_overall(ConnectionStatus next) {
    if (next == overall) return;
    overall = std::move(next);
    notify("", overall);
  }

  void notify(const std::string& broker, const ConnectionStatus& status) {
    for (const auto& callback : callbacks) {
      kafka::call_user("a Client status callback", [&] { callback(broker, status); });
    }
  }
};

namespace {

std::vector<std::int32_t> ids(const std::int32_t* list, int count) {
  return {list, list + count};
}

}  // namespace

Client::Client(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Client::~Client() = default;

const Config& Client::config() const noexcept {
  return impl_->config;
}

ClusterMetadata Client::metadata(std::chrono::milliseconds timeout) const {
  rd_kafka_t* rk = impl_->handle.get();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const rd_kafka_metadata_t* md = nullptr;
  if (auto err = rd_kafka_metadata(rk, 1, nullptr, &md, kafka::timeout_ms(timeout))) {
    std::string message = "metadata from " + impl_->config.bootstrap_servers() + " within " +
                          format_duration(timeout) + ": " + rd_kafka_err2str(err);
    throw Exception{kafka::to_error(err, impl_->connection.explain(std::move(message)))};
  }
  ClusterMetadata out;
  for (int i = 0; i < md->broker_cnt; ++i) {
    out.brokers.push_back({md->brokers[i].id, md->brokers[i].host, md->brokers[i].port});
  }
  for (int t = 0; t < md->topic_cnt; ++t) {
    const auto& topic = md->topics[t];
    TopicInfo info{topic.topic, {}, kafka::to_error(topic.err)};
    for (int p = 0; p < topic.partition_cnt; ++p) {
      const auto& part = topic.partitions[p];
      info.partitions.push_back({part.id, part.leader, ids(part.replicas, part.replica_cnt),
                                 ids(part.isrs, part.isr_cnt), kafka::to_error(part.err)});
    }
    out.topics.push_back(std::move(info));
  }
  rd_kafka_metadata_destroy(md);
  impl_->answered();
  // The rest of the budget for the cluster id and controller, which need their own request.
  const auto left = std::max<std::int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  deadline - std::chrono::steady_clock::now())
                                                  .count());
  if (char* id = rd_kafka_clusterid(rk, static_cast<int>(left))) {
    out.cluster_id = id;
    rd_kafka_mem_free(rk, id);
  }
  out.controller = rd_kafka_controllerid(rk, 0);
  return out;
}

Error Client::wait_for_cluster(std::chrono::milliseconds timeout,
                               const std::function<bool()>& cancelled) const {
  Error err = kafka::wait_for_cluster(impl_->handle.get(), impl_->connection,
                                      impl_->config.bootstrap_servers(), timeout, cancelled);
  if (!err) impl_->answered();
  return err;
}

HealthReport Client::health(std::chrono::milliseconds timeout) const {
  HealthReport report;
  report.status = status();
  const auto start = std::chrono::steady_clock::now();
  try {
    const ClusterMetadata md = metadata(timeout);
    report.metadata_latency = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    report.brokers = md.brokers.size();
    if (md.brokers.empty()) report.problems.push_back("the cluster lists no brokers");
    for (const auto& topic : md.topics) {
      if (topic.error) {
        report.problems.push_back("topic '" + topic.name + "': " + topic.error.message());
        continue;
      }
      for (const auto& p : topic.partitions) {
        const std::string where = "topic '" + topic.name + "' partition " + std::to_string(p.id);
        if (p.leader < 0) {
          report.problems.push_back(where + " has no leader");
        } else if (p.isr.size() < p.replicas.size()) {
          report.warnings.push_back(
              where + " is under-replicated: " + std::to_string(p.isr.size()) + " of " +
              std::to_string(p.replicas.size()) + " replicas in sync");
        }
      }
    }
  } catch (const Exception& e) {
    report.problems.push_back(e.what());
  }
  if (report.status.state == ConnectionState::error) {
    report.problems.push_back("connection error: " + report.status.reason);
  }
  return report;
}

ConnectionStatus Client::status() const {
  const std::lock_guard lock{impl_->mutex};
  return impl_->overall;
}

std::map<std::string, ConnectionStatus> Client::broker_status() const {
  const std::lock_guard lock{impl_->mutex};
  return impl_->brokers;
}

void Client::on_status_change(StatusCallback callback) {
  const std::lock_guard lock{impl_->mutex};
  impl_->callbacks.push_back(std::move(callback));
}

Producer Client::producer() const {
  return Producer{impl_->config};
}

Admin Client::admin() const {
  return Admin{impl_->config};
}

Consumer Client::consumer(ConsumerOptions options) const {
  return Consumer{impl_->config, std::move(options)};
}

}  // namespace mib
