#include "common/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace atiende {
namespace {

enum FamilyType { kCounterType = 0, kGaugeType = 1, kHistogramType = 2 };

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string escape_help(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.0f", value);
    return buffer;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.9g", value);
  return buffer;
}

/// `{a="1",b="2"}` plus an optional extra label (for histogram `le`); empty when no labels.
std::string render_labels(const MetricLabels& labels, std::string_view extra_key = {},
                          std::string_view extra_value = {}) {
  if (labels.empty() && extra_key.empty()) return "";
  std::string out = "{";
  bool first = true;
  for (const auto& [key, value] : labels) {
    if (!first) out += ',';
    first = false;
    out += key + "=\"" + escape_label_value(value) + "\"";
  }
  if (!extra_key.empty()) {
    if (!first) out += ',';
    out += std::string(extra_key) + "=\"" + std::string(extra_value) + "\"";
  }
  out += '}';
  return out;
}

}  // namespace

void Counter::inc(double delta) {
  if (delta <= 0 || std::isnan(delta)) return;
  value_.fetch_add(delta, std::memory_order_relaxed);
}

void Gauge::add(double delta) { value_.fetch_add(delta, std::memory_order_relaxed); }

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  buckets_ = std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1);
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::observe(double value) {
  const size_t index =
      static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  buckets_[index].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

uint64_t Histogram::cumulative_count(size_t index) const {
  uint64_t total = 0;
  for (size_t i = 0; i <= std::min(index, bounds_.size()); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
  }
  return total;
}

std::vector<double> default_latency_buckets_seconds() {
  return {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

struct MetricsRegistry::Family {
  std::string help;
  int type = kCounterType;
  std::vector<double> bounds;
  std::map<MetricLabels, std::unique_ptr<Counter>> counters;
  std::map<MetricLabels, std::unique_ptr<Gauge>> gauges;
  std::map<MetricLabels, std::function<double()>> gauge_functions;
  std::map<MetricLabels, std::unique_ptr<Histogram>> histograms;
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Family* MetricsRegistry::family(std::string_view name, std::string_view help,
                                                 int type) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    auto created = std::make_unique<Family>();
    created->help = std::string(help);
    created->type = type;
    it = families_.emplace(std::string(name), std::move(created)).first;
  }
  if (it->second->type != type) return nullptr;
  return it->second.get();
}

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help,
                                  const MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  Family* f = family(name, help, kCounterType);
  if (!f) return dummy_counter_;
  auto& slot = f->counters[labels];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help,
                              const MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  Family* f = family(name, help, kGaugeType);
  if (!f) return dummy_gauge_;
  auto& slot = f->gauges[labels];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                      std::vector<double> bounds, const MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  Family* f = family(name, help, kHistogramType);
  if (!f) return dummy_histogram_;
  if (f->histograms.empty() && f->bounds.empty()) f->bounds = std::move(bounds);
  auto& slot = f->histograms[labels];
  if (!slot) slot = std::make_unique<Histogram>(f->bounds);
  return *slot;
}

void MetricsRegistry::gauge_function(std::string_view name, std::string_view help,
                                     const MetricLabels& labels, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  Family* f = family(name, help, kGaugeType);
  if (!f) return;
  f->gauge_functions[labels] = std::move(read);
}

std::string MetricsRegistry::render_prometheus() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, f] : families_) {
    static constexpr const char* kTypeNames[] = {"counter", "gauge", "histogram"};
    out += "# HELP " + name + " " + escape_help(f->help) + "\n";
    out += "# TYPE " + name + " " + kTypeNames[f->type] + "\n";
    for (const auto& [labels, c] : f->counters) {
      out += name + render_labels(labels) + " " + format_number(c->value()) + "\n";
    }
    for (const auto& [labels, g] : f->gauges) {
      out += name + render_labels(labels) + " " + format_number(g->value()) + "\n";
    }
    for (const auto& [labels, read] : f->gauge_functions) {
      out += name + render_labels(labels) + " " + format_number(read()) + "\n";
    }
    for (const auto& [labels, h] : f->histograms) {
      const auto& bounds = h->bounds();
      for (size_t i = 0; i < bounds.size(); ++i) {
        out += name + "_bucket" + render_labels(labels, "le", format_number(bounds[i])) + " " +
               std::to_string(h->cumulative_count(i)) + "\n";
      }
      out += name + "_bucket" + render_labels(labels, "le", "+Inf") + " " +
             std::to_string(h->cumulative_count(bounds.size())) + "\n";
      out += name + "_sum" + render_labels(labels) + " " + format_number(h->sum()) + "\n";
      out += name + "_count" + render_labels(labels) + " " + std::to_string(h->count()) + "\n";
    }
  }
  return out;
}

MetricsRegistry& default_metrics() {
  static MetricsRegistry* registry = new MetricsRegistry();  // never destroyed: safe at exit
  return *registry;
}

}  // namespace atiende
