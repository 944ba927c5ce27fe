// Internal: one table per message type drives its JSON both ways. A type lists its fields
// (name and member) in the seed's order; encode writes them in that order, decode finds
// each key in the table, and the table says which fields must be present.
#pragma once

#include <array>
#include <bitset>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "mib/error.hpp"
#include "serde/json_read.hpp"
#include "serde/json_write.hpp"

namespace mib::json {

template <typename T, typename M>
struct Field {
  std::string_view name;
  M T::*member;
};

template <typename M>
inline constexpr bool is_optional_v = false;
template <typename M>
inline constexpr bool is_optional_v<std::optional<M>> = true;

// Maps and optional values may be absent; everything else must be there.
template <typename M>
constexpr bool may_be_absent() {
  return is_optional_v<M> || std::is_same_v<M, JsonMap> || std::is_same_v<M, Metadata>;
}

// Specialised per type: `name` ("Trade") and `fields`, a tuple of Field, and optionally
// `extra`, the member that keeps unknown fields (written back as "fields"); without it
// unknown fields are skipped.
template <typename T>
struct Table;

template <typename T>
concept keeps_unknown = requires {
  Table<T>::extra;
};

inline Error field_error(std::string_view type, const Issue& issue) {
  return Error{errc::bad_message,
               std::string{type} + " JSON: field '" + issue.path + "' " + issue.what};
}

template <typename T>
bool write_fields(std::string& out, const T& value) {
  append_key(out, "fields");
  return write(out, value.*Table<T>::extra);
}

// Writes the object's members without the braces: `out` already holds "{" or a member.
template <typename T>
Problem encode_members(const T& value, std::string& out) {
  Problem problem;
  std::apply(
      [&](const auto&... field) {
        ((problem ? void() : [&] {
          const auto& member = value.*(field.member);
          if constexpr (is_optional_v<std::remove_cvref_t<decltype(member)>>) {
            if (!member) return;
            append_key(out, field.name);
            if (!write(out, *member)) problem = Issue{std::string{field.name}, std::string{not_json}};
          } else {
            if constexpr (may_be_absent<std::remove_cvref_t<decltype(member)>>()) {
              if (member.empty()) return;
            }
            append_key(out, field.name);
            if (!write(out, member)) problem = Issue{std::string{field.name}, std::string{not_json}};
          }
        }()),
         ...);
      },
      Table<T>::fields);
  if constexpr (keeps_unknown<T>) {
    if (!problem && !(value.*Table<T>::extra).empty() && !write_fields(out, value)) {
      problem = Issue{"fields", std::string{not_json}};
    }
  }
  return problem;
}

template <typename T>
Error encode_object(const T& value, std::string& out) {
  const std::size_t before = out.size();
  out += '{';
  if (Problem p = encode_members(value, out)) {
    out.resize(before);
    return field_error(Table<T>::name, *p);
  }
  out += '}';
  return {};
}

// Clears what may be absent, so that a reused value does not keep an earlier record's.
template <typename T>
void reset_absent(T& value) {
  std::apply(
      [&](const auto&... field) {
        (
            [&] {
              auto& member = value.*(field.member);
              using M = std::remove_cvref_t<decltype(member)>;
              if constexpr (is_optional_v<M>) {
                member.reset();
              } else if constexpr (may_be_absent<M>()) {
                member.clear();
              }
            }(),
            ...);
      },
      Table<T>::fields);
  if constexpr (keeps_unknown<T>) (value.*Table<T>::extra).clear();
}

// Reads one member `key` of T's object. Unknown keys go to the extra map.
template <typename T, std::size_t N>
Problem decode_member(std::string_view key, value& v, T& out, std::bitset<N>& seen) {
  Problem problem;
  bool found = false;
  std::size_t index = 0;
  std::apply(
      [&](const auto&... field) {
        ((found ? void() : [&] {
          if (key == field.name) {
            found = true;
            seen.set(index);
            problem = under(field.name, read(v, out.*(field.member)));
          }
          ++index;
        }()),
         ...);
      },
      Table<T>::fields);
  if (found) return problem;
  if constexpr (keeps_unknown<T>) {
    auto& extra = out.*Table<T>::extra;
    if (key == "fields") {
      JsonMap given;
      if (Problem p = read(v, given)) return under("fields", std::move(p));
      for (auto& [k, item] : given) extra.insert_or_assign(k, std::move(item));
      return std::nullopt;
    }
    JsonValue unknown;
    if (Problem p = read(v, unknown)) return under(key, std::move(p));
    extra.insert_or_assign(std::string{key}, std::move(unknown));
  }
  return std::nullopt;  // else skipped: the object's iteration steps over it
}

// Reads each of T's table fields by looking it up in `object`, whatever the order (for
// objects read in more than one step, such as an envelope, whose payload's type is only
// known once message_type is read). Other members are ignored.
template <typename T>
Problem decode_by_lookup(simdjson::ondemand::object& object, T& out) {
  Problem problem;
  std::apply(
      [&](const auto&... field) {
        ((problem ? void() : [&] {
          auto& member = out.*(field.member);
          using M = std::remove_cvref_t<decltype(member)>;
          value item;
          const auto e = object.find_field_unordered(field.name).get(item);
          if (e == simdjson::NO_SUCH_FIELD) {
            if constexpr (is_optional_v<M>) {
              member.reset();
            } else if constexpr (may_be_absent<M>()) {
              member.clear();
            } else {
              problem = Issue{std::string{field.name}, "is missing"};
            }
          } else if (e) {
            problem = not_valid(e);
          } else {
            problem = under(field.name, read(item, member));
          }
        }()),
         ...);
      },
      Table<T>::fields);
  return problem;
}

// The first required field of T not in `seen`.
template <typename T, std::size_t N>
Problem missing(const std::bitset<N>& seen) {
  Problem problem;
  std::size_t index = 0;
  std::apply(
      [&](const auto&... field) {
        (
            [&] {
              using M = std::remove_cvref_t<decltype(std::declval<T&>().*(field.member))>;
              if (!problem && !may_be_absent<M>() && !seen.test(index)) {
                problem = Issue{std::string{field.name}, "is missing"};
              }
              ++index;
            }(),
            ...);
      },
      Table<T>::fields);
  return problem;
}

template <typename T>
inline constexpr std::size_t field_count = std::tuple_size_v<decltype(Table<T>::fields)>;

template <typename T>
inline constexpr auto field_names = std::apply(
    [](const auto&... field) {
      return std::array<std::string_view, sizeof...(field)>{field.name...};
    },
    Table<T>::fields);

// The index of the table field whose name `key` is as written (no escapes), or
// field_count<T>. Writers keep the table's order, so `expected` (the field after the last
// one read) is tried first, and a record is usually read with one comparison per member.
template <typename T>
std::size_t field_index(simdjson::ondemand::raw_json_string key, std::size_t expected) {
  constexpr auto& names = field_names<T>;
  if (expected < names.size() && key.unsafe_is_equal(names[expected])) return expected;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (key.unsafe_is_equal(names[i])) return i;
  }
  return names.size();
}

