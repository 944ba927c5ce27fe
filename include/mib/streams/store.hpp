// State stores: what a processor (processor.hpp) keeps between records. The interfaces take
// and return values, never references into the store, so a store that keeps its entries
// elsewhere (RocksDB, with a changelog topic) can stand behind them unchanged.
//
//   auto& last = ctx.key_value_store<std::string, double>("last-price", {.max_bytes = 64 << 20});
//   if (auto before = last.get(r.key)) { ... }
//   last.put(r.key, r.value.price);
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "mib/streams/record.hpp"

namespace mib::streams {

struct StoreOptions {
  // A put() that would take the store past this many bytes (its own estimate, bytes())
  // throws instead; 0: no limit. The Engine sends the record that hit it to the
  // dead-letter topic, with the store's name and limit as the reason.
  std::size_t max_bytes = 0;
};

class StateStore {
 public:
  explicit StateStore(std::string name, StoreOptions options)
      : name_(std::move(name)), options_(options) {}
  virtual ~StateStore() = default;
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  const std::string& name() const noexcept { return name_; }
  const StoreOptions& options() const noexcept { return options_; }
  virtual std::size_t size() const = 0;   // entries
  virtual std::size_t bytes() const = 0;  // memory its entries take (an estimate)

 private:
  std::string name_;
  StoreOptions options_;
};

// The latest value per key.
template <typename K, typename V>
class KeyValueStore : public StateStore {
 public:
  using StateStore::StateStore;
  using Visit = std::function<void(const K&, const V&)>;

  virtual std::optional<V> get(const K& key) const = 0;
  virtual void put(const K& key, V value) = 0;
  // Whether the key was there.
  virtual bool remove(const K& key) = 0;
  // Entries with from <= key < to, in key order.
  virtual void range(const K& from, const K& to, const Visit& visit) const = 0;
  virtual void all(const Visit& visit) const = 0;
};

// Values per key and window start; windows older than the retention (by stream time) are
// dropped by the store.
template <typename K, typename V>
class WindowStore : public StateStore {
 public:
  using StateStore::StateStore;
  using Visit = std::function<void(Timestamp start, const V&)>;

  virtual std::optional<V> fetch(const K& key, Timestamp start) const = 0;
  virtual void put(const K& key, Timestamp start, V value) = 0;
  virtual bool remove(const K& key, Timestamp start) = 0;
  // The key's windows with from <= start <= to, oldest first.
  virtual void fetch(const K& key, Timestamp from, Timestamp to, const Visit& visit) const = 0;
  // Drops every window that started before `before` (the processor calls it as stream
  // time passes the retention).
  virtual void expire(Timestamp before) = 0;
};

}  // namespace mib::streams
