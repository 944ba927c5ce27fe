#include "mib/metrics/registry.hpp"

#include <prometheus/check_names.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <sstream>
#include <stdexcept>

#include "mib/error.hpp"
#include "mib/log.hpp"
#include "mib/version.hpp"

namespace mib::metrics {
namespace {

void warn(const std::string& message) {
  log::write({.level = log::Level::warning, .source = "mib.metrics", .message = message});
}

bool valid_labels(const Labels& labels) {
  return std::all_of(labels.begin(), labels.end(),
                     [](const Label& l) { return prometheus::CheckLabelName(l.name); });
}

prometheus::Labels to_prometheus(const Labels& labels) {
  prometheus::Labels out;
  for (const Label& l : labels) out[l.name] = l.value;
  return out;
}

Labels from_prometheus(const std::vector<prometheus::ClientMetric::Label>& labels) {
  Labels out;
  for (const auto& l : labels) out.push_back({l.name, l.value});
  return out;
}

Type from_prometheus(prometheus::MetricType type) {
  switch (type) {
    case prometheus::MetricType::Counter: return Type::counter;
    case prometheus::MetricType::Histogram: return Type::histogram;
    default: return Type::gauge;
  }
}

prometheus::MetricType to_prometheus(Type type) {
  switch (type) {
    case Type::counter: return prometheus::MetricType::Counter;
    case Type::histogram: return prometheus::MetricType::Histogram;
    case Type::gauge: return prometheus::MetricType::Gauge;
  }
  return prometheus::MetricType::Untyped;
}

// An application metric registered through prometheus-cpp, in our model.
Family from_prometheus(const prometheus::MetricFamily& in) {
  Family out{.name = in.name, .help = in.help, .type = from_prometheus(in.type), .series = {}};
  for (const prometheus::ClientMetric& m : in.metric) {
    Series s{.labels = from_prometheus(m.label), .value = 0, .count = 0, .sum = 0, .buckets = {}};
    if (in.type == prometheus::MetricType::Counter) s.value = m.counter.value;
    if (in.type == prometheus::MetricType::Gauge) s.value = m.gauge.value;
    if (in.type == prometheus::MetricType::Histogram) {
      s.count = m.histogram.sample_count;
      s.sum = m.histogram.sample_sum;
      for (const auto& b : m.histogram.bucket)
        s.buckets.push_back({b.upper_bound, b.cumulative_count});
    }
    out.series.push_back(std::move(s));
  }
  return out;
}

bool has_labels(const Series& series, const Labels& match) {
  return std::all_of(match.begin(), match.end(), [&](const Label& wanted) {
    return std::find(series.labels.begin(), series.labels.end(), wanted) != series.labels.end();
  });
}

}  // namespace

// --- Snapshot ---------------------------------------------------------------------------

const Family* Snapshot::find(std::string_view name) const {
  const auto it = std::lower_bound(families_.begin(), families_.end(), name,
                                   [](const Family& f, std::string_view n) { return f.name < n; });
  return it != families_.end() && it->name == name ? &*it : nullptr;
}

std::optional<double> Snapshot::value(std::string_view name, const Labels& match) const {
  enum class Part { value, count, sum } part = Part::value;
  const Family* family = find(name);
  if (family == nullptr) {
    for (auto [suffix, p] : {std::pair{std::string_view{"_count"}, Part::count},
                             std::pair{std::string_view{"_sum"}, Part::sum}}) {
      if (!name.ends_with(suffix)) continue;
      family = find(name.substr(0, name.size() - suffix.size()));
      if (family != nullptr && family->type == Type::histogram) {
        part = p;
        break;
      }
      family = nullptr;
    }
  }
  if (family == nullptr) return std::nullopt;
  if (family->type == Type::histogram && part == Part::value) return std::nullopt;  // _count, _sum
  std::optional<double> total;
  for (const Series& s : family->series) {
    if (!has_labels(s, match)) continue;
    const double v = part == Part::count ? static_cast<double>(s.count)
                     : part == Part::sum ? s.sum
                                         : s.value;
    total = total.value_or(0) + v;
  }
  return total;
}

std::string Snapshot::text() const {
  std::vector<prometheus::MetricFamily> out;
  out.reserve(families_.size());
  for (const Family& f : families_) {
    prometheus::MetricFamily p{f.name, f.help, to_prometheus(f.type), {}};
    for (const Series& s : f.series) {
      prometheus::ClientMetric m;
      for (const Label& l : s.labels) m.label.push_back({l.name, l.value});
      m.counter.value = s.value;
      m.gauge.value = s.value;
      m.histogram.sample_count = s.count;
      m.histogram.sample_sum = s.sum;
      for (const Bucket& b : s.buckets)
        m.histogram.bucket.push_back({b.cumulative_count, b.upper_bound});
      p.metric.push_back(std::move(m));
    }
    out.push_back(std::move(p));
  }
  std::ostringstream text;
  prometheus::TextSerializer{}.Serialize(text, out);
  return std::move(text).str();
}

// --- Collection -------------------------------------------------------------------------

Series& Collection::add(std::string_view name, std::string_view help, Type type, Labels labels) {
  auto it = std::find_if(families_.begin(), families_.end(),
                         [&](const Family& f) { return f.name == name && f.type == type; });
  if (it == families_.end()) {
    families_.push_back(
        {.name = std::string{name}, .help = std::string{help}, .type = type, .series = {}});
    it = std::prev(families_.end());
  }
  it->series.push_back(
      {.labels = std::move(labels), .value = 0, .count = 0, .sum = 0, .buckets = {}});
  return it->series.back();
}

void Collection::counter(std::string_view name, std::string_view help, Labels labels,
                         double value) {
  add(name, help, Type::counter, std::move(labels)).value = value;
}

void Collection::gauge(std::string_view name, std::string_view help, Labels labels, double value) {
  add(name, help, Type::gauge, std::move(labels)).value = value;
}

void Collection::histogram(std::string_view name, std::string_view help, Labels labels,
                           std::span<const double> upper_bounds,
                           std::span<const std::uint64_t> counts, double sum) {
  Series& s = add(name, help, Type::histogram, std::move(labels));
  s.sum = sum;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    s.count += counts[i];
    const double bound =
        i < upper_bounds.size() ? upper_bounds[i] : std::numeric_limits<double>::infinity();
    s.buckets.push_back({bound, s.count});
  }
}

