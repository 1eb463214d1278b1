#include "privacy/analyzer.h"

#include <algorithm>
#include <set>

#include "common/json.h"
#include "privacy/gazetteer.h"
#include "privacy/text_util.h"
#include "text/utf8.h"

namespace atiende::privacy {

Status validate_utf8(std::string_view text) { return text::validate_utf8(text); }

Result<AnalyzerOptions> analyzer_options_from_config(const Config& config) {
  AnalyzerOptions o;
  ATIENDE_ASSIGN_OR_RETURN(o.threshold, config.get_double("privacy.threshold", o.threshold));
  if (o.threshold < 0.0 || o.threshold > 1.0) {
    return Status::invalid_argument("config key 'privacy.threshold' must be within [0, 1]");
  }
  ATIENDE_ASSIGN_OR_RETURN(o.phone_regions,
                           config.get_string_list("privacy.phone_regions", o.phone_regions));
  ATIENDE_ASSIGN_OR_RETURN(o.allow_domains,
                           config.get_string_list("privacy.allow_domains", o.allow_domains));
  ATIENDE_ASSIGN_OR_RETURN(o.gazetteer_dir, config.get_string("privacy.gazetteer_dir", ""));
  ATIENDE_ASSIGN_OR_RETURN(o.entities, config.get_string_list("privacy.entities", {}));
  if (config.has("privacy.custom")) {
    ATIENDE_ASSIGN_OR_RETURN(std::string text, config.get_json("privacy.custom"));
    ATIENDE_ASSIGN_OR_RETURN(Json array, parse_json(text));
    if (!array.is_array()) {
      return Status::invalid_argument("config key 'privacy.custom' must be an array of tables");
    }
    o.custom.clear();
    for (size_t i = 0; i < array.size(); ++i) {
      const Json& item = array[i];
      const std::string where = "config key 'privacy.custom[" + std::to_string(i) + "]'";
      if (!item.is_object()) return Status::invalid_argument(where + " must be a table");
      CustomRecognizerSpec spec;
      auto type = json_string_field(item, "type");
      auto pattern = json_string_field(item, "pattern");
      if (!type.ok()) return type.status().with_context(where);
      if (!pattern.ok()) return pattern.status().with_context(where);
      spec.type = *type;
      spec.pattern = *pattern;
      if (auto it = item.find("context"); it != item.end()) {
        if (!it->is_array()) return Status::invalid_argument(where + ".context must be a list");
        for (const auto& w : *it) {
          if (!w.is_string()) return Status::invalid_argument(where + ".context must be strings");
          spec.context.push_back(w.get<std::string>());
        }
      }
      if (auto it = item.find("score"); it != item.end() && it->is_number()) {
        spec.score = it->get<double>();
      }
      if (auto it = item.find("score_without_context"); it != item.end() && it->is_number()) {
        spec.score_without_context = it->get<double>();
      }
      o.custom.push_back(std::move(spec));
    }
  }
  return o;
}

std::vector<PiiSpan> resolve_overlaps(std::vector<PiiSpan> spans) {
  std::sort(spans.begin(), spans.end(), [](const PiiSpan& a, const PiiSpan& b) {
    if (a.score != b.score) return a.score > b.score;
    const size_t la = a.end_byte - a.start_byte;
    const size_t lb = b.end_byte - b.start_byte;
    if (la != lb) return la > lb;
    if (a.start_byte != b.start_byte) return a.start_byte < b.start_byte;
    return a.type < b.type;
  });
  std::vector<PiiSpan> kept;
  std::set<std::pair<size_t, size_t>> taken;  // (start, end) of kept spans
  for (auto& s : spans) {
    if (s.end_byte <= s.start_byte) continue;
    // Any kept span with start < s.end and end > s.start overlaps.
    auto it = taken.lower_bound({s.end_byte, 0});
    bool overlaps = false;
    if (it != taken.begin()) {
      auto prev = std::prev(it);
      // Kept spans do not overlap one another, so only the nearest one starting before s.end
      // can reach into s.
      if (prev->second > s.start_byte) overlaps = true;
    }
    if (overlaps) continue;
    taken.insert({s.start_byte, s.end_byte});
    kept.push_back(std::move(s));
  }
  std::sort(kept.begin(), kept.end(),
            [](const PiiSpan& a, const PiiSpan& b) { return a.start_byte < b.start_byte; });
  return kept;
}

Analyzer::~Analyzer() = default;

Result<std::unique_ptr<Analyzer>> Analyzer::create(const AnalyzerOptions& options) {
  std::unique_ptr<Analyzer> a(new Analyzer());
  a->options_ = options;
  const Gazetteer* gazetteer = &Gazetteer::builtin();
  if (!options.gazetteer_dir.empty()) {
    ATIENDE_ASSIGN_OR_RETURN(Gazetteer loaded, Gazetteer::load_dir(options.gazetteer_dir));
    a->owned_gazetteer_ = std::make_unique<Gazetteer>(std::move(loaded));
    gazetteer = a->owned_gazetteer_.get();
  }
  std::set<std::string> wanted(options.entities.begin(), options.entities.end());
  auto& r = a->recognizers_;
  r.push_back(make_email_recognizer());
  r.push_back(make_url_recognizer(options.allow_domains));
  r.push_back(make_network_recognizer());
  r.push_back(make_financial_recognizer());
  r.push_back(make_es_id_recognizer());
  r.push_back(make_co_id_recognizer());
  r.push_back(make_device_recognizer());
  r.push_back(make_date_of_birth_recognizer());
  r.push_back(make_address_recognizer());
  r.push_back(make_phone_recognizer(options.phone_regions));
  r.push_back(make_person_recognizer(*gazetteer));
  for (const auto& spec : options.custom) {
    ATIENDE_ASSIGN_OR_RETURN(auto custom, make_custom_recognizer(spec));
    r.push_back(std::move(custom));
  }
  for (const auto& e : options.entities) {
    const auto& builtin = builtin_entity_types();
    const bool known = std::find(builtin.begin(), builtin.end(), e) != builtin.end() ||
                       std::any_of(options.custom.begin(), options.custom.end(),
                                   [&](const CustomRecognizerSpec& s) { return s.type == e; });
    if (!known) {
      return Status::invalid_argument("config key 'privacy.entities': unknown entity type '" + e +
                                      "'");
    }
  }
  return a;
}

std::vector<PiiSpan> Analyzer::candidates(std::string_view text, std::string_view lang) const {
  std::vector<PiiSpan> spans;
  bool has_digit = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      has_digit = true;
      break;
    }
  }
  const bool has_at = text.find('@') != std::string_view::npos;
  for (const auto& recognizer : recognizers_) {
    const Recognizer::Needs needs = recognizer->needs();
    if ((needs == Recognizer::Needs::kDigit && !has_digit) ||
        (needs == Recognizer::Needs::kAt && !has_at)) {
      continue;
    }
    recognizer->detect(text, lang, spans);
  }
  if (!options_.entities.empty()) {
    std::erase_if(spans, [&](const PiiSpan& s) {
      return std::find(options_.entities.begin(), options_.entities.end(), s.type) ==
             options_.entities.end();
    });
  }
  std::vector<size_t> offsets;
  offsets.reserve(spans.size() * 2);
  for (const auto& s : spans) {
    offsets.push_back(s.start_byte);
    offsets.push_back(s.end_byte);
  }
  const std::vector<size_t> cps = internal::code_points_at(text, offsets);
  for (size_t i = 0; i < spans.size(); ++i) {
    spans[i].start = cps[2 * i];
    spans[i].end = cps[2 * i + 1];
  }
  return spans;
}

Result<std::vector<PiiSpan>> Analyzer::analyze(std::string_view text,
                                               std::string_view lang) const {
  ATIENDE_RETURN_IF_ERROR(validate_utf8(text));
  std::vector<PiiSpan> spans = candidates(text, lang);
  std::erase_if(spans, [&](const PiiSpan& s) { return s.score < options_.threshold; });
  return resolve_overlaps(std::move(spans));
}

}  // namespace atiende::privacy
