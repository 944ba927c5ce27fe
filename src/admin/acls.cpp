// ACLs: create, describe and delete, and Kafka's names for their parts.
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <utility>

#include "admin/admin_impl.hpp"

namespace mib {
namespace {

// Each of our values with Kafka's name and librdkafka's number (both are Kafka's wire
// numbering), in one table per kind.
template <typename E>
struct Named {
  E value;
  std::string_view name;
  int kafka;
};

// The last entry of each table is `unknown`: what a number none of ours names reads as.
constexpr std::array<Named<AclResource>, 5> resources{{{AclResource::any, "ANY", 1},
                                                       {AclResource::topic, "TOPIC", 2},
                                                       {AclResource::group, "GROUP", 3},
                                                       {AclResource::cluster, "CLUSTER", 4},
                                                       {AclResource::unknown, "UNKNOWN", 0}}};
constexpr std::array<Named<AclPattern>, 5> patterns{{{AclPattern::any, "ANY", 1},
                                                     {AclPattern::match, "MATCH", 2},
                                                     {AclPattern::literal, "LITERAL", 3},
                                                     {AclPattern::prefixed, "PREFIXED", 4},
                                                     {AclPattern::unknown, "UNKNOWN", 0}}};
constexpr std::array<Named<AclOperation>, 13> operations{{
    {AclOperation::any, "ANY", 1},
    {AclOperation::all, "ALL", 2},
    {AclOperation::read, "READ", 3},
    {AclOperation::write, "WRITE", 4},
    {AclOperation::create, "CREATE", 5},
    {AclOperation::remove, "DELETE", 6},
    {AclOperation::alter, "ALTER", 7},
    {AclOperation::describe, "DESCRIBE", 8},
    {AclOperation::cluster_action, "CLUSTER_ACTION", 9},
    {AclOperation::describe_configs, "DESCRIBE_CONFIGS", 10},
    {AclOperation::alter_configs, "ALTER_CONFIGS", 11},
    {AclOperation::idempotent_write, "IDEMPOTENT_WRITE", 12},
    {AclOperation::unknown, "UNKNOWN", 0},
}};
constexpr std::array<Named<AclPermission>, 4> permissions{{{AclPermission::any, "ANY", 1},
                                                           {AclPermission::deny, "DENY", 2},
                                                           {AclPermission::allow, "ALLOW", 3},
                                                           {AclPermission::unknown, "UNKNOWN", 0}}};

template <typename E, std::size_t N>
const Named<E>& entry(const std::array<Named<E>, N>& table, E value) {
  return *std::find_if(table.begin(), table.end(), [&](const auto& n) { return n.value == value; });
}

template <typename E, std::size_t N>
E from_kafka(const std::array<Named<E>, N>& table, int kafka) {
  for (const auto& n : table) {
    if (n.kafka == kafka) return n.value;
  }
  return table.back().value;  // unknown
}

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

template <typename E, std::size_t N>
bool parse_in(const std::array<Named<E>, N>& table, std::string_view text, E& out) {
  std::string normal{text};
  std::replace(normal.begin(), normal.end(), '-', '_');  // idempotent-write, as a flag
  for (const auto& n : table) {
    if (n.kafka != 0 && same_name(normal, n.name)) {
      out = n.value;
      return true;
    }
  }
  return false;
}

const char* or_null(const std::string& s) {
  return s.empty() ? nullptr : s.c_str();
}

using Binding = admin::Owned<rd_kafka_AclBinding_t, rd_kafka_AclBinding_destroy>;

// librdkafka's binding (or filter, where null strings and ANY match everything).
Binding make_binding(const AclFilter& f, bool filter, std::string_view what) {
  if (f.resource == AclResource::unknown || f.pattern == AclPattern::unknown ||
      f.operation == AclOperation::unknown || f.permission == AclPermission::unknown) {
    admin::check(RD_KAFKA_RESP_ERR__INVALID_ARG,
                 "it has a part librdkafka 2.0.2 cannot name (UNKNOWN): a filter of it would "
                 "match more than this ACL",
                 what);
  }
  std::array<char, 512> errstr{};
  const auto restype = static_cast<rd_kafka_ResourceType_t>(entry(resources, f.resource).kafka);
  const auto pattern =
      static_cast<rd_kafka_ResourcePatternType_t>(entry(patterns, f.pattern).kafka);
  const auto op = static_cast<rd_kafka_AclOperation_t>(entry(operations, f.operation).kafka);
  const auto perm =
      static_cast<rd_kafka_AclPermissionType_t>(entry(permissions, f.permission).kafka);
  Binding out{
      filter
          ? rd_kafka_AclBindingFilter_new(restype, or_null(f.name), pattern, or_null(f.principal),
                                          or_null(f.host), op, perm, errstr.data(), errstr.size())
          : rd_kafka_AclBinding_new(restype, f.name.c_str(), pattern, f.principal.c_str(),
                                    f.host.c_str(), op, perm, errstr.data(), errstr.size())};
  if (!out) admin::check(RD_KAFKA_RESP_ERR__INVALID_ARG, errstr.data(), what);
  return out;
}

AclBinding from_librdkafka(const rd_kafka_AclBinding_t* b) {
  return {from_kafka(resources, rd_kafka_AclBinding_restype(b)),
          rd_kafka_AclBinding_name(b),
          from_kafka(patterns, rd_kafka_AclBinding_resource_pattern_type(b)),
          rd_kafka_AclBinding_principal(b),
          rd_kafka_AclBinding_host(b),
          from_kafka(operations, rd_kafka_AclBinding_operation(b)),
          from_kafka(permissions, rd_kafka_AclBinding_permission_type(b))};
}

}  // namespace

std::string_view to_string(AclResource value) noexcept {
  return entry(resources, value).name;
}
std::string_view to_string(AclPattern value) noexcept {
  return entry(patterns, value).name;
}
std::string_view to_string(AclOperation value) noexcept {
  return entry(operations, value).name;
}
std::string_view to_string(AclPermission value) noexcept {
  return entry(permissions, value).name;
}
bool parse(std::string_view text, AclResource& out) noexcept {
  return parse_in(resources, text, out);
}
bool parse(std::string_view text, AclPattern& out) noexcept {
  return parse_in(patterns, text, out);
}
bool parse(std::string_view text, AclOperation& out) noexcept {
  return parse_in(operations, text, out);
}
bool parse(std::string_view text, AclPermission& out) noexcept {
  return parse_in(permissions, text, out);
}

std::string AclBinding::describe() const {
  std::string out{to_string(permission)};
  out += ' ';
  out += principal;
  out += " from ";
  out += host;
  out += ' ';
  out += to_string(operation);
  out += " on ";
  out += to_string(resource);
  out += " '" + name + "' (";
  out += to_string(pattern);
  out += ')';
  return out;
}

void Admin::create_acls(const std::vector<AclBinding>& acls) const {
  return impl_->audited("create_acls", std::to_string(acls.size()) + " ACLs", [&] {
    std::vector<Binding> owned;
    std::vector<rd_kafka_AclBinding_t*> specs;
    for (const AclBinding& acl : acls) {
      owned.push_back(make_binding(AclFilter::exactly(acl), false, "create ACL " + acl.describe()));
      specs.push_back(owned.back().get());
    }
    if (specs.empty()) return;
    const auto options = impl_->options(RD_KAFKA_ADMIN_OP_CREATEACLS);
    const auto event = impl_->call("create ACLs", [&](rd_kafka_queue_t* queue) {
      rd_kafka_CreateAcls(impl_->rk(), specs.data(), specs.size(), options.get(), queue);
    });
    std::size_t count = 0;
    const auto** results =
        rd_kafka_CreateAcls_result_acls(rd_kafka_event_CreateAcls_result(event.get()), &count);
    for (std::size_t i = 0; i < count && i < acls.size(); ++i) {  // in the order sent
      admin::check(rd_kafka_acl_result_error(results[i]), "create ACL " + acls[i].describe());
    }
  });
}

std::vector<AclBinding> Admin::describe_acls(const AclFilter& filter) const {
  const Binding spec = make_binding(filter, true, "describe ACLs");
  const auto options = impl_->options(RD_KAFKA_ADMIN_OP_DESCRIBEACLS);
  const auto event = impl_->call("describe ACLs", [&](rd_kafka_queue_t* queue) {
    rd_kafka_DescribeAcls(impl_->rk(), spec.get(), options.get(), queue);
  });
  std::size_t count = 0;
  const auto** found =
      rd_kafka_DescribeAcls_result_acls(rd_kafka_event_DescribeAcls_result(event.get()), &count);
  std::vector<AclBinding> out;
  for (std::size_t i = 0; i < count; ++i) out.push_back(from_librdkafka(found[i]));
  // librdkafka (2.0.2 and later) drops DescribeAcls' error code: a cluster without an
  // authorizer answers with an empty list and no error. Its brokers' own config says.
  if (!out.empty()) return out;
  std::optional<std::int32_t> broker;
  std::vector<ConfigEntry> configs;
  try {
    const auto md = impl_->metadata(false);
    if (md->broker_cnt == 0) return out;
    broker = md->brokers[0].id;
    configs = describe_configs(ConfigResource::broker(*broker));
  } catch (const Exception&) {
    return out;  // the broker's config cannot be read either: nothing tells
  }
  const ConfigEntry* authorizer = find_config(configs, "authorizer.class.name");
  if (authorizer != nullptr && authorizer->value.value_or("").empty()) {
    admin::check(RD_KAFKA_RESP_ERR_SECURITY_DISABLED,
                 ("no authorizer is configured (authorizer.class.name is empty on broker " +
                  std::to_string(*broker) + ")")
                     .c_str(),
                 "describe ACLs");
  }
  return out;
}

std::vector<AclBinding> Admin::delete_acls(const AclFilter& filter) const {
  return impl_->audited("delete_acls", std::string{"ACLs matching a filter"}, [&] {
    Binding spec = make_binding(filter, true, "delete ACLs");
    rd_kafka_AclBindingFilter_t* specs[] = {spec.get()};
    const auto options = impl_->options(RD_KAFKA_ADMIN_OP_DELETEACLS);
    const auto event = impl_->call("delete ACLs", [&](rd_kafka_queue_t* queue) {
      rd_kafka_DeleteAcls(impl_->rk(), specs, 1, options.get(), queue);
    });
    std::size_t count = 0;
    const auto** responses =
        rd_kafka_DeleteAcls_result_responses(rd_kafka_event_DeleteAcls_result(event.get()), &count);
    std::vector<AclBinding> out;
    for (std::size_t r = 0; r < count; ++r) {
      admin::check(rd_kafka_DeleteAcls_result_response_error(responses[r]), "delete ACLs");
      std::size_t matched = 0;
      const auto** acls = rd_kafka_DeleteAcls_result_response_matching_acls(responses[r], &matched);
      for (std::size_t i = 0; i < matched; ++i) out.push_back(from_librdkafka(acls[i]));
    }
    return out;
  });
}

}  // namespace mib
