// Internal: the spellings of configuration enums. The first name is the one written out;
// matching ignores case, '_' and '-', so "SaslSsl", "SASL_SSL" and "sasl-ssl" all match.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "mib/config/config.hpp"

namespace mib::config {

template <typename E>
struct EnumNames;

#define MIB_ENUM_NAMES(Type, ...)                                               \
  template <>                                                                   \
  struct EnumNames<Type> {                                                      \
    static constexpr std::pair<Type, std::string_view> names[] = {__VA_ARGS__}; \
  };

MIB_ENUM_NAMES(SecurityProtocol, {SecurityProtocol::plaintext, "Plaintext"},
               {SecurityProtocol::ssl, "Ssl"}, {SecurityProtocol::sasl_plaintext, "SaslPlaintext"},
               {SecurityProtocol::sasl_ssl, "SaslSsl"})
MIB_ENUM_NAMES(SaslMechanism, {SaslMechanism::none, "None"}, {SaslMechanism::plain, "Plain"},
               {SaslMechanism::scram_sha256, "ScramSha256"},
               {SaslMechanism::scram_sha512, "ScramSha512"}, {SaslMechanism::gssapi, "Gssapi"},
               {SaslMechanism::oauthbearer, "OAuthBearer"})
MIB_ENUM_NAMES(Compression, {Compression::none, "none"}, {Compression::gzip, "gzip"},
               {Compression::snappy, "snappy"}, {Compression::lz4, "lz4"},
               {Compression::zstd, "zstd"})
MIB_ENUM_NAMES(Acks, {Acks::all, "all"}, {Acks::leader, "1"}, {Acks::none, "0"}, {Acks::all, "-1"})
MIB_ENUM_NAMES(Partitioner, {Partitioner::random, "random"},
               {Partitioner::consistent, "consistent"},
               {Partitioner::consistent_random, "consistent_random"},
               {Partitioner::murmur2, "murmur2"}, {Partitioner::murmur2_random, "murmur2_random"},
               {Partitioner::fnv1a, "fnv1a"}, {Partitioner::fnv1a_random, "fnv1a_random"})
MIB_ENUM_NAMES(OffsetReset, {OffsetReset::earliest, "earliest"}, {OffsetReset::latest, "latest"},
               {OffsetReset::error, "error"})
MIB_ENUM_NAMES(IsolationLevel, {IsolationLevel::read_committed, "read_committed"},
               {IsolationLevel::read_uncommitted, "read_uncommitted"})
MIB_ENUM_NAMES(LogFormat, {LogFormat::json, "json"}, {LogFormat::text, "text"})
MIB_ENUM_NAMES(LogLevel, {LogLevel::trace, "trace"}, {LogLevel::debug, "debug"},
               {LogLevel::info, "info"}, {LogLevel::warn, "warn"}, {LogLevel::error, "error"},
               {LogLevel::critical, "critical"}, {LogLevel::off, "off"})
MIB_ENUM_NAMES(CleanupPolicy, {CleanupPolicy::remove, "delete"},
               {CleanupPolicy::compact, "compact"},
               {CleanupPolicy::compact_and_delete, "compact,delete"})

#undef MIB_ENUM_NAMES

// Lower case without '_', '-' and ',': the form names are compared in.
inline std::string fold_name(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '_' || c == '-' || c == ',') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

template <typename E>
std::optional<E> parse_enum(std::string_view text) {
  const std::string folded = fold_name(text);
  for (const auto& [value, name] : EnumNames<E>::names) {
    if (fold_name(name) == folded) return value;
  }
  return std::nullopt;
}

template <typename E>
std::string_view enum_name(E value) {
  for (const auto& [v, name] : EnumNames<E>::names) {
    if (v == value) return name;
  }
  return "?";
}

// "\"a\", \"b\" or \"c\"" for messages, each value once.
template <typename E>
std::string enum_choices() {
  std::string out;
  std::array<bool, 16> listed{};
  const auto& names = EnumNames<E>::names;
  std::size_t count = 0, total = 0;
  for (const auto& [v, n] : names) {
    if (!listed[static_cast<std::size_t>(v)]) {
      listed[static_cast<std::size_t>(v)] = true;
      ++total;
    }
  }
  listed = {};
  for (const auto& [v, n] : names) {
    if (listed[static_cast<std::size_t>(v)]) continue;
    listed[static_cast<std::size_t>(v)] = true;
    if (count > 0)
      out += ++count == total ? " or " : ", ";
    else
      ++count;
    out += '"';
    out += n;
    out += '"';
  }
  return out;
}

}  // namespace mib::config
