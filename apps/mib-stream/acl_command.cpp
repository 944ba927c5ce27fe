// `mib-stream acl create|list|delete`, as kafka-acls.sh and rpk acl spell them.
#include <iostream>
#include <memory>

#include "admin_cli.hpp"
#include "commands.hpp"
#include "json_out.hpp"
#include "table.hpp"

namespace mib::cli {
namespace {

struct AclOptions {
  AdminOptions admin;
  bool allow = false, deny = false;
  std::string principal, host;
  std::vector<std::string> operations;
  std::optional<std::string> topic, group;
  bool cluster = false, prefixed = false;
};

template <typename E>
E parse_flag(const std::string& text, const std::string& flag) {
  E out{};
  if (!parse(text, out)) throw CLI::ValidationError(flag, "unknown value '" + text + "'");
  return out;
}

// The resource, pattern, principal, host and permission the flags name; `any` where a
// filter leaves them open.
AclFilter filter_of(const AclOptions& o) {
  AclFilter f;
  const int resources = int{o.topic.has_value()} + int{o.group.has_value()} + int{o.cluster};
  if (resources > 1) {
    throw CLI::ValidationError("acl", "give at most one of --topic, --group, --cluster");
  }
  if (o.topic) f = {.resource = AclResource::topic, .name = *o.topic};
  if (o.group) f = {.resource = AclResource::group, .name = *o.group};
  if (o.cluster) f = {.resource = AclResource::cluster, .name = "kafka-cluster"};
  if (resources == 1) f.pattern = o.prefixed ? AclPattern::prefixed : AclPattern::literal;
  if (o.allow && o.deny) throw CLI::ValidationError("acl", "give --allow or --deny, not both");
  if (o.allow) f.permission = AclPermission::allow;
  if (o.deny) f.permission = AclPermission::deny;
  f.principal = o.principal;
  f.host = o.host;
  return f;
}

void print(const std::vector<AclBinding>& acls, bool json_out, const char* verb) {
  if (json_out) {
    JsonOut json;
    json.begin_object().key("acls").begin_array();
    for (const auto& a : acls) {
      json.begin_object()
          .field("resource_type", to_string(a.resource))
          .field("resource_name", a.name)
          .field("pattern_type", to_string(a.pattern))
          .field("principal", a.principal)
          .field("host", a.host)
          .field("operation", to_string(a.operation))
          .field("permission", to_string(a.permission))
          .end_object();
    }
    std::cout << json.end_array().field(verb, true).end_object().text() << '\n';
    return;
  }
  Table table{{"PRINCIPAL", "HOST", "OPERATION", "PERMISSION", "RESOURCE", "NAME", "PATTERN"}};
  for (const auto& a : acls) {
    table.add({a.principal, a.host, std::string{to_string(a.operation)},
               std::string{to_string(a.permission)}, std::string{to_string(a.resource)}, a.name,
               std::string{to_string(a.pattern)}});
  }
  table.print(std::cout);
}

void create(const AclOptions& o) {
  const AclFilter f = filter_of(o);
  if (f.resource == AclResource::any) {
    throw CLI::ValidationError("acl create", "name the resource: --topic, --group or --cluster");
  }
  if (f.permission == AclPermission::any) {
    throw CLI::ValidationError("acl create", "give --allow or --deny");
  }
  std::vector<AclBinding> acls;
  for (const auto& op : o.operations) {
    acls.push_back({f.resource, f.name, f.pattern, f.principal, f.host.empty() ? "*" : f.host,
                    parse_flag<AclOperation>(op, "--operation"), f.permission});
  }
  connect_admin(o.admin.connection).create_acls(acls);
  print(acls, o.admin.json, "created");
}

// `call(filter)` once per --operation (once with ANY without one), the ACLs it returned.
template <typename Call>
std::vector<AclBinding> per_operation(const AclOptions& o, AclFilter f, Call&& call) {
  std::vector<AclBinding> out;
  const std::vector<std::string> ops =
      o.operations.empty() ? std::vector<std::string>{"any"} : o.operations;
  for (const auto& op : ops) {
    f.operation = parse_flag<AclOperation>(op, "--operation");
    for (auto& a : call(f)) out.push_back(std::move(a));
  }
  return out;
}

void list(const AclOptions& o) {
  const AclFilter f = filter_of(o);
  const Admin admin = connect_admin(o.admin.connection);
  print(per_operation(o, f, [&](const AclFilter& each) { return admin.describe_acls(each); }),
        o.admin.json, "listed");
}

void remove(const AclOptions& o) {
  const AclFilter f = filter_of(o);
  if (f.resource == AclResource::any && f.principal.empty()) {
    throw CLI::ValidationError("acl delete",
                               "name a resource or a --principal: deleting every ACL is not a "
                               "default");
  }
  const Admin admin = connect_admin(o.admin.connection);
  print(per_operation(o, f, [&](const AclFilter& each) { return admin.delete_acls(each); }),
        o.admin.json, "deleted");
}

CLI::App* sub(CLI::App& parent, const std::shared_ptr<AclOptions>& o, const char* name,
              const char* help, void (*action)(const AclOptions&)) {
  auto* cmd = parent.add_subcommand(name, help);
  add_admin_options(*cmd, o->admin);
  cmd->add_option("--principal", o->principal, "e.g. User:trader");
  cmd->add_option("--host", o->host, "the client's address (create: default *)");
  cmd->add_option("--operation", o->operations,
                  "READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, ALL, IDEMPOTENT_WRITE, ...");
  cmd->add_option("--topic", o->topic, "a topic (or prefix, with --prefixed)");
  cmd->add_option("--group", o->group, "a consumer group (or prefix)");
  cmd->add_flag("--cluster", o->cluster, "the cluster itself");
  cmd->add_flag("--prefixed", o->prefixed, "the name is a prefix");
  cmd->add_flag("--allow", o->allow, "permission ALLOW");
  cmd->add_flag("--deny", o->deny, "permission DENY");
  cmd->callback([o, action] { action(*o); });
  return cmd;
}

}  // namespace

void add_acl(CLI::App& app) {
  auto o = std::make_shared<AclOptions>();
  auto* acl = app.add_subcommand("acl", "Create, list and delete ACLs (needs an authorizer)");
  acl->require_subcommand(1);
  auto* c = sub(*acl, o, "create", "Allow or deny a principal operations on a resource", create);
  c->get_option("--principal")->required();
  c->get_option("--operation")->required();
  sub(*acl, o, "list", "ACLs matching the flags (all of them without any)", list);
  sub(*acl, o, "delete", "Delete the ACLs matching the flags", remove);
}

}  // namespace mib::cli
