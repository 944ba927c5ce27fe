// Access control lists: who may do what to which resource.
#pragma once

#include <string>
#include <string_view>

namespace mib {

// Kafka's names for each value (to_string / parse in both directions): "TOPIC", "READ",
// "ALLOW", "LITERAL", ... `any` only makes sense in an AclFilter.
// librdkafka 2.0.2 names no other resource types: an ACL on a TRANSACTIONAL_ID,
// DELEGATION_TOKEN or USER reads back as `unknown` (as does any value it cannot name), and
// such a value cannot be sent back (create, or a filter to delete with).
enum class AclResource { any, topic, group, cluster, unknown };
enum class AclPattern { any, match, literal, prefixed, unknown };
enum class AclOperation {
  any,
  all,
  read,
  write,
  create,
  remove,  // Kafka's DELETE
  alter,
  describe,
  cluster_action,
  describe_configs,
  alter_configs,
  idempotent_write,
  unknown,
};
enum class AclPermission { any, deny, allow, unknown };

std::string_view to_string(AclResource value) noexcept;
std::string_view to_string(AclPattern value) noexcept;
std::string_view to_string(AclOperation value) noexcept;
std::string_view to_string(AclPermission value) noexcept;
// Case-insensitive Kafka names (and "delete" for remove); false for anything else, and
// for "unknown".
bool parse(std::string_view text, AclResource& out) noexcept;
bool parse(std::string_view text, AclPattern& out) noexcept;
bool parse(std::string_view text, AclOperation& out) noexcept;
bool parse(std::string_view text, AclPermission& out) noexcept;

// One ACL: `principal` ("User:trader") from `host` ("*" for any) is allowed or denied
// `operation` on the resource (a topic named "trades", or every topic whose name starts
// with "market_intel." when the pattern is prefixed).
struct AclBinding {
  AclResource resource = AclResource::topic;
  std::string name{};
  AclPattern pattern = AclPattern::literal;
  std::string principal{};
  std::string host = "*";
  AclOperation operation = AclOperation::all;
  AclPermission permission = AclPermission::allow;

  friend bool operator==(const AclBinding&, const AclBinding&) = default;
  // "ALLOW User:trader from * WRITE on TOPIC 'trades' (LITERAL)", for messages and lists.
  std::string describe() const;
};

// Which ACLs to describe or delete: each field narrows; `any` and empty strings match all.
struct AclFilter {
  AclResource resource = AclResource::any;
  std::string name{};
  AclPattern pattern = AclPattern::any;
  std::string principal{};
  std::string host{};
  AclOperation operation = AclOperation::any;
  AclPermission permission = AclPermission::any;

  // The filter matching exactly this binding.
  static AclFilter exactly(const AclBinding& b) {
    return {b.resource, b.name, b.pattern, b.principal, b.host, b.operation, b.permission};
  }
};

}  // namespace mib
