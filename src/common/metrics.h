#pragma once
/// Process metrics: counters, gauges and histograms with labels, rendered in the Prometheus text
/// exposition format by `GET /metrics` (http/ serves `default_metrics()`).
///
/// Usage (any module): look a series up once and keep the reference; updates are lock-free.
///   static auto& turns = atiende::default_metrics().counter(
///       "atiende_chat_turns_total", "Chat turns answered", {{"provider", "builtin"}});
///   turns.inc();
/// Names follow Prometheus conventions: `atiende_<module>_<what>_<unit>`, counters end in
/// `_total`. Label values are escaped on output; keep label cardinality bounded (never put ids,
/// paths with ids, or customer text in labels).

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace atiende {

/// Label pairs of one series, e.g. {{"route", "/v1/search"}, {"status", "200"}}.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

/// A monotonically increasing value. Thread-safe, lock-free.
class Counter {
 public:
  /// Adds `delta` (must be >= 0; negative deltas are ignored).
  void inc(double delta = 1.0);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

/// A value that goes up and down. Thread-safe, lock-free.
class Gauge {
 public:
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  void add(double delta);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

/// Cumulative histogram with fixed upper bounds (a final +Inf bucket is implicit).
/// Thread-safe, lock-free.
class Histogram {
 public:
  /// `bounds` ascending upper bounds (e.g. seconds).
  explicit Histogram(std::vector<double> bounds);
  void observe(double value);
  const std::vector<double>& bounds() const { return bounds_; }
  /// Observations <= bounds()[i] (cumulative); index bounds().size() is the total count.
  uint64_t cumulative_count(size_t index) const;
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // per bucket (not cumulative), +Inf last
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0.0};
};

/// Default latency buckets in seconds: 0.5 ms .. 10 s.
std::vector<double> default_latency_buckets_seconds();

/// A set of named metric families. Get-or-create calls are thread-safe (mutex); returned
/// references stay valid for the registry's lifetime. Asking for an existing name with another
/// type returns a detached dummy series (never crashes) and logs nothing: treat it as a bug.
class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  Counter& counter(std::string_view name, std::string_view help, const MetricLabels& labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, const MetricLabels& labels = {});
  /// `bounds` is used when the family is created; later calls reuse the family's bounds.
  Histogram& histogram(std::string_view name, std::string_view help, std::vector<double> bounds,
                       const MetricLabels& labels = {});
  /// A gauge whose value is read by calling `read` at render time (e.g. index size). `read` must
  /// be thread-safe and cheap. Registering the same name+labels again replaces the function.
  void gauge_function(std::string_view name, std::string_view help, const MetricLabels& labels,
                      std::function<double()> read);

  /// Prometheus text format 0.0.4, families sorted by name.
  std::string render_prometheus() const;

 private:
  struct Family;
  Family* family(std::string_view name, std::string_view help, int type);
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;
  Counter dummy_counter_;
  Gauge dummy_gauge_;
  Histogram dummy_histogram_{{}};
};

/// The process-wide registry that `GET /metrics` serves.
MetricsRegistry& default_metrics();

}  // namespace atiende
