// mib::Admin: the handle, how requests are awaited, and topics.
#include "mib/admin/admin.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <thread>

#include "admin/admin_impl.hpp"
#include "mib/config/duration.hpp"
#include "mib/log.hpp"
#include "mib/serde/rfc3339.hpp"

namespace mib {
namespace admin {

Error resource_error(rd_kafka_resp_err_t code, const char* reason, std::string_view what) {
  std::string message{what};
  message += ": ";
  message += reason != nullptr && *reason != '\0' ? reason : rd_kafka_err2str(code);
  return kafka::to_error(code, std::move(message));
}

void check(rd_kafka_resp_err_t code, const char* reason, std::string_view what) {
  if (code != RD_KAFKA_RESP_ERR_NO_ERROR) throw Exception{resource_error(code, reason, what)};
}

void check(const rd_kafka_error_t* error, std::string_view what) {
  if (error != nullptr) check(rd_kafka_error_code(error), rd_kafka_error_string(error), what);
}

void check_topic_results(const rd_kafka_topic_result_t* const* results, std::size_t count,
                         std::string_view what) {
  for (std::size_t r = 0; r < count; ++r) {
    check(rd_kafka_topic_result_error(results[r]), rd_kafka_topic_result_error_string(results[r]),
          what);
  }
}

namespace {

// Kafka's internal topics (org.apache.kafka.common.internals.Topic): hidden from lists
// unless asked. The metadata librdkafka 2.0.2 exposes has no is_internal flag.
bool is_internal(std::string_view topic) {
  static constexpr std::array<std::string_view, 3> internal{
      "__consumer_offsets", "__transaction_state", "__share_group_state"};
  return std::find(internal.begin(), internal.end(), topic) != internal.end();
}

}  // namespace
}  // namespace admin

Admin::Impl::Impl(Config c) : config(std::move(c)) {
  if (auto issues = config.validate(); !issues.empty()) throw ConfigError{std::move(issues)};
  auto conf = kafka::make_conf(config.admin_properties());
  rd_kafka_conf_set_opaque(conf.get(), this);
  rd_kafka_conf_set_error_cb(conf.get(), [](rd_kafka_t* rk, int code, const char* reason,
                                            void* opaque) {
    static_cast<Impl*>(opaque)->connection.observe(kafka::describe_error_event(rk, code, reason));
  });
  handle = kafka::make_handle(RD_KAFKA_PRODUCER, std::move(conf),
                              config.security.sasl.oauthbearer_token_provider);
  poller.start(handle.get());
  name = rd_kafka_name(handle.get());
  registration = metrics::registry().add([this](metrics::Collection& out) {
    const std::lock_guard lock{operations_mutex};
    for (const auto& [key, count] : operations) {
      out.counter(
          "admin_operations_total", "Changes made through the admin client, by result.",
          {{"client", name}, {"operation", key.first}, {"result", key.second ? "ok" : "failed"}},
          static_cast<double>(count));
    }
  });
}

void Admin::Impl::note(std::string_view action, const std::string& target,
                       std::string_view error) const {
  if (action.empty()) return;
  {
    const std::lock_guard lock{operations_mutex};
    ++operations[{std::string{action}, error.empty()}];
  }
  // The SASL user is who acts when there is one; it is not a secret (librdkafka redacts
  // it in its own dumps, but it names no credential).
  const std::string& who = config.security.sasl.username.empty() ? config.client.client_id
                                                                 : config.security.sasl.username;
  log::audit({.who = who,
              .client = name,
              .action = action,
              .target = target,
              .ok = error.empty(),
              .error = error});
}

admin::Options Admin::Impl::options(rd_kafka_admin_op_t kind, bool validate_only) const {
  admin::Options out{rd_kafka_AdminOptions_new(rk(), kind)};
  std::array<char, 256> errstr{};
  const int ms = kafka::timeout_ms(timeout());
  rd_kafka_AdminOptions_set_request_timeout(out.get(), ms, errstr.data(), errstr.size());
  // Topic and partition changes: the broker answers once every broker knows of them, so
  // a describe or produce right after sees the change.
  rd_kafka_AdminOptions_set_operation_timeout(out.get(), ms, errstr.data(), errstr.size());
  if (validate_only) {
    rd_kafka_AdminOptions_set_validate_only(out.get(), 1, errstr.data(), errstr.size());
  }
  return out;
}

admin::Event Admin::Impl::await(rd_kafka_queue_t* queue, std::string_view what) const {
  // librdkafka ends the request at its timeout with an error event; the margin only
  // guards against a result that never comes.
  const auto wait = timeout() + std::chrono::seconds{5};
  admin::Event event{rd_kafka_queue_poll(queue, kafka::timeout_ms(wait))};
  Error err;
  if (!event) {
    err = Error{errc::timed_out, "no answer within " + format_duration(wait), true};
  } else if (const auto code = rd_kafka_event_error(event.get())) {
    err = kafka::to_error(code, rd_kafka_event_error_string(event.get()));
  }
  if (!err) {
    connection.reached();
    return event;
  }
  throw Exception{err.with_message(connection.explain(
      std::string{what} + " at " + config.bootstrap_servers() + ": " + err.message()))};
}

admin::Metadata Admin::Impl::metadata(bool all_topics) const {
  const rd_kafka_metadata_t* md = nullptr;
  if (const auto err =
          rd_kafka_metadata(rk(), all_topics ? 1 : 0, nullptr, &md, kafka::timeout_ms(timeout()))) {
    throw Exception{
        kafka::to_error(err, connection.explain("metadata from " + config.bootstrap_servers() +
                                                ": " + rd_kafka_err2str(err)))};
  }
  connection.reached();
  return admin::Metadata{md};
}

namespace {

const rd_kafka_metadata_topic_t* find_topic(const rd_kafka_metadata_t& md, std::string_view name) {
  for (int t = 0; t < md.topic_cnt; ++t) {
    if (name == md.topics[t].topic) return &md.topics[t];
  }
  return nullptr;
}

}  // namespace

void Admin::Impl::await_topics(const std::vector<std::string>& names) const {
  if (names.empty()) return;
  const auto deadline = std::chrono::steady_clock::now() + timeout();
  for (;;) {
    const auto md = metadata(true);
    const auto ready = [&md](const std::string& wanted) {
      const auto* topic = find_topic(*md, wanted);
      return topic != nullptr && topic->err == RD_KAFKA_RESP_ERR_NO_ERROR &&
             topic->partition_cnt > 0;
    };
    if (std::all_of(names.begin(), names.end(), ready) ||
        std::chrono::steady_clock::now() >= deadline) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
}

Admin::Admin(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Admin::~Admin() = default;
Admin::Admin(Admin&&) noexcept = default;
Admin& Admin::operator=(Admin&&) noexcept = default;

const Config& Admin::config() const noexcept {
  return impl_->config;
}

Error Admin::wait_for_cluster(std::chrono::milliseconds timeout,
                              const std::function<bool()>& cancelled) const {
  return kafka::wait_for_cluster(impl_->rk(), impl_->connection, impl_->config.bootstrap_servers(),
                                 timeout, cancelled);
}

// ---------------------------------------------------------------------------- topics

std::vector<Error> Admin::create_topics(const std::vector<NewTopic>& topics,
                                        bool validate_only) const {
  const auto audit = [&](const std::vector<std::string>& errors) {
    if (validate_only) return;
    for (std::size_t i = 0; i < topics.size(); ++i) {
      impl_->note("create_topic", "topic " + topics[i].name, errors[i]);
    }
  };
  const auto request = [&] {
    std::vector<Error> out(topics.size());
    using Spec = admin::Owned<rd_kafka_NewTopic_t, rd_kafka_NewTopic_destroy>;
    std::vector<Spec> owned;
    std::vector<rd_kafka_NewTopic_t*> specs;
    std::vector<std::size_t> sent;  // index in `topics` of each spec
    for (std::size_t i = 0; i < topics.size(); ++i) {
      const NewTopic& t = topics[i];
      const std::string what = "create topic '" + t.name + "'";
      std::array<char, 512> errstr{};
      Spec spec{rd_kafka_NewTopic_new(t.name.c_str(), t.partitions, t.replication, errstr.data(),
                                      errstr.size())};
      if (!spec) {  // refused before any request: partitions or replication
        const auto code = t.partitions == 0 || t.partitions < -1 || t.partitions > 100'000
                              ? RD_KAFKA_RESP_ERR_INVALID_PARTITIONS
                              : RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR;
        out[i] = admin::resource_error(code, errstr.data(), what);
        continue;
      }
      for (const auto& [name, value] : t.configs) {
        if (const auto err =
                rd_kafka_NewTopic_set_config(spec.get(), name.c_str(), value.c_str())) {
          out[i] = admin::resource_error(err, ("config '" + name + "'").c_str(), what);
        }
      }
      if (out[i]) continue;  // not sent: it would be created without that config
      specs.push_back(spec.get());
      owned.push_back(std::move(spec));
      sent.push_back(i);
    }
    if (specs.empty()) return out;
    const auto options = impl_->options(RD_KAFKA_ADMIN_OP_CREATETOPICS, validate_only);
    const auto event = impl_->call("create topics", [&](rd_kafka_queue_t* queue) {
      rd_kafka_CreateTopics(impl_->rk(), specs.data(), specs.size(), options.get(), queue);
    });
    std::size_t count = 0;
    const auto* results = rd_kafka_CreateTopics_result_topics(
        rd_kafka_event_CreateTopics_result(event.get()), &count);
    for (std::size_t r = 0; r < count; ++r) {
      const std::string name = rd_kafka_topic_result_name(results[r]);
      for (const std::size_t i : sent) {
        if (topics[i].name != name || out[i]) continue;
        out[i] = admin::resource_error(rd_kafka_topic_result_error(results[r]),
                                       rd_kafka_topic_result_error_string(results[r]),
                                       "create topic '" + name + "'");
      }
    }
    return out;
  };
  try {
    std::vector<Error> outcomes = request();
    std::vector<std::string> errors;
    for (const Error& e : outcomes) errors.push_back(e.message());
    audit(errors);
    if (!validate_only) {
      std::vector<std::string> created;
      for (std::size_t i = 0; i < topics.size(); ++i) {
        if (!outcomes[i]) created.push_back(topics[i].name);
      }
      impl_->await_topics(created);
    }
    return outcomes;
  } catch (const std::exception& e) {  // the request as a whole failed: every topic did
    audit(std::vector<std::string>(topics.size(), e.what()));
    throw;
  }
}

void Admin::create_topic(const NewTopic& topic, bool validate_only) const {
  if (Error err = create_topics({topic}, validate_only).front()) throw Exception{std::move(err)};
}

void Admin::delete_topic(const std::string& name) const {
  return impl_->audited("delete_topic", "topic " + name, [&] {
    admin::Owned<rd_kafka_DeleteTopic_t, rd_kafka_DeleteTopic_destroy> spec{
        rd_kafka_DeleteTopic_new(name.c_str())};
    rd_kafka_DeleteTopic_t* specs[] = {spec.get()};
    const auto options = impl_->options(RD_KAFKA_ADMIN_OP_DELETETOPICS);
    const std::string what = "delete topic '" + name + "'";
    const auto event = impl_->call(what, [&](rd_kafka_queue_t* queue) {
      rd_kafka_DeleteTopics(impl_->rk(), specs, 1, options.get(), queue);
    });
    std::size_t count = 0;
    const auto* results = rd_kafka_DeleteTopics_result_topics(
        rd_kafka_event_DeleteTopics_result(event.get()), &count);
    admin::check_topic_results(results, count, what);
  });
}

namespace {

const rd_kafka_metadata_topic_t& known_topic(const rd_kafka_metadata_t& md, std::string_view name,
                                             std::string_view what) {
  const auto* topic = find_topic(md, name);
  if (topic == nullptr || topic->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
    admin::check(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, "no such topic", what);
  }
  admin::check(topic->err, nullptr, what);
  return *topic;
}

}  // namespace

std::vector<TopicListing> Admin::list_topics(bool include_internal) const {
  const auto md = impl_->metadata(true);
  std::vector<TopicListing> out;
  for (int t = 0; t < md->topic_cnt; ++t) {
    const auto& topic = md->topics[t];
    const bool internal = admin::is_internal(topic.topic);
    if (internal && !include_internal) continue;
    out.push_back({topic.topic, internal, topic.partition_cnt});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

TopicDescription Admin::describe_topic(const std::string& name) const {
  const std::string what = "describe topic '" + name + "'";
  const auto md = impl_->metadata(true);
  const auto& topic = known_topic(*md, name, what);
  TopicDescription out{name, admin::is_internal(name), {}, {}};
  for (int p = 0; p < topic.partition_cnt; ++p) {
    const auto& part = topic.partitions[p];
    out.partitions.push_back({part.id,
                              part.leader,
                              {part.replicas, part.replicas + part.replica_cnt},
                              {part.isrs, part.isrs + part.isr_cnt},
                              kafka::to_error(part.err)});
  }
  std::sort(out.partitions.begin(), out.partitions.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  out.configs = describe_configs(ConfigResource::topic(name));
  return out;
}

void Admin::create_partitions(const std::string& topic, std::int32_t total) const {
  return impl_->audited("create_partitions", "topic " + topic, [&] {
    const std::string what =
        "add partitions to topic '" + topic + "' (to " + std::to_string(total) + ")";
    std::array<char, 512> errstr{};
    rd_kafka_NewPartitions_t* spec = rd_kafka_NewPartitions_new(
        topic.c_str(), static_cast<std::size_t>(std::max(total, 0)), errstr.data(), errstr.size());
    if (spec == nullptr) admin::check(RD_KAFKA_RESP_ERR_INVALID_PARTITIONS, errstr.data(), what);
    const admin::Owned<rd_kafka_NewPartitions_t, rd_kafka_NewPartitions_destroy> owned{spec};
    const auto options = impl_->options(RD_KAFKA_ADMIN_OP_CREATEPARTITIONS);
    const auto event = impl_->call(what, [&](rd_kafka_queue_t* queue) {
      rd_kafka_CreatePartitions(impl_->rk(), &spec, 1, options.get(), queue);
    });
    std::size_t count = 0;
    const auto* results = rd_kafka_CreatePartitions_result_topics(
        rd_kafka_event_CreatePartitions_result(event.get()), &count);
    admin::check_topic_results(results, count, what);
  });
}

std::vector<TopicPartition> Admin::delete_records(const std::vector<TopicPartition>& before) const {
  return impl_->audited("delete_records", std::to_string(before.size()) + " partitions", [&] {
    const kafka::PartitionList list = kafka::to_partition_list(before);
    for (int i = 0; i < list->cnt; ++i) {
      if (list->elems[i].offset < 0) list->elems[i].offset = RD_KAFKA_OFFSET_END;  // all of them
    }
    admin::Owned<rd_kafka_DeleteRecords_t, rd_kafka_DeleteRecords_destroy> spec{
        rd_kafka_DeleteRecords_new(list.get())};
    rd_kafka_DeleteRecords_t* specs[] = {spec.get()};
    const auto options = impl_->options(RD_KAFKA_ADMIN_OP_DELETERECORDS);
    const auto event = impl_->call("delete records", [&](rd_kafka_queue_t* queue) {
      rd_kafka_DeleteRecords(impl_->rk(), specs, 1, options.get(), queue);
    });
    const auto* result =
        rd_kafka_DeleteRecords_result_offsets(rd_kafka_event_DeleteRecords_result(event.get()));
    std::vector<TopicPartition> out = kafka::to_partitions(result);
    for (int i = 0; i < result->cnt; ++i) {
      const auto& p = result->elems[i];
      admin::check(p.err, nullptr,
                   "delete records of topic '" + std::string{p.topic} + "' partition " +
                       std::to_string(p.partition));
    }
    return out;
  });
}

std::vector<PartitionOffsets> Admin::list_offsets(const std::string& topic) const {
  const std::string what = "list offsets of topic '" + topic + "'";
  const auto md = impl_->metadata(true);
  const auto& meta = known_topic(*md, topic, what);
  std::vector<PartitionOffsets> out;
  for (int p = 0; p < meta.partition_cnt; ++p) {
    PartitionOffsets offsets{topic, meta.partitions[p].id, -1, -1};
    admin::check(rd_kafka_query_watermark_offsets(impl_->rk(), topic.c_str(), offsets.partition,
                                                  &offsets.earliest, &offsets.latest,
                                                  kafka::timeout_ms(impl_->timeout())),
                 nullptr, what + " partition " + std::to_string(offsets.partition));
    out.push_back(offsets);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.partition < b.partition; });
  return out;
}

std::vector<TopicPartition> Admin::offsets_at(const std::string& topic,
                                              std::chrono::system_clock::time_point time) const {
  const std::int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  std::vector<TopicPartition> wanted;
  std::vector<PartitionOffsets> ends = list_offsets(topic);
  for (const auto& p : ends) wanted.push_back({topic, p.partition, ms});
  const kafka::PartitionList list = kafka::to_partition_list(wanted);
  std::string what = "offsets of topic '" + topic + "' at ";
  rfc3339::format(Timestamp{std::chrono::milliseconds{ms}}, what);
  admin::check(
      rd_kafka_offsets_for_times(impl_->rk(), list.get(), kafka::timeout_ms(impl_->timeout())),
      nullptr, what);
  std::vector<TopicPartition> out = kafka::to_partitions(list.get());
  for (std::size_t i = 0; i < out.size(); ++i) {
    admin::check(list->elems[i].err, nullptr, what);
    if (out[i].offset < 0) out[i].offset = ends[i].latest;  // no record that late
  }
  return out;
}

}  // namespace mib
