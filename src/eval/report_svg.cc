#include "eval/report_svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "eval/report_html.h"

namespace atiende::eval::svg {
namespace {

std::string num(double value, int decimals = 1) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

/// The smallest 1, 2 or 5 x 10^n at or above `value` (1 for values <= 0).
double nice_ceiling(double value) {
  if (!(value > 0)) return 1;
  const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
  for (double step : {1.0, 2.0, 5.0, 10.0}) {
    if (value <= step * magnitude * (1 + 1e-9)) return step * magnitude;
  }
  return 10 * magnitude;
}

/// Tick label: integers without decimals, small values with enough of them.
std::string tick_label(double value, double max) {
  if (max >= 10) return num(value, 0);
  if (max >= 1) return num(value, 1);
  return num(value, max >= 0.1 ? 2 : 3);
}

std::string legend(const std::vector<Series>& series, double x, double y) {
  std::string out;
  for (size_t s = 0; s < series.size(); ++s) {
    const double lx = x + static_cast<double>(s) * 150;
    out += "<rect x=\"" + num(lx) + "\" y=\"" + num(y - 10) + "\" width=\"12\" height=\"12\" fill=\"" +
           series[s].color + "\"/><text x=\"" + num(lx + 17) + "\" y=\"" + num(y) +
           "\" class=\"legend\">" + html_escape(series[s].name) + "</text>";
  }
  return out;
}

}  // namespace

std::string grouped_bars(const std::vector<std::string>& groups, const std::vector<Series>& series,
                         const std::vector<std::vector<double>>& values, const std::string& title) {
  const double width = 1000, height = 340, left = 48, right = 12, top = 44, bottom = 64;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  std::string out = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + num(width, 0) + " " +
                    num(height, 0) + "\" xmlns=\"http://www.w3.org/2000/svg\"><title>" +
                    html_escape(title) + "</title>";
  out += legend(series, left, 22);
  for (int i = 0; i <= 4; ++i) {
    const double v = i / 4.0, y = top + plot_h * (1 - v);
    out += "<line x1=\"" + num(left) + "\" x2=\"" + num(width - right) + "\" y1=\"" + num(y) +
           "\" y2=\"" + num(y) + "\" class=\"grid\"/><text x=\"" + num(left - 6) + "\" y=\"" +
           num(y + 4) + "\" class=\"tick\" text-anchor=\"end\">" + num(v, 2) + "</text>";
  }
  const double group_w = groups.empty() ? plot_w : plot_w / static_cast<double>(groups.size());
  const double bar_w =
      std::min(36.0, group_w * 0.8 / static_cast<double>(std::max<size_t>(series.size(), 1)));
  for (size_t g = 0; g < groups.size(); ++g) {
    const double gx = left + group_w * static_cast<double>(g);
    const double start = gx + (group_w - bar_w * static_cast<double>(series.size())) / 2;
    for (size_t s = 0; s < series.size() && s < values[g].size(); ++s) {
      const double v = values[g][s];
      if (v < 0) continue;
      const double clamped = std::min(v, 1.0), h = plot_h * clamped;
      const double x = start + bar_w * static_cast<double>(s);
      out += "<rect x=\"" + num(x) + "\" y=\"" + num(top + plot_h - h) + "\" width=\"" +
             num(bar_w - 2) + "\" height=\"" + num(std::max(h, 0.5)) + "\" fill=\"" +
             series[s].color + "\"><title>" + html_escape(series[s].name + " · " + groups[g]) +
             ": " + num(v, 3) + "</title></rect>";
      out += "<text x=\"" + num(x + (bar_w - 2) / 2) + "\" y=\"" + num(top + plot_h - h - 3) +
             "\" class=\"value\" text-anchor=\"middle\">" + num(v, 2) + "</text>";
    }
    out += "<text x=\"" + num(gx + group_w / 2) + "\" y=\"" + num(top + plot_h + 18) +
           "\" class=\"axis\" text-anchor=\"middle\">" + html_escape(groups[g]) + "</text>";
  }
  out += "<line x1=\"" + num(left) + "\" x2=\"" + num(width - right) + "\" y1=\"" +
         num(top + plot_h) + "\" y2=\"" + num(top + plot_h) + "\" class=\"axisline\"/></svg>";
  return out;
}

std::string scatter(const std::vector<Series>& series, const std::vector<Point>& points,
                    const std::vector<Point>& summary, const std::string& x_label,
                    const std::string& y_label, const std::string& title) {
  const double width = 1000, height = 380, left = 56, right = 24, top = 44, bottom = 52;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  double max_x = 0, max_y = 0;
  for (const auto* list : {&points, &summary}) {
    for (const auto& p : *list) {
      max_x = std::max(max_x, p.x);
      max_y = std::max(max_y, p.y);
    }
  }
  max_x = nice_ceiling(max_x * 1.05);
  max_y = nice_ceiling(max_y * 1.05);
  auto px = [&](double x) { return left + plot_w * std::clamp(x / max_x, 0.0, 1.0); };
  auto py = [&](double y) { return top + plot_h * (1 - std::clamp(y / max_y, 0.0, 1.0)); };
  std::string out = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + num(width, 0) + " " +
                    num(height, 0) + "\" xmlns=\"http://www.w3.org/2000/svg\"><title>" +
                    html_escape(title) + "</title>";
  out += legend(series, left, 22);
  for (int i = 0; i <= 5; ++i) {
    const double fx = max_x * i / 5.0, fy = max_y * i / 5.0;
    out += "<line x1=\"" + num(left) + "\" x2=\"" + num(width - right) + "\" y1=\"" + num(py(fy)) +
           "\" y2=\"" + num(py(fy)) + "\" class=\"grid\"/><text x=\"" + num(left - 6) + "\" y=\"" +
           num(py(fy) + 4) + "\" class=\"tick\" text-anchor=\"end\">" + tick_label(fy, max_y) +
           "</text>";
    out += "<text x=\"" + num(px(fx)) + "\" y=\"" + num(top + plot_h + 16) +
           "\" class=\"tick\" text-anchor=\"middle\">" + tick_label(fx, max_x) + "</text>";
  }
  out += "<line x1=\"" + num(left) + "\" x2=\"" + num(left) + "\" y1=\"" + num(top) + "\" y2=\"" +
         num(top + plot_h) + "\" class=\"axisline\"/><line x1=\"" + num(left) + "\" x2=\"" +
         num(width - right) + "\" y1=\"" + num(top + plot_h) + "\" y2=\"" + num(top + plot_h) +
         "\" class=\"axisline\"/>";
  out += "<text x=\"" + num(left + plot_w / 2) + "\" y=\"" + num(height - 10) +
         "\" class=\"axis\" text-anchor=\"middle\">" + html_escape(x_label) + "</text>";
  out += "<text transform=\"translate(14 " + num(top + plot_h / 2) +
         ") rotate(-90)\" class=\"axis\" text-anchor=\"middle\">" + html_escape(y_label) + "</text>";
  for (const auto& p : points) {
    const std::string& color = series[p.series % series.size()].color;
    out += "<circle cx=\"" + num(px(p.x)) + "\" cy=\"" + num(py(p.y)) + "\" r=\"3.5\" fill=\"" +
           color + "\" fill-opacity=\"0.35\"><title>" + html_escape(p.label) + "</title></circle>";
  }
  for (const auto& p : summary) {
    const std::string& color = series[p.series % series.size()].color;
    out += "<circle cx=\"" + num(px(p.x)) + "\" cy=\"" + num(py(p.y)) + "\" r=\"9\" fill=\"" + color +
           "\" stroke=\"#111\" stroke-width=\"1.5\"><title>" + html_escape(p.label) +
           "</title></circle><text x=\"" + num(px(p.x) + 13) + "\" y=\"" + num(py(p.y) + 4) +
           "\" class=\"label\">" + html_escape(series[p.series % series.size()].name) + "</text>";
  }
  return out + "</svg>";
}

}  // namespace atiende::eval::svg
