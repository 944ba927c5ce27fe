// Consumer groups: list, describe, delete, their committed offsets, lag and resets.
#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "admin/admin_impl.hpp"
#include "mib/log.hpp"
#include "mib/serde/rfc3339.hpp"

namespace mib {

std::string_view to_string(GroupState state) noexcept {
  switch (state) {
    case GroupState::preparing_rebalance: return "PreparingRebalance";
    case GroupState::completing_rebalance: return "CompletingRebalance";
    case GroupState::stable: return "Stable";
    case GroupState::dead: return "Dead";
    case GroupState::empty: return "Empty";
    case GroupState::unknown: break;
  }
  return "Unknown";
}

std::string ResetTo::describe() const {
  switch (kind) {
    case Kind::earliest: return "to earliest";
    case Kind::latest: return "to latest";
    case Kind::offset: return "to offset " + std::to_string(value);
    case Kind::shift: return "by " + std::to_string(value);
    case Kind::time: {
      std::string out = "to ";
      rfc3339::format(Timestamp{std::chrono::milliseconds{value}}, out);
      return out;
    }
  }
  return "?";
}

namespace {

GroupState to_state(rd_kafka_consumer_group_state_t state) {
  switch (state) {
    case RD_KAFKA_CONSUMER_GROUP_STATE_PREPARING_REBALANCE: return GroupState::preparing_rebalance;
    case RD_KAFKA_CONSUMER_GROUP_STATE_COMPLETING_REBALANCE:
      return GroupState::completing_rebalance;
    case RD_KAFKA_CONSUMER_GROUP_STATE_STABLE: return GroupState::stable;
    case RD_KAFKA_CONSUMER_GROUP_STATE_DEAD: return GroupState::dead;
    case RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY: return GroupState::empty;
    default: return GroupState::unknown;
  }
}

bool by_partition(const TopicPartition& a, const TopicPartition& b) {
  return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition);
}

// The one group of a group result array, its error and each partition's checked.
std::vector<TopicPartition> group_partitions(const rd_kafka_group_result_t** groups,
                                             std::size_t count, std::string_view what) {
  std::vector<TopicPartition> out;
  for (std::size_t g = 0; g < count; ++g) {
    admin::check(rd_kafka_group_result_error(groups[g]), what);
    const auto* list = rd_kafka_group_result_partitions(groups[g]);
    if (list == nullptr) continue;
    for (int i = 0; i < list->cnt; ++i) {
      const auto& p = list->elems[i];
      admin::check(
          p.err, nullptr,
          std::string{what} + ", topic '" + p.topic + "' partition " + std::to_string(p.partition));
    }
    auto partitions = kafka::to_partitions(list);
    out.insert(out.end(), partitions.begin(), partitions.end());
  }
  std::sort(out.begin(), out.end(), by_partition);
  return out;
}

}  // namespace

