// Internal: what a Topology owns — its nodes, its sources by topic and its sinks by topic —
// and the source and sink nodes themselves.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <typeindex>
#include <utility>
#include <vector>

#include "mib/error.hpp"
#include "mib/streams/detail/node.hpp"
#include "mib/streams/detail/partition_clock.hpp"

namespace mib::streams::detail {

// Where an Engine's sinks send (a Producer behind it); the TestDriver binds none.
class Emitter {
 public:
  virtual ~Emitter() = default;
  // `watermark`: for a repartition topic, the watermark of the records' origin when this
  // one was sent (no_time otherwise); the topic's reader takes it as that partition's time.
  virtual void emit(const std::string& topic, std::string_view key, std::string_view value,
                    Timestamp time, std::string_view content_type, Timestamp watermark) = 0;
};

// A source: records from a topic (decoded by its serde) or pushed in by name.
class SourceBase : public Node {
 public:
  SourceBase(Context& context, std::string topic, Millis idle_after)
      : Node(context, topic), topic_(std::move(topic)), clock_(idle_after) {}

  const std::string& topic() const noexcept { return topic_; }
  // A topic of the topology's own (a repartition topic), which the Engine names and makes.
  bool internal() const noexcept { return internal_; }
  void make_internal() noexcept { internal_ = true; }
  void rename(std::string topic) { topic_ = std::move(topic); }
  // Run in process (the TestDriver): an internal source then stands aside, idle for good,
  // and its records reach its readers directly.
  void stand_aside() {
    aside_ = true;
    set_idle(true);
  }
  virtual std::type_index key_type() const = 0;
  virtual std::type_index value_type() const = 0;
  // Decodes one record of the topic and pushes it; the Error says why it did not decode.
  // `watermark`: what the sender of a repartition topic's record said of its origin.
  virtual Error push_encoded(std::string_view key, std::string_view value, Timestamp time,
                             std::int32_t partition, Timestamp watermark = no_time) = 0;
  // Moves every partition's event time to at least `time`.
  void advance_to(Timestamp time) {
    if (clock_.advance_all(time)) follow_clock();
  }
  // The partitions of the topic that count (the consumer's assignment): one that has not
  // sent yet holds the watermark back until it sends or goes idle.
  void expect(const std::vector<std::int32_t>& partitions) {
    if (clock_.expect(partitions, context().wall_now)) follow_clock();
  }
  void on_wall_clock() override {
    if (clock_.tick(context().wall_now)) follow_clock();
  }
  // What a record with an empty (or null) value means on this topic: a table's topic
  // deletes the key; elsewhere (no handler) the value is decoded like any other.
  using Tombstone = std::function<void(std::string_view key, Timestamp time)>;
  void on_tombstone(Tombstone handler) { tombstone_ = std::move(handler); }

 protected:
  Tombstone tombstone_;
  void observe(std::int32_t partition, Timestamp time) {
    if (clock_.observe(partition, time, context().wall_now)) follow_clock();
  }

 private:
  void follow_clock() {
    if (aside_) return;
    set_idle(clock_.idle());
    publish(clock_.watermark());
  }
  std::string topic_;
  PartitionClock clock_;
  bool internal_ = false;
  bool aside_ = false;
};

template <typename K, typename V>
class Source : public SourceBase {
 public:
  using Decode = std::function<Error(std::string_view key, std::string_view value, K&, V&)>;
  using EventTime = std::function<Timestamp(const V&, Timestamp record_time)>;

  Source(Context& context, std::string topic, Millis idle_after, Decode decode, EventTime time)
      : SourceBase(context, std::move(topic), idle_after),
        decode_(std::move(decode)),
        event_time_(std::move(time)) {}

  Outlet<Record<K, V>> out;

  std::type_index key_type() const override { return typeid(K); }
  std::type_index value_type() const override { return typeid(V); }

  void push(Record<K, V>&& record, std::int32_t partition) {
    if (event_time_) record.time = event_time_(record.value, record.time);
    const Timestamp time = record.time;
    out.push(std::move(record));
    observe(partition, time);
  }

  Error push_encoded(std::string_view key, std::string_view value, Timestamp time,
                     std::int32_t partition, Timestamp watermark = no_time) override {
    if (!decode_) {
      return Error{errc::invalid_argument,
                   "source '" + topic() + "' is in memory: it takes typed records only"};
    }
    if (value.empty() && tombstone_) {
      tombstone_(key, time);
      observe(partition, time);
      return {};
    }
    Record<K, V> record{.time = time};
    if (Error e = decode_(key, value, record.key, record.value)) return e;
    if (internal()) {
      // A repartition topic's partition mixes records of several origin partitions, out of
      // order: its time is the origin's watermark its sender saw, not its newest record.
      out.push(std::move(record));
      observe(partition, watermark);
      return {};
    }
    push(std::move(record), partition);
    return {};
  }