namespace {
// A histogram's integer bucket bounds in Prometheus' unit (seconds, bytes).
template <std::size_t N>
std::array<double, N> scaled(const std::array<std::int64_t, N>& bounds, double unit) {
  std::array<double, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = static_cast<double>(bounds[i]) * unit;
  return out;
}
}  // namespace

void Collection::histogram(std::string_view name, std::string_view help, Labels labels,
                           const SizeHistogram::Snapshot& sizes) {
  static const auto bytes = scaled(SizeHistogram::bucket_bounds_bytes, 1);
  histogram(name, help, std::move(labels), bytes, sizes.counts, sizes.sum_bytes);
}

void Collection::histogram(std::string_view name, std::string_view help, Labels labels,
                           const LatencyHistogram::Snapshot& latencies) {
  static const auto seconds = scaled(LatencyHistogram::bucket_bounds_us, 1e-6);
  histogram(name, help, std::move(labels), seconds, latencies.counts, latencies.sum_seconds);
}

// --- Registration -----------------------------------------------------------------------

struct Registration::State {
  mutable std::shared_mutex mutex;  // scrapes share it; removing a collector excludes them
  std::map<std::uint64_t, CollectFunction> collectors;
  std::uint64_t next_id = 1;
};

Registration::Registration(Registration&& other) noexcept
    : state_(std::move(other.state_)), id_(other.id_) {}

Registration& Registration::operator=(Registration&& other) noexcept {
  if (this != &other) {
    reset();
    state_ = std::move(other.state_);
    id_ = other.id_;
  }
  return *this;
}

void Registration::reset() noexcept {
  if (!state_) return;
  {
    const std::unique_lock lock{state_->mutex};
    state_->collectors.erase(id_);
  }
  state_.reset();
}

// --- Counter, Gauge, Histogram ----------------------------------------------------------

void Counter::increment(double by) noexcept {
  counter_->Increment(by);
}
double Counter::value() const noexcept {
  return counter_->Value();
}
void Gauge::set(double value) noexcept {
  gauge_->Set(value);
}
void Gauge::increment(double by) noexcept {
  gauge_->Increment(by);
}
void Gauge::decrement(double by) noexcept {
  gauge_->Decrement(by);
}
double Gauge::value() const noexcept {
  return gauge_->Value();
}
void Histogram::observe(double value) noexcept {
  histogram_->Observe(value);
}

// --- Registry ---------------------------------------------------------------------------

struct Registry::Impl {
  std::shared_ptr<Registration::State> state = std::make_shared<Registration::State>();
  mutable std::mutex name_mutex;
  std::string name_space = "market_intel";
  // The application's own metrics; prometheus-cpp keeps them, thread-safe.
  std::mutex families_mutex;
  prometheus::Registry own;
  std::map<std::string, prometheus::Family<prometheus::Counter>*, std::less<>> counters;
  std::map<std::string, prometheus::Family<prometheus::Gauge>*, std::less<>> gauges;
  std::map<std::string, prometheus::Family<prometheus::Histogram>*, std::less<>> histograms;

  void check(std::string_view name, const Labels& labels) const {
    if (!prometheus::CheckMetricName(std::string{name})) {
      throw Exception{Error{
          errc::invalid_argument,
          "metric name '" + std::string{name} + "' is not valid: use [a-zA-Z_:][a-zA-Z0-9_:]*"}};
    }
    for (const Label& l : labels) {
      if (!prometheus::CheckLabelName(l.name)) {
        throw Exception{Error{errc::invalid_argument, "label name '" + l.name + "' of metric '" +
                                                          std::string{name} + "' is not valid"}};
      }
    }
  }

