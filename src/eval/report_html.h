#pragma once
/// report.html of `atiende eval run`: one self-contained page (inline CSS and SVG, no script, no
/// external resource) rendered from report.json: a summary table per config, per-config metric
/// bars, a latency-against-quality scatter, the gate outcome and a per-question drill-down
/// (reference, each config's answer with its sources and metrics) in <details> blocks.

#include <string>
#include <string_view>

#include "common/status.h"

namespace atiende::eval {

/// Renders the page from report.json text (run_report_json). invalid_argument when the JSON is
/// not a report (missing "configs" or "questions").
Result<std::string> render_report_html(std::string_view report_json);

/// `text` with &, <, >, " and ' escaped for HTML text and attribute values.
std::string html_escape(std::string_view text);

}  // namespace atiende::eval