 private:
  Decode decode_;
  EventTime event_time_;
};

// A sink: the records sent to one topic.
class SinkBase {
 public:
  explicit SinkBase(std::string topic) : topic_(std::move(topic)) {}
  virtual ~SinkBase() = default;
  const std::string& topic() const noexcept { return topic_; }
  bool internal() const noexcept { return internal_; }
  void make_internal() noexcept { internal_ = true; }
  void rename(std::string topic) { topic_ = std::move(topic); }
  virtual std::type_index key_type() const = 0;
  virtual std::type_index value_type() const = 0;
  // Where records go from now on; nullptr: kept in memory for a TestDriver to read.
  void bind(Emitter* emitter) noexcept { emitter_ = emitter; }
  std::uint64_t records_out() const noexcept { return records_out_; }

 protected:
  Emitter* emitter_ = nullptr;
  std::uint64_t records_out_ = 0;

 private:
  std::string topic_;
  bool internal_ = false;
};

template <typename K, typename V>
class Sink : public SinkBase {
 public:
  using Encode = std::function<Error(const V&, std::string&)>;
  using KeyBytes = std::function<std::string_view(const K&, std::string& scratch)>;

  Sink(std::string topic, Encode encode, KeyBytes key_bytes, std::string content_type)
      : SinkBase(std::move(topic)),
        encode_(std::move(encode)),
        key_bytes_(std::move(key_bytes)),
        content_type_(std::move(content_type)) {}

  std::type_index key_type() const override { return typeid(K); }
  std::type_index value_type() const override { return typeid(V); }

  // Throws mib::Exception when the value cannot be encoded: the input record that led to
  // it fails, and the Engine's error policy decides (a dead letter, by default).
  void push(Record<K, V>&& record) {
    ++records_out_;
    if (emitter_ == nullptr) {
      if (in_process) {
        in_process(std::move(record));
      } else {
        captured.push_back(std::move(record));
      }
      return;
    }
    value_buffer_.clear();
    if (Error e = encode_(record.value, value_buffer_)) {
      throw Exception{e.with_context("sink '" + topic() + "'")};
    }
    emitter_->emit(topic(), key_bytes_(record.key, key_buffer_), value_buffer_, record.time,
                   content_type_, watermark_of == nullptr ? no_time : watermark_of->watermark());
  }

  std::deque<Record<K, V>> captured;  // what reached the sink with no emitter bound
  // A repartition topic's sink with no emitter bound hands its records on in process;
  // bound, it sends with each record the watermark of the node its records come from.
  std::function<void(Record<K, V>&&)> in_process;
  const Node* watermark_of = nullptr;

 private:
  Encode encode_;
  KeyBytes key_bytes_;
  std::string content_type_;
  std::string value_buffer_;
  std::string key_buffer_;
};

class Graph {
 public:
  Context context;

  template <typename N, typename... Args>
  N& add(Args&&... args) {
    auto node = std::make_unique<N>(context, std::forward<Args>(args)...);
    N& ref = *node;
    nodes_.push_back(std::move(node));
    return ref;
  }
  // Keeps an object that is not a node (a branch's outlets, a late-records outlet).
  template <typename T, typename... Args>
  T& keep(Args&&... args) {
    auto owned = std::make_shared<T>(std::forward<Args>(args)...);
    T& ref = *owned;
    kept_.push_back(std::move(owned));
    return ref;
  }

  // Stateful operators name their state: each name once in a topology.
  void claim_name(const std::string& name);
  void add_source(SourceBase& source);
  SourceBase* source(std::string_view topic) const;
  const std::vector<SourceBase*>& sources() const noexcept { return sources_; }

  template <typename K, typename V>
  Sink<K, V>& sink(const std::string& topic, typename Sink<K, V>::Encode encode,
                   typename Sink<K, V>::KeyBytes key_bytes, std::string content_type) {
    if (SinkBase* existing = find_sink(topic)) {
      if (auto* same = dynamic_cast<Sink<K, V>*>(existing)) return *same;
      throw Exception{Error{errc::invalid_argument,
                            "topic '" + topic + "' is already a sink of another record type"}};
    }
    auto sink = std::make_unique<Sink<K, V>>(topic, std::move(encode), std::move(key_bytes),
                                             std::move(content_type));
    Sink<K, V>& ref = *sink;
    sinks_.push_back(std::move(sink));
    return ref;
  }
  SinkBase* find_sink(std::string_view topic) const;
  const std::vector<std::unique_ptr<SinkBase>>& sinks() const noexcept { return sinks_; }
  const std::vector<std::unique_ptr<Node>>& nodes() const noexcept { return nodes_; }

 private:
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<std::shared_ptr<void>> kept_;
  std::vector<SourceBase*> sources_;
  std::vector<std::unique_ptr<SinkBase>> sinks_;
  std::vector<std::string> names_;
};

}  // namespace mib::streams::detail
