// mib::metrics::Registry: the process's metrics, in Prometheus' model. The library's
// handles add themselves as collectors that read their own counters when scraped (no
// second bookkeeping on the hot path); an application adds counters, gauges and
// histograms of its own, or a collector of its own, to the same registry. Every family
// name gets the namespace (global.prometheus_namespace, default "market_intel") in front.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mib/metrics/latency_histogram.hpp"
#include "mib/metrics/size_histogram.hpp"

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
}  // namespace prometheus

namespace mib::metrics {

struct Label {
  std::string name;
  std::string value;
  friend bool operator==(const Label&, const Label&) = default;
};
using Labels = std::vector<Label>;

enum class Type { counter, gauge, histogram };

struct Bucket {
  double upper_bound = 0;  // Prometheus' `le`; the last is +Inf
  std::uint64_t cumulative_count = 0;
};

// One labelled series of a family. Counters and gauges use `value`; histograms the rest.
struct Series {
  Labels labels;
  double value = 0;
  std::uint64_t count = 0;
  double sum = 0;
  std::vector<Bucket> buckets;
};

struct Family {
  std::string name;  // with the namespace
  std::string help;
  Type type = Type::gauge;
  std::vector<Series> series;
};

// What a scrape saw: families sorted by name, one family per name.
class Snapshot {
 public:
  Snapshot() = default;
  explicit Snapshot(std::vector<Family> families) : families_(std::move(families)) {}

  const std::vector<Family>& families() const noexcept { return families_; }
  const Family* find(std::string_view name) const;
  // The sum over the series whose labels include every label of `match`; a histogram
  // answers to name_count and name_sum. Empty when no series matches.
  std::optional<double> value(std::string_view name, const Labels& match = {}) const;
  // The Prometheus text exposition format (version 0.0.4).
  std::string text() const;

 private:
  std::vector<Family> families_;
};

// What a collector fills during a scrape. Names are without the namespace; a family with
// an invalid name or label name is dropped with a log line, not exported.
class Collection {
 public:
  void counter(std::string_view name, std::string_view help, Labels labels, double value);
  void gauge(std::string_view name, std::string_view help, Labels labels, double value);
  // Buckets in seconds from LatencyHistogram's microsecond bounds.
  void histogram(std::string_view name, std::string_view help, Labels labels,
                 const LatencyHistogram::Snapshot& latencies);
  // Buckets in bytes from SizeHistogram.
  void histogram(std::string_view name, std::string_view help, Labels labels,
                 const SizeHistogram::Snapshot& sizes);
  // `counts` per bucket (not cumulative), one more than `upper_bounds`: the last is above
  // the last bound.
  void histogram(std::string_view name, std::string_view help, Labels labels,
                 std::span<const double> upper_bounds, std::span<const std::uint64_t> counts,
                 double sum);

  std::vector<Family> take() && { return std::move(families_); }

 private:
  Series& add(std::string_view name, std::string_view help, Type type, Labels labels);
  std::vector<Family> families_;
};

using CollectFunction = std::function<void(Collection&)>;

// Keeps a collector registered; destroying it (or reset()) removes the collector and
// waits for a scrape that is running it to finish.
class Registration {
 public:
  Registration() = default;
  Registration(Registration&& other) noexcept;
  Registration& operator=(Registration&& other) noexcept;
  ~Registration() { reset(); }
  void reset() noexcept;

 private:
  friend class Registry;
  struct State;
  Registration(std::shared_ptr<State> state, std::uint64_t id)
      : state_(std::move(state)), id_(id) {}
  std::shared_ptr<State> state_;
  std::uint64_t id_ = 0;
};

// Handles to an application's own metrics; they stay valid as long as the registry.
class Counter {
 public:
  void increment(double by = 1) noexcept;
  double value() const noexcept;

 private:
  friend class Registry;
  explicit Counter(prometheus::Counter& counter) : counter_(&counter) {}
  prometheus::Counter* counter_;
};

class Gauge {
 public:
  void set(double value) noexcept;
  void increment(double by = 1) noexcept;
  void decrement(double by = 1) noexcept;
  double value() const noexcept;

 private:
  friend class Registry;
  explicit Gauge(prometheus::Gauge& gauge) : gauge_(&gauge) {}
  prometheus::Gauge* gauge_;
};

class Histogram {
 public:
  void observe(double value) noexcept;

 private:
  friend class Registry;
  explicit Histogram(prometheus::Histogram& histogram) : histogram_(&histogram) {}
  prometheus::Histogram* histogram_;
};

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Empty: names as given. Throws mib::Exception (invalid_argument) naming a namespace
  // that would not make valid metric names.
  void set_namespace(std::string name_space);
  std::string name_space() const;

  // The same name and labels give the same metric. Throws mib::Exception naming an
  // invalid metric or label name, or histogram bounds that do not increase.
  Counter counter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge gauge(std::string_view name, std::string_view help, const Labels& labels = {});
  Histogram histogram(std::string_view name, std::string_view help,
                      std::vector<double> upper_bounds, const Labels& labels = {});

  [[nodiscard]] Registration add(CollectFunction collect);

  // Runs every collector. One that throws, or that gives a family another type than an
  // earlier one of the same name, is logged and left out; the scrape goes on.
  Snapshot snapshot() const;
  std::string text() const { return snapshot().text(); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The process's registry, which the library's producers, consumers, processors and admin
// handles join while they live. Never destroyed: handles may outlive static destructors.
Registry& registry();

}  // namespace mib::metrics
