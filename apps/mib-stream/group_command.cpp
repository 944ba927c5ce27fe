// `mib-stream group list|describe|delete|offsets|reset`, as kafka-consumer-groups.sh and
// rpk group: tables for people (describe with a lag column), --json for scripts.
#include <iostream>
#include <map>
#include <memory>

#include "admin_cli.hpp"
#include "commands.hpp"
#include "json_out.hpp"
#include "mib/serde/rfc3339.hpp"
#include "table.hpp"

namespace mib::cli {
namespace {

struct GroupOptions {
  AdminOptions admin;
  std::vector<std::string> groups;
  std::vector<std::string> topics;  // reset: only these
  bool to_earliest = false, to_latest = false;
  std::optional<std::string> to_datetime;
  std::optional<std::int64_t> to_offset, shift_by;
  bool execute = false;
};

void list(const GroupOptions& o) {
  const auto groups = connect_admin(o.admin.connection).list_groups();
  if (o.admin.json) {
    JsonOut json;
    json.begin_object().key("groups").begin_array();
    for (const auto& g : groups) {
      json.begin_object()
          .field("group", g.id)
          .field("state", to_string(g.state))
          .field("simple", g.simple)
          .end_object();
    }
    std::cout << json.end_array().end_object().text() << '\n';
    return;
  }
  Table table{{"GROUP", "STATE", "SIMPLE"}};
  for (const auto& g : groups) {
    table.add({g.id, std::string{to_string(g.state)}, g.simple ? "yes" : "no"});
  }
  table.print(std::cout);
}

void describe(const GroupOptions& o) {
  const Admin admin = connect_admin(o.admin.connection);
  const std::string& group = o.groups.front();
  const GroupDescription d = admin.describe_group(group);
  const GroupLag lag = admin.group_lag(group);
  std::map<std::string, const GroupMember*> members;
  for (const auto& m : d.members) members[m.member_id] = &m;
  const auto lag_of = [](const GroupPartitionLag& p) {
    return p.committed && p.high_watermark >= 0 ? std::optional<std::int64_t>{p.lag} : std::nullopt;
  };
  const auto log_end = [](const GroupPartitionLag& p) {  // none for a deleted topic
    return p.high_watermark >= 0 ? std::optional<std::int64_t>{p.high_watermark} : std::nullopt;
  };
  if (o.admin.json) {
    JsonOut json;
    json.begin_object()
        .field("group", d.id)
        .field("state", to_string(d.state))
        .field("protocol", d.protocol)
        .key("coordinator")
        .begin_object()
        .field("id", d.coordinator.id)
        .field("host", d.coordinator.host)
        .field("port", static_cast<std::int64_t>(d.coordinator.port))
        .end_object()
        .key("members")
        .begin_array();
    for (const auto& m : d.members) {
      json.begin_object()
          .field("member_id", m.member_id)
          .field("client_id", m.client_id)
          .field("host", m.host)
          .key("assignment")
          .begin_array();
      for (const auto& p : m.assignment) {
        json.begin_object().field("topic", p.topic).field("partition", p.partition).end_object();
      }
      json.end_array().end_object();
    }
    json.end_array().key("partitions").begin_array();
    for (const auto& p : lag.partitions) {
      json.begin_object()
          .field("topic", p.topic)
          .field("partition", p.partition)
          .field("committed", p.committed)
          .field("log_end_offset", log_end(p))
          .field("lag", lag_of(p))
          .field("member_id", p.member_id)
          .end_object();
    }
    std::cout << json.end_array().field("total_lag", lag.total()).end_object().text() << '\n';
    return;
  }
  std::cout << "GROUP        " << d.id << '\n'
            << "COORDINATOR  " << d.coordinator.id << " (" << d.coordinator.host << ':'
            << d.coordinator.port << ")\n"
            << "STATE        " << to_string(d.state) << '\n'
            << "PROTOCOL     " << (d.protocol.empty() ? "-" : d.protocol) << '\n'
            << "MEMBERS      " << d.members.size() << '\n'
            << "TOTAL-LAG    " << lag.total() << "\n\n";
  Table table{{"TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "MEMBER-ID", "HOST",
               "CLIENT-ID"}};
  for (const auto& p : lag.partitions) {
    const auto it = members.find(p.member_id);
    const GroupMember* m = it == members.end() ? nullptr : it->second;
    table.add({p.topic, std::to_string(p.partition), or_dash(p.committed), or_dash(log_end(p)),
               or_dash(lag_of(p)), m ? m->member_id : "-", m ? m->host : "-",
               m ? m->client_id : "-"});
  }
  table.print(std::cout);
}

void remove_groups(const GroupOptions& o) {
  const Admin admin = connect_admin(o.admin.connection);
  for (const auto& g : o.groups) {
    admin.delete_group(g);  // a failure ends the run (exit 1); those before it are printed
    if (!o.admin.json) std::cout << "deleted group " << g << std::endl;
  }
  if (o.admin.json) {
    JsonOut json;
    json.begin_object().key("groups").begin_array();
    for (const auto& g : o.groups) json.value(g);
    std::cout << json.end_array().field("deleted", true).end_object().text() << '\n';
    return;
  }
}

void offsets(const GroupOptions& o) {
  const Admin admin = connect_admin(o.admin.connection);
  const auto committed = admin.group_offsets(o.groups.front());
  // Kafka answers an unknown group with no offsets: say which it is, as Kafka's tool does.
  if (committed.empty()) admin.describe_group(o.groups.front());
  if (o.admin.json) {
    JsonOut json;
    json.begin_object().field("group", o.groups.front()).key("offsets").begin_array();
    for (const auto& p : committed) {
      json.begin_object()
          .field("topic", p.topic)
          .field("partition", p.partition)
          .field("offset", p.offset)
          .end_object();
    }
    std::cout << json.end_array().end_object().text() << '\n';
    return;
  }
  Table table{{"TOPIC", "PARTITION", "OFFSET"}};
  for (const auto& p : committed) {
    table.add({p.topic, std::to_string(p.partition), std::to_string(p.offset)});
  }
  table.print(std::cout);
}

ResetTo reset_target(const GroupOptions& o) {
  const int given = int{o.to_earliest} + int{o.to_latest} + int{o.to_datetime.has_value()} +
                    int{o.to_offset.has_value()} + int{o.shift_by.has_value()};
  if (given != 1) {
    throw CLI::ValidationError("group reset",
                               "give exactly one of --to-earliest, --to-latest, "
                               "--to-datetime, --to-offset, --shift-by");
  }
  if (o.to_earliest) return ResetTo::earliest();
  if (o.to_latest) return ResetTo::latest();
  if (o.to_offset) return ResetTo::offset(*o.to_offset);
  if (o.shift_by) return ResetTo::shift_by(*o.shift_by);
  const auto t = rfc3339::parse(*o.to_datetime);
  if (!t) {
    throw CLI::ValidationError("--to-datetime",
                               "expected an RFC 3339 time such as "
                               "2026-12-01T09:30:00Z, got '" +
                                   *o.to_datetime + "'");
  }
  return ResetTo::time(*t);
}

void reset(const GroupOptions& o) {
  const ResetTo target = reset_target(o);
  const auto plan = connect_admin(o.admin.connection)
                        .reset_offsets(o.groups.front(), o.topics, target, o.execute);
  if (o.admin.json) {
    JsonOut json;
    json.begin_object()
        .field("group", o.groups.front())
        .field("executed", o.execute)
        .key("partitions")
        .begin_array();
    for (const auto& m : plan) {
      json.begin_object()
          .field("topic", m.topic)
          .field("partition", m.partition)
          .field("current", m.current < 0 ? std::nullopt : std::optional{m.current})
          .field("target", m.target)
          .end_object();
    }
    std::cout << json.end_array().end_object().text() << '\n';
    return;
  }
  Table table{{"TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET"}};
  for (const auto& m : plan) {
    table.add({m.topic, std::to_string(m.partition),
               or_dash(m.current < 0 ? std::nullopt : std::optional{m.current}),
               std::to_string(m.target)});
  }
  table.print(std::cout);
  std::cout << (o.execute ? "reset " + std::to_string(plan.size()) + " partition(s) of group " +
                                o.groups.front()
                          : std::string{"dry run: nothing changed; add --execute to apply"})
            << '\n';
}

using Action = void (*)(const GroupOptions&);

CLI::App* sub(CLI::App& parent, const std::shared_ptr<GroupOptions>& o, const char* name,
              const char* help, Action action, bool many = false) {
  auto* cmd = parent.add_subcommand(name, help);
  add_admin_options(*cmd, o->admin);
  auto* groups = cmd->add_option(many ? "groups" : "group", o->groups, "group id")->required();
  if (!many) groups->expected(1);
  cmd->callback([o, action] { action(*o); });
  return cmd;
}

}  // namespace

void add_group(CLI::App& app) {
  auto o = std::make_shared<GroupOptions>();
  auto* group = app.add_subcommand("group", "List, describe, reset and delete consumer groups");
  group->require_subcommand(1);

  auto* l = group->add_subcommand("list", "List consumer groups with their state");
  add_admin_options(*l, o->admin);
  l->callback([o] { list(*o); });
  sub(*group, o, "describe", "Members, assignments, committed offsets and lag", describe);
  sub(*group, o, "delete", "Delete groups (they must have no members)", remove_groups, true);
  sub(*group, o, "offsets", "The group's committed offsets", offsets);
  auto* r = sub(*group, o, "reset",
                "Move the group's committed offsets; a dry run unless --execute", reset);
  r->add_option("-t,--topic", o->topics,
                "only this topic; repeatable (default: every topic "
                "the group has committed offsets for)");
  r->add_flag("--to-earliest", o->to_earliest, "to each partition's first offset");
  r->add_flag("--to-latest", o->to_latest, "to each partition's end");
  r->add_option("--to-datetime", o->to_datetime,
                "to the first record at or after this RFC 3339 time");
  r->add_option("--to-offset", o->to_offset, "to this offset (clamped to the log)");
  r->add_option("--shift-by", o->shift_by, "by N (negative: back) from the committed offset");
  r->add_flag("--execute", o->execute, "apply the plan (the group must have no members)");
}

}  // namespace mib::cli