std::vector<GroupListing> Admin::list_groups() const {
  const auto options = impl_->options(RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS);
  const auto event = impl_->call("list groups", [&](rd_kafka_queue_t* queue) {
    rd_kafka_ListConsumerGroups(impl_->rk(), options.get(), queue);
  });
  const auto* result = rd_kafka_event_ListConsumerGroups_result(event.get());
  std::size_t error_count = 0;
  const auto** errors = rd_kafka_ListConsumerGroups_result_errors(result, &error_count);
  // A broker that did not answer leaves its groups out; the others are still listed.
  for (std::size_t i = 0; i < error_count; ++i) {
    log::write({.level = log::Level::warning,
                .source = "mib.admin",
                .message = std::string{"list groups: a broker's groups are missing: "} +
                           rd_kafka_error_string(errors[i])});
  }
  std::size_t count = 0;
  const auto** groups = rd_kafka_ListConsumerGroups_result_valid(result, &count);
  std::vector<GroupListing> out;
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back({rd_kafka_ConsumerGroupListing_group_id(groups[i]),
                   to_state(rd_kafka_ConsumerGroupListing_state(groups[i])),
                   rd_kafka_ConsumerGroupListing_is_simple_consumer_group(groups[i]) != 0});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

GroupDescription Admin::describe_group(const std::string& group) const {
  const std::string what = "describe group '" + group + "'";
  const char* ids[] = {group.c_str()};
  const auto options = impl_->options(RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS);
  const auto event = impl_->call(what, [&](rd_kafka_queue_t* queue) {
    rd_kafka_DescribeConsumerGroups(impl_->rk(), ids, 1, options.get(), queue);
  });
  std::size_t count = 0;
  const auto** groups = rd_kafka_DescribeConsumerGroups_result_groups(
      rd_kafka_event_DescribeConsumerGroups_result(event.get()), &count);
  if (count != 1) admin::check(RD_KAFKA_RESP_ERR__BAD_MSG, "no description in the answer", what);
  const auto* g = groups[0];
  admin::check(rd_kafka_ConsumerGroupDescription_error(g), what);
  GroupDescription out;
  out.id = group;
  out.state = to_state(rd_kafka_ConsumerGroupDescription_state(g));
  // A group the coordinator never heard of is described as Dead with no members.
  if (out.state == GroupState::dead) {
    admin::check(RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND, "no such group", what);
  }
  if (const char* assignor = rd_kafka_ConsumerGroupDescription_partition_assignor(g)) {
    out.protocol = assignor;
  }
  out.simple = rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(g) != 0;
  if (const auto* node = rd_kafka_ConsumerGroupDescription_coordinator(g)) {
    out.coordinator = {rd_kafka_Node_id(node), rd_kafka_Node_host(node), rd_kafka_Node_port(node)};
  }
  const std::size_t members = rd_kafka_ConsumerGroupDescription_member_count(g);
  for (std::size_t i = 0; i < members; ++i) {
    const auto* m = rd_kafka_ConsumerGroupDescription_member(g, i);
    GroupMember member{rd_kafka_MemberDescription_consumer_id(m),
                       rd_kafka_MemberDescription_client_id(m),
                       rd_kafka_MemberDescription_host(m),
                       {}};
    if (const auto* a = rd_kafka_MemberDescription_assignment(m)) {
      if (const auto* list = rd_kafka_MemberAssignment_partitions(a)) {
        member.assignment = kafka::to_partitions(list);
        for (auto& p : member.assignment) p.offset = -1001;  // an assignment has no offsets
        std::sort(member.assignment.begin(), member.assignment.end(), by_partition);
      }
    }
    out.members.push_back(std::move(member));
  }
  return out;
}

void Admin::delete_group(const std::string& group) const {
  return impl_->audited("delete_group", "group " + group, [&] {
    const std::string what = "delete group '" + group + "'";
    admin::Owned<rd_kafka_DeleteGroup_t, rd_kafka_DeleteGroup_destroy> spec{
        rd_kafka_DeleteGroup_new(group.c_str())};
    rd_kafka_DeleteGroup_t* specs[] = {spec.get()};
    const auto options = impl_->options(RD_KAFKA_ADMIN_OP_DELETEGROUPS);
    const auto event = impl_->call(what, [&](rd_kafka_queue_t* queue) {
      rd_kafka_DeleteGroups(impl_->rk(), specs, 1, options.get(), queue);
    });
    std::size_t count = 0;
    const auto** groups = rd_kafka_DeleteGroups_result_groups(
        rd_kafka_event_DeleteGroups_result(event.get()), &count);
    group_partitions(groups, count, what);
  });
}

std::vector<TopicPartition> Admin::group_offsets(const std::string& group) const {
  const std::string what = "list offsets of group '" + group + "'";
  admin::Owned<rd_kafka_ListConsumerGroupOffsets_t, rd_kafka_ListConsumerGroupOffsets_destroy> spec{
      rd_kafka_ListConsumerGroupOffsets_new(group.c_str(), nullptr)};  // every partition
  rd_kafka_ListConsumerGroupOffsets_t* specs[] = {spec.get()};
  const auto options = impl_->options(RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS);
  const auto event = impl_->call(what, [&](rd_kafka_queue_t* queue) {
    rd_kafka_ListConsumerGroupOffsets(impl_->rk(), specs, 1, options.get(), queue);
  });
  std::size_t count = 0;
  const auto** groups = rd_kafka_ListConsumerGroupOffsets_result_groups(
      rd_kafka_event_ListConsumerGroupOffsets_result(event.get()), &count);
  std::vector<TopicPartition> out = group_partitions(groups, count, what);
  std::erase_if(out, [](const TopicPartition& p) { return p.offset < 0; });  // none committed
  return out;
}

GroupLag Admin::group_lag(const std::string& group) const {
  const std::vector<TopicPartition> committed = group_offsets(group);
  std::map<std::pair<std::string, std::int32_t>, std::string> owner;  // partition -> member
  std::set<std::string> topics;
  for (const auto& p : committed) topics.insert(p.topic);
  const GroupDescription description = describe_group(group);
  for (const auto& member : description.members) {
    for (const auto& p : member.assignment) {
      owner[{p.topic, p.partition}] = member.member_id;
      topics.insert(p.topic);
    }
  }
  GroupLag out{group, {}};
  for (const std::string& topic : topics) {
    std::vector<PartitionOffsets> topic_ends;
    try {
      topic_ends = list_offsets(topic);
    } catch (const Exception& e) {
      if (e.error().code() != errc::unknown_topic_or_partition) throw;
      // Deleted since the group committed to it: its partitions, without a log end.
      for (const auto& c : committed) {
        if (c.topic == topic) topic_ends.push_back({topic, c.partition, -1, -1});
      }
    }
    for (const PartitionOffsets& ends : topic_ends) {
      GroupPartitionLag lag;
      lag.topic = topic;
      lag.partition = ends.partition;
      lag.low_watermark = ends.earliest;
      lag.high_watermark = ends.latest;
      for (const auto& c : committed) {
        if (c.topic == topic && c.partition == ends.partition) lag.committed = c.offset;
      }
      // As Kafka's tool: the log end minus the committed offset, unclamped (a commit below
      // the log start counts the records retention removed too).
      if (lag.committed && ends.latest >= 0) lag.lag = ends.latest - *lag.committed;
      if (const auto it = owner.find({topic, ends.partition}); it != owner.end()) {
        lag.member_id = it->second;
      }
      out.partitions.push_back(std::move(lag));
    }
  }
  return out;
}

std::vector<OffsetMove> Admin::reset_offsets(const std::string& group,
                                             const std::vector<std::string>& topics,
                                             const ResetTo& reset, bool execute) const {
  return impl_->audited(execute ? "reset_offsets" : "", "group " + group, [&] {
    const std::string what = "reset offsets of group '" + group + "' " + reset.describe();
    if (execute) {
      // Kafka refuses offsets from outside an active group; say so before asking.
      try {
        const GroupDescription d = describe_group(group);
        if (!d.members.empty()) {
          throw Exception{Error{errc::state, what + ": the group is " +
                                                 std::string{to_string(d.state)} + " with " +
                                                 std::to_string(d.members.size()) +
                                                 " member(s); stop its consumers first"}};
        }
      } catch (const Exception& e) {
        if (e.error().code() != errc::group_id_not_found) throw;  // a new group may be seeded
      }
    }
    const std::vector<TopicPartition> committed = group_offsets(group);
    std::set<std::string> chosen{topics.begin(), topics.end()};
    if (chosen.empty()) {
      for (const auto& p : committed) chosen.insert(p.topic);
    }
    if (chosen.empty()) {
      throw Exception{Error{errc::invalid_argument,
                            what + ": the group has no committed offsets; name the topics"}};
    }
    std::vector<OffsetMove> plan;
    for (const std::string& topic : chosen) {
      std::vector<TopicPartition> at_time;
      if (reset.kind == ResetTo::Kind::time) {
        at_time = offsets_at(
            topic, std::chrono::system_clock::time_point{std::chrono::milliseconds{reset.value}});
      }
      for (const PartitionOffsets& ends : list_offsets(topic)) {
        OffsetMove move{topic, ends.partition, -1, -1};
        for (const auto& c : committed) {
          if (c.topic == topic && c.partition == ends.partition) move.current = c.offset;
        }
        // Without named topics only the committed partitions move, as --all-topics does;
        // a named topic moves as a whole, as --topic does.
        if (topics.empty() && move.current < 0) continue;
        switch (reset.kind) {
          case ResetTo::Kind::earliest: move.target = ends.earliest; break;
          case ResetTo::Kind::latest: move.target = ends.latest; break;
          case ResetTo::Kind::offset: move.target = reset.value; break;
          case ResetTo::Kind::time:
            for (const auto& t : at_time) {
              if (t.partition == ends.partition) move.target = t.offset;
            }
            break;
          case ResetTo::Kind::shift:
            if (move.current < 0) {
              throw Exception{
                  Error{errc::invalid_argument, what + ": topic '" + topic + "' partition " +
                                                    std::to_string(ends.partition) +
                                                    " has no committed offset to shift from"}};
            }
            // Saturating: a shift past either end lands on it below, not on overflow.
            move.target = reset.value > 0 && move.current > INT64_MAX - reset.value
                              ? INT64_MAX
                              : std::max<std::int64_t>(0, move.current) + reset.value;
            break;
        }
        move.target = std::clamp(move.target, ends.earliest, ends.latest);  // as Kafka's tool
        plan.push_back(move);
      }
    }
    if (!execute) return plan;
    std::vector<TopicPartition> targets;
    for (const auto& m : plan) targets.push_back({m.topic, m.partition, m.target});
    const kafka::PartitionList list = kafka::to_partition_list(targets);
    admin::Owned<rd_kafka_AlterConsumerGroupOffsets_t, rd_kafka_AlterConsumerGroupOffsets_destroy>
        spec{rd_kafka_AlterConsumerGroupOffsets_new(group.c_str(), list.get())};
    rd_kafka_AlterConsumerGroupOffsets_t* specs[] = {spec.get()};
    const auto options = impl_->options(RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS);
    const auto event = impl_->call(what, [&](rd_kafka_queue_t* queue) {
      rd_kafka_AlterConsumerGroupOffsets(impl_->rk(), specs, 1, options.get(), queue);
    });
    std::size_t count = 0;
    const auto** groups = rd_kafka_AlterConsumerGroupOffsets_result_groups(
        rd_kafka_event_AlterConsumerGroupOffsets_result(event.get()), &count);
    group_partitions(groups, count, what);
    return plan;
  });
}

void Admin::delete_group_offsets(const std::string& group,
                                 const std::vector<TopicPartition>& partitions) const {
  return impl_->audited("delete_group_offsets", "group " + group, [&] {
    const std::string what = "delete offsets of group '" + group + "'";
    const kafka::PartitionList list = kafka::to_partition_list(partitions);
    admin::Owned<rd_kafka_DeleteConsumerGroupOffsets_t, rd_kafka_DeleteConsumerGroupOffsets_destroy>
        spec{rd_kafka_DeleteConsumerGroupOffsets_new(group.c_str(), list.get())};
    rd_kafka_DeleteConsumerGroupOffsets_t* specs[] = {spec.get()};
    const auto options = impl_->options(RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS);
    const auto event = impl_->call(what, [&](rd_kafka_queue_t* queue) {
      rd_kafka_DeleteConsumerGroupOffsets(impl_->rk(), specs, 1, options.get(), queue);
    });
    std::size_t count = 0;
    const auto** groups = rd_kafka_DeleteConsumerGroupOffsets_result_groups(
        rd_kafka_event_DeleteConsumerGroupOffsets_result(event.get()), &count);
    group_partitions(groups, count, what);
  });
}

}  // namespace mib
