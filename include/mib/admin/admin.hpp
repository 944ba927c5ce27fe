// mib::Admin: topics, partitions, configs, consumer groups and their offsets, ACLs and the
// cluster, over Kafka's admin protocol.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mib/admin/acls.hpp"
#include "mib/admin/cluster.hpp"
#include "mib/admin/configs.hpp"
#include "mib/admin/groups.hpp"
#include "mib/admin/offset_reset.hpp"
#include "mib/admin/standard_topics.hpp"
#include "mib/admin/topics.hpp"
#include "mib/config/config.hpp"
#include "mib/config/secret.hpp"
#include "mib/error.hpp"
#include "mib/message.hpp"

namespace mib {

// One admin connection ([librdkafka.admin] settings). Every call waits for the cluster's
// answer for at most client.request_timeout and throws mib::Exception when it fails: the
// message names the resource and the broker's reason ("create topic 'trades': topic
// already exists"), and code() is Kafka's (errc::topic_already_exists, ...). Thread-safe.
//
//   mib::Admin admin{config};
//   admin.create_topic({.name = "trades", .partitions = 8, .replication = 3,
//                       .configs = {{"retention.ms", "2592000000"}}});
//   for (const auto& p : admin.group_lag("pricing").partitions) ...
class Admin {
 public:
  // Validates the configuration (throws ConfigError) and connects in the background.
  explicit Admin(Config config);
  ~Admin();
  Admin(Admin&&) noexcept;
  Admin& operator=(Admin&&) noexcept;

  const Config& config() const noexcept;

  // Waits until a broker answers, up to `timeout`: the empty Error, or why none did
  // (connection refused, TLS or SASL handshake failed, unknown host), as
  // Client::wait_for_cluster does. `cancelled`, if given, is asked a few times a second.
  Error wait_for_cluster(std::chrono::milliseconds timeout,
                         const std::function<bool()>& cancelled = {}) const;

  // ---- topics
  // Returns once the topic is in the cluster's metadata (up to the request timeout), so
  // it can be described or written at once. validate_only: the broker checks the request
  // (name, partitions, replication, configs) and creates nothing.
  void create_topic(const NewTopic& topic, bool validate_only = false) const;
  // One Error per topic, in order (the empty Error for each created).
  std::vector<Error> create_topics(const std::vector<NewTopic>& topics,
                                   bool validate_only = false) const;
  void delete_topic(const std::string& name) const;
  // Sorted by name; internal topics (__consumer_offsets, ...) only when asked.
  std::vector<TopicListing> list_topics(bool include_internal = false) const;
  TopicDescription describe_topic(const std::string& name) const;
  // Grows the topic to `total` partitions (Kafka cannot shrink one).
  void create_partitions(const std::string& topic, std::int32_t total) const;
  // Deletes each partition's records before its offset (-1: all of them, up to the high
  // watermark); returns the partitions' new earliest offsets.
  std::vector<TopicPartition> delete_records(const std::vector<TopicPartition>& before) const;
  // Earliest and latest offsets of every partition of the topic.
  std::vector<PartitionOffsets> list_offsets(const std::string& topic) const;
  // The first offset of each partition with a record at or after `time` (the latest
  // offset where none is).
  std::vector<TopicPartition> offsets_at(const std::string& topic,
                                         std::chrono::system_clock::time_point time) const;

  // ---- configs of a topic or a broker
  // Every entry with its value and source.
  std::vector<ConfigEntry> describe_configs(const ConfigResource& resource) const;
  // Applies the changes with incremental semantics: keys not named keep their values.
  // librdkafka 2.0.2 has no IncrementalAlterConfigs, so this reads the resource's
  // dynamic values, applies the changes to them and writes the whole set back
  // (AlterConfigs replaces every dynamic value it is not given). Two admins altering the
  // same resource at once can lose one's change; docs/admin.md says more.
  void alter_configs(const ConfigResource& resource, const std::vector<ConfigChange>& changes,
                     bool validate_only = false) const;

  // ---- consumer groups
  std::vector<GroupListing> list_groups() const;
  GroupDescription describe_group(const std::string& group) const;
  // Fails with errc::non_empty_group while the group has members.
  void delete_group(const std::string& group) const;
  // The group's committed offsets, by topic then partition.
  std::vector<TopicPartition> group_offsets(const std::string& group) const;
  // Committed offsets against high watermarks, for every partition of the topics the
  // group has committed offsets for or is assigned.
  GroupLag group_lag(const std::string& group) const;
  // Where the group's offsets would go (execute = false, a dry run, as Kafka's tool
  // does by default) or went (execute = true). `topics` empty: every topic the group has
  // committed offsets for. The group must have no members to execute
  // (errc::state otherwise, naming its state and members).
  std::vector<OffsetMove> reset_offsets(const std::string& group,
                                        const std::vector<std::string>& topics,
                                        const ResetTo& reset, bool execute = false) const;
  // Forgets the group's committed offsets for these partitions.
  void delete_group_offsets(const std::string& group,
                            const std::vector<TopicPartition>& partitions) const;

  // ---- ACLs (the cluster must run an authorizer)
  void create_acls(const std::vector<AclBinding>& acls) const;
  std::vector<AclBinding> describe_acls(const AclFilter& filter = {}) const;
  // Returns the ACLs it deleted.
  std::vector<AclBinding> delete_acls(const AclFilter& filter) const;

  // ---- cluster
  // Cluster id, controller and brokers with their racks (librdkafka 2.0.2 has no
  // DescribeCluster: metadata, and each broker's broker.rack config).
  ClusterDescription describe_cluster() const;

  // ---- standard topics
  // Creates any missing topic of standard_topics(config().topics), capping replication
  // to the brokers there are (with a warning), and reports each setting of an existing
  // topic that differs, key by key; fix = true alters configs and adds partitions.
  EnsureReport ensure_topics(bool fix = false) const;

  // ---- SCRAM users
  // Creates or replaces a user's SCRAM credential (AlterUserScramCredentials; the salt is
  // random, the password goes to the broker only). The broker applies it from its metadata
  // log a moment after answering; then the user logs in with it.
  enum class ScramMechanism { sha256, sha512 };
  void set_scram_credential(const std::string& user, ScramMechanism mechanism,
                            const Secret& password, int iterations = 8192) const;
  // Removes it; throws naming the user when there is none.
  void delete_scram_credential(const std::string& user, ScramMechanism mechanism) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mib
