#include "mib/client/client.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <thread>

#include "client/broker_states.hpp"
#include "kafka/handle.hpp"

namespace mib {

struct Client::Impl {
  Config config;
  kafka::KafkaHandle handle;
  std::thread poller;
  std::atomic<bool> stopping{false};

  mutable std::mutex mutex;  // guards the statuses and callbacks below
  std::map<std::string, ConnectionStatus> brokers;
  ConnectionStatus overall{ConnectionState::connecting, {}};
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
    handle = kafka::make_handle(RD_KAFKA_PRODUCER, std::move(conf));
    poller = std::thread([this] {
      while (!stopping.load(std::memory_order_acquire)) rd_kafka_poll(handle.get(), 100);
    });
  }

  ~Impl() {
    stopping.store(true, std::memory_order_release);
    poller.join();
  }

  static int on_statistics(rd_kafka_t*, char* json, size_t size, void* opaque) {
    static_cast<Impl*>(opaque)->update(client::broker_states({json, size}));
    return 0;  // librdkafka frees the JSON
  }

  static void on_error(rd_kafka_t* rk, int code, const char* reason, void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    const auto err = static_cast<rd_kafka_resp_err_t>(code);
    std::string text = reason;
    if (err == RD_KAFKA_RESP_ERR__FATAL) {
      std::array<char, 512> detail{};
      rd_kafka_fatal_error(rk, detail.data(), detail.size());
      text = detail.data();
    }
    // Authentication, TLS and fatal errors will not heal by waiting; transport errors do.
    const bool lasting =
        err == RD_KAFKA_RESP_ERR__FATAL || err == RD_KAFKA_RESP_ERR__AUTHENTICATION ||
        err == RD_KAFKA_RESP_ERR__SSL || err == RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED;
    const std::lock_guard lock{self->mutex};
    if (lasting || err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
      self->set_overall(lasting ? ConnectionStatus{ConnectionState::error, text}
                                : ConnectionStatus{ConnectionState::reconnecting, text});
    } else {
      self->overall.reason = text;
    }
  }

  void update(const std::map<std::string, std::string>& states) {
    const std::lock_guard lock{mutex};
    for (const auto& [name, state] : states) {
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
      try {
        callback(broker, status);
      } catch (...) {
        // A callback's exception must not cross librdkafka's C frames.
      }
    }
  }
};

namespace {

std::string bootstrap_of(const Config& config) {
  std::string out;
  for (const auto& a : config.brokers.addresses) out += (out.empty() ? "" : ",") + a;
  return out;
}

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
  const auto bootstrap = [this] { return bootstrap_of(impl_->config); };
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const rd_kafka_metadata_t* md = nullptr;
  if (auto err = rd_kafka_metadata(rk, 1, nullptr, &md, static_cast<int>(timeout.count()))) {
    throw Exception{kafka::to_error(err, "metadata from " + bootstrap() + " within " +
                                             std::to_string(timeout.count()) +
                                             " ms: " + rd_kafka_err2str(err))};
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

Consumer Client::consumer(ConsumerOptions options) const {
  return Consumer{impl_->config, std::move(options)};
}

}  // namespace mib
