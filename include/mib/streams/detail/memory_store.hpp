// Internal: the in-memory state stores, ordered maps that count the bytes their entries take
// as they change, and refuse a put past their limit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <utility>

#include "mib/error.hpp"
#include "mib/streams/detail/footprint.hpp"
#include "mib/streams/store.hpp"

namespace mib::streams::detail {

// An entry of a std::map: its node (three links and a colour) and what key and value own.
template <typename K, typename V>
std::size_t entry_bytes(const K& key, const V& value) {
  return sizeof(K) + sizeof(V) + 4 * sizeof(void*) + heap_of(key) + heap_of(value);
}

inline void check_room(const StateStore& store, std::size_t would_be) {
  const std::size_t limit = store.options().max_bytes;
  if (limit == 0 || would_be <= limit) return;
  throw Exception{Error{errc::application,
                        "state store '" + store.name() + "' is full: " + std::to_string(would_be) +
                            " bytes would pass " + "its max_bytes of " + std::to_string(limit)}};
}

template <typename K, typename V>
class MemoryKeyValueStore final : public KeyValueStore<K, V> {
 public:
  using Base = KeyValueStore<K, V>;
  using Base::Base;
  using typename Base::Visit;

  std::optional<V> get(const K& key) const override {
    auto it = map_.find(key);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }
  void put(const K& key, V value) override {
    auto it = map_.find(key);
    const std::size_t old = it == map_.end() ? 0 : entry_bytes(it->first, it->second);
    const std::size_t now = entry_bytes(key, value);
    check_room(*this, bytes_ - old + now);
    if (it == map_.end()) {
      map_.emplace(key, std::move(value));
    } else {
      it->second = std::move(value);
    }
    bytes_ = bytes_ - old + now;
  }
  bool remove(const K& key) override {
    auto it = map_.find(key);
    if (it == map_.end()) return false;
    bytes_ -= entry_bytes(it->first, it->second);
    map_.erase(it);
    return true;
  }
  void range(const K& from, const K& to, const Visit& visit) const override {
    for (auto it = map_.lower_bound(from); it != map_.end() && it->first < to; ++it) {
      visit(it->first, it->second);
    }
  }
  void all(const Visit& visit) const override {
    for (const auto& [key, value] : map_) visit(key, value);
  }
  std::size_t size() const override { return map_.size(); }
  std::size_t bytes() const override { return bytes_; }

 private:
  std::map<K, V> map_;
  std::size_t bytes_ = 0;
};

template <typename K, typename V>
class MemoryWindowStore final : public WindowStore<K, V> {
 public:
  using Base = WindowStore<K, V>;
  using Base::Base;
  using typename Base::Visit;

  std::optional<V> fetch(const K& key, Timestamp start) const override {
    auto it = map_.find({key, start});
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }
  void put(const K& key, Timestamp start, V value) override {
    auto it = map_.find({key, start});
    const std::size_t old = it == map_.end() ? 0 : bytes_of(key, it->second);
    const std::size_t now = bytes_of(key, value);
    check_room(*this, bytes_ - old + now);
    if (it == map_.end()) {
      map_.emplace(std::pair{key, start}, std::move(value));
      by_start_.emplace(start, key);
    } else {
      it->second = std::move(value);
    }
    bytes_ = bytes_ - old + now;
  }
  bool remove(const K& key, Timestamp start) override {
    auto it = map_.find({key, start});
    if (it == map_.end()) return false;
    bytes_ -= bytes_of(key, it->second);
    map_.erase(it);
    by_start_.erase({start, key});
    return true;
  }
  void fetch(const K& key, Timestamp from, Timestamp to, const Visit& visit) const override {
    for (auto it = map_.lower_bound({key, from});
         it != map_.end() && it->first.first == key && it->first.second <= to; ++it) {
      visit(it->first.second, it->second);
    }
  }
  void expire(Timestamp before) override {
    while (!by_start_.empty() && by_start_.begin()->first < before) {
      const auto [start, key] = *by_start_.begin();
      remove(key, start);
    }
  }
  std::size_t size() const override { return map_.size(); }
  std::size_t bytes() const override { return bytes_; }

 private:
  // The entry's node, its node in the index by start, and the key's heap in both.
  static std::size_t bytes_of(const K& key, const V& value) {
    return sizeof(std::pair<K, Timestamp>) + sizeof(V) + sizeof(std::pair<Timestamp, K>) +
           8 * sizeof(void*) + 2 * heap_of(key) + heap_of(value);
  }

  std::map<std::pair<K, Timestamp>, V> map_;
  std::set<std::pair<Timestamp, K>> by_start_;
  std::size_t bytes_ = 0;
};

}  // namespace mib::streams::detail