// Reads the value of table field `index` into its member.
template <typename T>
Problem read_field(std::size_t index, value& v, T& out) {
  Problem problem;
  std::size_t i = 0;
  std::apply(
      [&](const auto&... field) {
        ((i++ == index ? [&] {
          if (Problem p = read(v, out.*(field.member))) problem = under(field.name, std::move(p));
        }()
                       : void()),
         ...);
      },
      Table<T>::fields);
  return problem;
}

// Reads an object of T, whatever its members' order. A key that matches no field as
// written (an unknown one, or a name spelt with escapes) is unescaped and looked up by
// decode_member().
template <typename T>
Problem decode_object(value& v, T& out) {
  simdjson::ondemand::object object;
  if (v.get_object().get(object) != simdjson::SUCCESS) return wrong(v, "must be an object");
  reset_absent(out);
  std::bitset<field_count<T>> seen;
  std::size_t expected = 0;
  for (auto result : object) {
    if (auto e = result.error()) return not_valid(e);
    // By reference: copies of the member's iterator cost more than reading a number.
    simdjson::ondemand::field& member = result.value_unsafe();
    value& item = member.value();
    if (const std::size_t index = field_index<T>(member.key(), expected); index < field_count<T>) {
      seen.set(index);
      expected = index + 1;
      if (Problem p = read_field(index, item, out)) return p;
      continue;
    }
    std::string_view key;
    if (auto e = member.unescaped_key().get(key)) return not_valid(e);
    if (Problem p = decode_member(key, item, out, seen)) return p;
  }
  return missing<T>(seen);
}

// A whole document: `read_root(value&)` reads its root value, in one pass over the text.
// If it asks to read again, `read_again(value&)` reads the rewound document by looking
// members up. Errors start with "<type> JSON: ", then name the field, or "the record" for
// the whole text.
template <typename Read, typename ReadAgain>
Error decode_document(std::string_view text, std::string_view type, Read&& read_root,
                      ReadAgain&& read_again) {
  simdjson::ondemand::document doc;
  const auto root_of = [&](auto&& read) -> Problem {
    value root;
    if (auto e = doc.get_value().get(root)) {
      return not_valid(e);
    }
    return read(root);
  };
  Problem problem = start(text, doc);
  if (!problem) problem = root_of(read_root);
  // After one pass over the root, a second value would start here: there must be none.
  const char* after = nullptr;
  if ((!problem || problem->read_again) && doc.current_location().get(after) == simdjson::SUCCESS) {
    problem = Issue{"", "is followed by more text"};
  }
  if (problem && problem->read_again) {
    doc.rewind();
    problem = root_of(read_again);
  }
  if (!problem) return {};
  if (problem->path.empty()) {
    return Error{errc::bad_message, std::string{type} + " JSON: the record " + problem->what};
  }
  return field_error(type, *problem);
}

template <typename Read>
Error decode_document(std::string_view text, std::string_view type, Read&& read_root) {
  return decode_document(text, type, read_root, [](value&) -> Problem { return std::nullopt; });
}

}  // namespace mib::json