  template <typename Builder, typename Map>
  auto& family(Map& map, Builder builder, std::string_view name, std::string_view help) {
    auto it = map.find(name);
    if (it == map.end()) {
      try {
        auto& f = builder.Name(std::string{name}).Help(std::string{help}).Register(own);
        it = map.emplace(std::string{name}, &f).first;
      } catch (const std::invalid_argument& e) {  // the name has another type already
        throw Exception{
            Error{errc::invalid_argument, "metric '" + std::string{name} + "': " + e.what()}};
      }
    }
    return *it->second;
  }
};

Registry::Registry() : impl_(std::make_unique<Impl>()) {}
Registry::~Registry() = default;

void Registry::set_namespace(std::string name_space) {
  if (!name_space.empty() && !prometheus::CheckMetricName(name_space + "_x")) {
    throw Exception{Error{errc::invalid_argument,
                          "metrics namespace '" + name_space +
                              "' would not make valid metric names: use [a-zA-Z_:][a-zA-Z0-9_:]*"}};
  }
  const std::lock_guard lock{impl_->name_mutex};
  impl_->name_space = std::move(name_space);
}

std::string Registry::name_space() const {
  const std::lock_guard lock{impl_->name_mutex};
  return impl_->name_space;
}

Counter Registry::counter(std::string_view name, std::string_view help, const Labels& labels) {
  impl_->check(name, labels);
  const std::lock_guard lock{impl_->families_mutex};
  return Counter{impl_->family(impl_->counters, prometheus::BuildCounter(), name, help)
                     .Add(to_prometheus(labels))};
}

Gauge Registry::gauge(std::string_view name, std::string_view help, const Labels& labels) {
  impl_->check(name, labels);
  const std::lock_guard lock{impl_->families_mutex};
  return Gauge{impl_->family(impl_->gauges, prometheus::BuildGauge(), name, help)
                   .Add(to_prometheus(labels))};
}

Histogram Registry::histogram(std::string_view name, std::string_view help,
                              std::vector<double> upper_bounds, const Labels& labels) {
  impl_->check(name, labels);
  if (upper_bounds.empty() || std::adjacent_find(upper_bounds.begin(), upper_bounds.end(),
                                                 std::greater_equal<>{}) != upper_bounds.end()) {
    throw Exception{Error{errc::invalid_argument,
                          "histogram '" + std::string{name} + "' needs increasing bucket bounds"}};
  }
  const std::lock_guard lock{impl_->families_mutex};
  return Histogram{impl_->family(impl_->histograms, prometheus::BuildHistogram(), name, help)
                       .Add(to_prometheus(labels), std::move(upper_bounds))};
}

Registration Registry::add(CollectFunction collect) {
  const std::unique_lock lock{impl_->state->mutex};
  const std::uint64_t id = impl_->state->next_id++;
  impl_->state->collectors.emplace(id, std::move(collect));
  return Registration{impl_->state, id};
}

Snapshot Registry::snapshot() const {
  std::vector<Family> collected;
  {
    const std::shared_lock lock{impl_->state->mutex};
    for (const auto& [id, collect] : impl_->state->collectors) {
      Collection collection;
      try {
        collect(collection);
      } catch (const std::exception& e) {
        warn(std::string{"a metrics collector failed and was left out of this scrape: "} +
             e.what());
        continue;
      } catch (...) {
        warn("a metrics collector threw a non-standard exception; left out of this scrape");
        continue;
      }
      for (Family& f : std::move(collection).take()) collected.push_back(std::move(f));
    }
  }
  for (const prometheus::MetricFamily& f : impl_->own.Collect())
    collected.push_back(from_prometheus(f));

  const std::string prefix = [&] {
    std::string ns = name_space();
    return ns.empty() ? ns : ns + "_";
  }();
  // One family per name, as the text format requires: series of the same name merge.
  std::map<std::string, Family> merged;
  for (Family& f : collected) {
    const bool valid = prometheus::CheckMetricName(prefix + f.name) &&
                       std::all_of(f.series.begin(), f.series.end(),
                                   [](const Series& s) { return valid_labels(s.labels); });
    if (!valid) {
      warn("metric '" + f.name + "' has an invalid name or label name; not exported");
      continue;
    }
    f.name = prefix + f.name;
    auto [it, inserted] = merged.try_emplace(f.name, std::move(f));
    if (inserted) continue;
    if (it->second.type != f.type) {
      warn("metric '" + f.name + "' was given two types; the later one is not exported");
      continue;
    }
    for (Series& s : f.series) it->second.series.push_back(std::move(s));
  }
  std::vector<Family> out;
  out.reserve(merged.size());
  for (auto& [name, family] : merged) out.push_back(std::move(family));
  return Snapshot{std::move(out)};
}

Registry& registry() {
  static Registry* instance = [] {
    auto* r = new Registry;
    r->gauge(
         "build_info", "1, labelled with this library's and librdkafka's versions.",
         {{"version", std::string{version()}}, {"librdkafka", std::string{librdkafka_version()}}})
        .set(1);
    return r;
  }();
  return *instance;
}

}  // namespace mib::metrics
