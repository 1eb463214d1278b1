#pragma once
/// Inline SVG charts of report.html (internal to eval/; see report_html.h).

#include <string>
#include <vector>

namespace atiende::eval::svg {

/// One series of a chart: a config with its colour.
struct Series {
  std::string name;
  std::string color;
};

/// Grouped vertical bars on a 0–1 scale: `values[g][s]` is group g (a metric, labelled
/// `groups[g]`) for series s; negative values mean "no value" and draw nothing.
std::string grouped_bars(const std::vector<std::string>& groups, const std::vector<Series>& series,
                         const std::vector<std::vector<double>>& values, const std::string& title);

/// A point of the scatter: series index, x, y and a tooltip.
struct Point {
  size_t series = 0;
  double x = 0;
  double y = 0;
  std::string label;
};

/// Scatter of small points (one per question) plus one large labelled marker per series (its
/// summary point). Axis ranges start at 0 and cover every point.
std::string scatter(const std::vector<Series>& series, const std::vector<Point>& points,
                    const std::vector<Point>& summary, const std::string& x_label,
                    const std::string& y_label, const std::string& title);

}  // namespace atiende::eval::svg
