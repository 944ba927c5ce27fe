// `mib-stream topic create|delete|list|describe|alter|add-partitions`, as rpk's topic
// commands: tables for people, --json for scripts (docs/admin.md).
#include <iostream>
#include <memory>

#include "admin_cli.hpp"
#include "commands.hpp"
#include "json_out.hpp"
#include "table.hpp"

namespace mib::cli {
namespace {

struct TopicOptions {
  AdminOptions admin;
  std::vector<std::string> names;
  std::int32_t partitions = -1;
  std::int32_t replication = -1;
  std::vector<std::string> configs;  // key=value
  bool validate_only = false;
  bool if_not_exists = false;
  bool internal = false;
  bool all_configs = false;
  std::vector<std::string> set, remove, append, subtract;
  std::optional<std::int32_t> to, add;
};

void print_done(const TopicOptions& o, const std::string& verb, const std::string& text) {
  if (o.admin.json) {
    JsonOut json;
    json.begin_object().key("topics").begin_array();
    for (const auto& name : o.names) json.value(name);
    json.end_array().field(verb, true).field("validate_only", o.validate_only).end_object();
    std::cout << json.text() << '\n';
  } else {
    std::cout << text << '\n';
  }
}

void create(const TopicOptions& o) {
  NewTopic spec{o.names.front(), o.partitions, o.replication, {}};
  for (const auto& text : o.configs) {
    if (!spec.configs.insert(key_value(text, "--topic-config")).second) {
      throw CLI::ValidationError(
          "--topic-config", "'" + key_value(text, "--topic-config").first + "' is given twice");
    }
  }
  const Admin admin = connect_admin(o.admin.connection);
  bool existed = false;
  try {
    admin.create_topic(spec, o.validate_only);
  } catch (const Exception& e) {
    if (!o.if_not_exists || e.error().code() != errc::topic_already_exists) throw;
    existed = true;
  }
  print_done(o,
             existed           ? "existed"
             : o.validate_only ? "validated"
                               : "created",
             existed           ? "topic " + spec.name + " exists"
             : o.validate_only ? "valid: topic " + spec.name
                               : "created topic " + spec.name);
}

void remove_topics(const TopicOptions& o) {
  const Admin admin = connect_admin(o.admin.connection);
  for (const auto& name : o.names) {
    admin.delete_topic(name);  // a failure ends the run (exit 1); those before it are printed
    if (!o.admin.json) std::cout << "deleted topic " << name << std::endl;
  }
  if (o.admin.json) print_done(o, "deleted", {});
}

void list(const TopicOptions& o) {
  const auto topics = connect_admin(o.admin.connection).list_topics(o.internal);
  if (o.admin.json) {
    JsonOut json;
    json.begin_object().key("topics").begin_array();
    for (const auto& t : topics) {
      json.begin_object()
          .field("name", t.name)
          .field("partitions", t.partitions)
          .field("internal", t.internal)
          .end_object();
    }
    std::cout << json.end_array().end_object().text() << '\n';
    return;
  }
  Table table{{"NAME", "PARTITIONS", "INTERNAL"}};
  for (const auto& t : topics) {
    table.add({t.name, std::to_string(t.partitions), t.internal ? "yes" : "no"});
  }
  table.print(std::cout);
}

void describe(const TopicOptions& o) {
  const TopicDescription d = connect_admin(o.admin.connection).describe_topic(o.names.front());
  std::vector<const ConfigEntry*> configs;
  for (const auto& c : d.configs) {
    if (o.all_configs || !c.is_default()) configs.push_back(&c);
  }
  if (o.admin.json) {
    JsonOut json;
    json.begin_object().field("name", d.name).field("internal", d.internal).key("partitions");
    write_partitions(json, d.partitions);
    json.key("configs").begin_array();
    for (const auto* c : configs) {
      json.begin_object()
          .field("name", c->name)
          .field("value", c->value)
          .field("source", to_string(c->source))
          .field("read_only", c->read_only)
          .field("sensitive", c->sensitive)
          .end_object();
    }
    std::cout << json.end_array().end_object().text() << '\n';
    return;
  }
  std::cout << "NAME        " << d.name << (d.internal ? " (internal)" : "") << '\n'
            << "PARTITIONS  " << d.partitions.size() << '\n'
            << "REPLICAS    " << d.replication() << "\n\n";
  Table partitions{{"PARTITION", "LEADER", "REPLICAS", "ISR"}};
  for (const auto& p : d.partitions) {
    partitions.add({std::to_string(p.id), p.leader < 0 ? "none" : std::to_string(p.leader),
                    join_ids(p.replicas), join_ids(p.isr)});
  }
  partitions.print(std::cout);
  std::cout << '\n';
  Table table{{"KEY", "VALUE", "SOURCE"}};
  for (const auto* c : configs) {
    table.add({c->name, c->sensitive ? "(sensitive)" : c->value.value_or(""),
               std::string{to_string(c->source)}});
  }
  table.print(std::cout);
}

void alter(const TopicOptions& o) {
  std::vector<ConfigChange> changes;
  for (const auto& t : o.set) {
    auto [k, v] = key_value(t, "--set");
    changes.push_back(ConfigChange::set(k, v));
  }
  for (const auto& k : o.remove) changes.push_back(ConfigChange::remove(k));
  for (const auto& t : o.append) {
    auto [k, v] = key_value(t, "--append");
    changes.push_back(ConfigChange::append(k, v));
  }
  for (const auto& t : o.subtract) {
    auto [k, v] = key_value(t, "--subtract");
    changes.push_back(ConfigChange::subtract(k, v));
  }
  if (changes.empty()) {
    throw CLI::ValidationError("topic alter",
                               "give at least one --set, --delete, --append or --subtract");
  }
  connect_admin(o.admin.connection)
      .alter_configs(ConfigResource::topic(o.names.front()), changes, o.validate_only);
  print_done(o, o.validate_only ? "validated" : "altered",
             std::string{o.validate_only ? "valid: " : "altered "} +
                 std::to_string(changes.size()) + " config(s) of topic " + o.names.front());
}

void add_partitions(const TopicOptions& o) {
  if (o.to.has_value() == o.add.has_value()) {
    throw CLI::ValidationError("topic add-partitions", "give either -n/--num or --to");
  }
  const Admin admin = connect_admin(o.admin.connection);
  std::int32_t total = o.to.value_or(0);
  if (o.add) {
    total =
        static_cast<std::int32_t>(admin.describe_topic(o.names.front()).partitions.size()) + *o.add;
  }
  admin.create_partitions(o.names.front(), total);
  print_done(o, "altered",
             "topic " + o.names.front() + " now has " + std::to_string(total) + " partitions");
}

using Action = void (*)(const TopicOptions&);

CLI::App* sub(CLI::App& parent, const std::shared_ptr<TopicOptions>& o, const char* name,
              const char* help, Action action) {
  auto* cmd = parent.add_subcommand(name, help);
  add_admin_options(*cmd, o->admin);
  cmd->callback([o, action] { action(*o); });
  return cmd;
}

}  // namespace

void add_topic(CLI::App& app) {
  auto o = std::make_shared<TopicOptions>();
  auto* topic = app.add_subcommand("topic", "Create, list, describe, alter and delete topics");
  topic->require_subcommand(1);

  auto* c = sub(*topic, o, "create", "Create a topic", create);
  c->add_option("name", o->names, "topic name")->required()->expected(1);
  c->add_option("-p,--partitions", o->partitions, "partitions (default: the broker's)")
      ->check(CLI::PositiveNumber);
  c->add_option("-r,--replicas", o->replication, "replication factor (default: the broker's)")
      ->check(CLI::PositiveNumber);
  c->add_option("-c,--topic-config", o->configs, "topic config key=value; repeatable");
  c->add_flag("--validate-only,--dry-run", o->validate_only,
              "the broker checks the request and creates nothing");
  c->add_flag("--if-not-exists", o->if_not_exists, "an existing topic is not an error");

  auto* d = sub(*topic, o, "delete", "Delete topics", remove_topics);
  d->add_option("names", o->names, "topic names")->required();

  auto* l = sub(*topic, o, "list", "List topics", list);
  l->add_flag("-i,--internal", o->internal, "include internal topics (__consumer_offsets, ...)");

  auto* ds =
      sub(*topic, o, "describe", "Partitions, leaders, replicas and configs of a topic", describe);
  ds->add_option("name", o->names, "topic name")->required()->expected(1);
  ds->add_flag("-a,--all-configs", o->all_configs, "also configs at their default");

  auto* a = sub(*topic, o, "alter", "Change a topic's configs (others keep their values)", alter);
  a->add_option("name", o->names, "topic name")->required()->expected(1);
  a->add_option("-s,--set", o->set, "key=value; repeatable");
  a->add_option("-d,--delete", o->remove, "key, back to its default; repeatable");
  a->add_option("--append", o->append, "key=value to add to a list config; repeatable");
  a->add_option("--subtract", o->subtract, "key=value to take from a list config; repeatable");
  a->add_flag("--validate-only,--dry-run", o->validate_only, "check only, change nothing");

  auto* p = sub(*topic, o, "add-partitions", "Add partitions to a topic", add_partitions);
  p->add_option("name", o->names, "topic name")->required()->expected(1);
  p->add_option("-n,--num", o->add, "partitions to add")->check(CLI::PositiveNumber);
  p->add_option("--to", o->to, "the new total")->check(CLI::PositiveNumber);
}

}  // namespace mib::cli
