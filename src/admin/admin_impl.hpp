// Internal: the Admin's handle and the one way each admin request is made and awaited.
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "kafka/connection_watch.hpp"
#include "kafka/handle.hpp"
#include "kafka/poller.hpp"
#include "mib/admin/admin.hpp"
#include "mib/metrics/registry.hpp"

namespace mib::admin {

// An admin object of librdkafka's, destroyed by its own function (kafka::Owned).
using kafka::Owned;

using Queue = kafka::QueueHandle;
using Options = Owned<rd_kafka_AdminOptions_t, rd_kafka_AdminOptions_destroy>;
using Event = Owned<rd_kafka_event_t, rd_kafka_event_destroy>;
using Metadata = Owned<const rd_kafka_metadata_t, rd_kafka_metadata_destroy>;

// An Error for a broker's answer about one resource: "<what>: <Kafka's reason>", the code
// kept. `what` is "create topic 'trades'", "delete group 'pricing'", ...
Error resource_error(rd_kafka_resp_err_t code, const char* reason, std::string_view what);
// Throws resource_error(...) when code is not NO_ERROR.
void check(rd_kafka_resp_err_t code, const char* reason, std::string_view what);
// Takes a rich error (may be null) and throws it with `what` before its message.
void check(const rd_kafka_error_t* error, std::string_view what);
// A list config's items ("compact, delete" -> {"compact", "delete"}), and back.
std::vector<std::string> split_list(std::string_view value);
std::string join_list(const std::vector<std::string>& items);
// Throws for the first topic result with an error.
void check_topic_results(const rd_kafka_topic_result_t* const* results, std::size_t count,
                         std::string_view what);

}  // namespace mib::admin

namespace mib {

struct Admin::Impl {
  Config config;
  mutable kafka::ConnectionWatch connection;  // const calls note answers too
  kafka::KafkaHandle handle;
  kafka::Poller poller;  // error events (for the connection watch) and log lines

  explicit Impl(Config c);
  ~Impl() { poller.stop(); }

  rd_kafka_t* rk() const noexcept { return handle.get(); }
  std::chrono::milliseconds timeout() const noexcept { return config.client.request_timeout; }

  // Options for one request of `kind` with the request timeout set (and validate_only).
  admin::Options options(rd_kafka_admin_op_t kind, bool validate_only = false) const;

  // Starts a request with `start(queue)` and waits for its result event, up to the request
  // timeout and a margin; throws when the request as a whole failed (the cluster did not
  // answer: the message then says why, from the connection watch). `what` names the
  // operation for messages.
  template <typename Start>
  admin::Event call(std::string_view what, Start&& start) const {
    const admin::Queue queue{rd_kafka_queue_new(rk())};
    start(queue.get());
    return await(queue.get(), what);
  }

  // A change to the cluster: runs it, writes an audit line (who, action, target, ok or the
  // failure) and counts it in admin_operations_total, and rethrows a failure. An empty
  // action (a dry run, validate-only) is neither logged nor counted.
  template <typename Change>
  auto audited(std::string_view action, const std::string& target, Change&& change) const {
    try {
      if constexpr (std::is_void_v<decltype(change())>) {
        change();
        note(action, target, {});
      } else {
        auto result = change();
        note(action, target, {});
        return result;
      }
    } catch (const std::exception& e) {
      note(action, target, e.what());
      throw;
    }
  }
  // One audit line and count; `error` empty for success.
  void note(std::string_view action, const std::string& target, std::string_view error) const;

  // The brokers, and every topic if `all_topics` (never one topic by name: that request
  // could make a broker with auto.create.topics.enable create it); throws saying why.
  admin::Metadata metadata(bool all_topics) const;

  // Waits, up to the request timeout, until every topic of `names` is in the cluster's
  // metadata with its partitions: a broker answers CreateTopics before its metadata shows
  // the topic, and a describe or produce right after would hear "unknown topic".
  void await_topics(const std::vector<std::string>& names) const;

  // Sends one SCRAM credential change (taking it over) and throws the broker's refusal.
  void alter_scram(rd_kafka_UserScramCredentialAlteration_t* alteration,
                   const std::string& what) const;

 private:
  admin::Event await(rd_kafka_queue_t* queue, std::string_view what) const;

  std::string name;  // rd_kafka_name(): the `client` label
  mutable std::mutex operations_mutex;
  mutable std::map<std::pair<std::string, bool>, std::uint64_t> operations;  // (action, ok)

 public:
  // Last, so it goes first: no scrape reads a member being destroyed.
  metrics::Registration registration;
};

}  // namespace mib
