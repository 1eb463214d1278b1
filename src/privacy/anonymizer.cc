#include "privacy/anonymizer.h"

#include <algorithm>
#include <set>

#include "common/json.h"
#include "common/strings.h"
#include "privacy/text_util.h"

namespace atiende::privacy {
namespace {

Result<std::map<std::string, std::string>> string_table(const Config& config,
                                                        std::string_view key) {
  std::map<std::string, std::string> out;
  if (!config.has(key)) return out;
  ATIENDE_ASSIGN_OR_RETURN(std::string text, config.get_json(key));
  ATIENDE_ASSIGN_OR_RETURN(Json table, parse_json(text));
  if (!table.is_object()) {
    return Status::invalid_argument("config key '" + std::string(key) + "' must be a table");
  }
  for (auto it = table.begin(); it != table.end(); ++it) {
    if (!it.value().is_string()) {
      return Status::invalid_argument("config key '" + std::string(key) + "." + it.key() +
                                      "' must be a string");
    }
    out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

/// One string of a record to anonymize.
struct Slot {
  std::string field;        // "text", "turns[1].text", "metadata.phone"
  std::string text;         // current value
  std::string declared;     // declared entity type, or empty for free text
};

/// A declared field's value to look for in the free text of the same record.
struct Literal {
  std::string value;
  std::string type;
  std::string normalized;
  double score = 1.0;  ///< declared fields 1.0; names propagated from other fields lower
};

std::string strip_indices(const std::string& path) {
  std::string out;
  bool in_index = false;
  for (char c : path) {
    if (c == '[') in_index = true;
    else if (c == ']') in_index = false;
    else if (!in_index) out.push_back(c);
  }
  // "turns.text" from "turns[2].text" (the '.' after ']' stays).
  return out;
}

void find_literals(std::string_view text, const std::vector<Literal>& literals,
                   std::vector<PiiSpan>& spans) {
  for (const auto& lit : literals) {
    if (lit.value.size() < 3) continue;
    for (size_t pos = text.find(lit.value); pos != std::string_view::npos;
         pos = text.find(lit.value, pos + 1)) {
      const size_t end = pos + lit.value.size();
      auto word = [](unsigned char c) { return std::isalnum(c) || c >= 0x80; };
      if ((pos > 0 && word(static_cast<unsigned char>(text[pos - 1]))) ||
          (end < text.size() && word(static_cast<unsigned char>(text[end])))) {
        continue;
      }
      PiiSpan s;
      s.start_byte = pos;
      s.end_byte = end;
      s.type = lit.type;
      s.score = lit.score;
      s.recognizer = lit.score >= 1.0 ? "field" : "person:propagated";
      s.normalized = lit.normalized;
      spans.push_back(std::move(s));
    }
  }
}

void fill_code_points(std::string_view text, std::vector<PiiSpan>& spans) {
  std::vector<size_t> offsets;
  for (const auto& s : spans) {
    offsets.push_back(s.start_byte);
    offsets.push_back(s.end_byte);
  }
  const auto cps = internal::code_points_at(text, offsets);
  for (size_t i = 0; i < spans.size(); ++i) {
    spans[i].start = cps[2 * i];
    spans[i].end = cps[2 * i + 1];
  }
}

}  // namespace

Result<AnonymizerOptions> anonymizer_options_from_config(const Config& config) {
  AnonymizerOptions o;
  ATIENDE_ASSIGN_OR_RETURN(o.analyzer, analyzer_options_from_config(config));
  ATIENDE_ASSIGN_OR_RETURN(o.lang, config.get_string("privacy.lang", o.lang));
  ATIENDE_ASSIGN_OR_RETURN(std::string def, config.get_string("privacy.default_operator", "replace"));
  auto def_op = parse_operator(def);
  if (!def_op.ok()) return def_op.status().with_context("config key 'privacy.default_operator'");
  o.default_operator = *def_op;
  ATIENDE_ASSIGN_OR_RETURN(auto ops, string_table(config, "privacy.operators"));
  for (const auto& [type, text] : ops) {
    auto op = parse_operator(text);
    if (!op.ok()) return op.status().with_context("config key 'privacy.operators." + type + "'");
    o.operators[type] = *op;
  }
  ATIENDE_ASSIGN_OR_RETURN(o.pii_fields, string_table(config, "privacy.fields"));
  ATIENDE_ASSIGN_OR_RETURN(o.text_fields, config.get_string_list("privacy.text_fields", {}));
  ATIENDE_ASSIGN_OR_RETURN(o.skip_fields,
                           config.get_string_list("privacy.skip_fields", o.skip_fields));
  ATIENDE_ASSIGN_OR_RETURN(o.ingest_types,
                           config.get_string_list("privacy.ingest_types", o.ingest_types));
  ATIENDE_ASSIGN_OR_RETURN(o.clean, config.get_bool("privacy.clean", o.clean));
  return o;
}

Anonymizer::~Anonymizer() = default;

Result<std::unique_ptr<Anonymizer>> Anonymizer::create(const AnonymizerOptions& options,
                                                       const EnvLookup& env) {
  std::unique_ptr<Anonymizer> a(new Anonymizer());
  a->options_ = options;
  bool need_hmac = options.default_operator.kind == OperatorKind::kHash;
  bool need_encrypt = options.default_operator.kind == OperatorKind::kEncrypt;
  for (const auto& [type, op] : options.operators) {
    need_hmac |= op.kind == OperatorKind::kHash;
    need_encrypt |= op.kind == OperatorKind::kEncrypt;
  }
  ATIENDE_ASSIGN_OR_RETURN(a->keys_, load_operator_keys(env, need_hmac, need_encrypt));
  ATIENDE_ASSIGN_OR_RETURN(a->analyzer_, Analyzer::create(options.analyzer));
  return a;
}

Result<std::unique_ptr<Anonymizer>> Anonymizer::from_config(const Config& config) {
  ATIENDE_ASSIGN_OR_RETURN(AnonymizerOptions options, anonymizer_options_from_config(config));
  return create(options, config.env());
}

const OperatorSpec& Anonymizer::operator_for(std::string_view type) const {
  auto it = options_.operators.find(std::string(type));
  return it == options_.operators.end() ? options_.default_operator : it->second;
}

Result<std::string> Anonymizer::apply(std::string_view text, const std::vector<PiiSpan>& spans,
                                      PseudonymScope& scope) const {
  std::string out;
  out.reserve(text.size());
  size_t last = 0;
  for (const auto& s : spans) {
    if (s.start_byte < last || s.end_byte > text.size()) {
      return Status::internal("overlapping or out-of-range span");
    }
    out.append(text.substr(last, s.start_byte - last));
    ATIENDE_ASSIGN_OR_RETURN(
        std::string replacement,
        apply_operator(operator_for(s.type), s, text.substr(s.start_byte, s.end_byte - s.start_byte),
                       scope, keys_));
    out.append(replacement);
    last = s.end_byte;
  }
  out.append(text.substr(last));
  return out;
}

Result<std::string> Anonymizer::anonymize_text(std::string_view text, PseudonymScope& scope,
                                               std::vector<PiiSpan>* spans_out) const {
  ATIENDE_ASSIGN_OR_RETURN(std::vector<PiiSpan> spans, analyzer_->analyze(text, options_.lang));
  ATIENDE_ASSIGN_OR_RETURN(std::string out, apply(text, spans, scope));
  if (spans_out != nullptr) *spans_out = std::move(spans);
  return out;
}

bool Anonymizer::applies_to_type(std::string_view record_type) const {
  return std::find(options_.ingest_types.begin(), options_.ingest_types.end(), record_type) !=
         options_.ingest_types.end();
}

namespace {

/// Shared core of the JSON and RecordView paths.
class SlotProcessor {
 public:
  SlotProcessor(const Anonymizer& a, PseudonymScope& scope, std::string lang = "")
      : a_(a), scope_(scope), lang_(lang.empty() ? a.options().lang : std::move(lang)) {}

  Status run(std::vector<Slot>& slots, bool detect_only, std::vector<FieldSpans>* report) {
    std::vector<Literal> literals;
    // Declared fields first: their values become literals for the free text.
    for (auto& slot : slots) {
      if (slot.declared.empty() || trim(slot.text).empty()) continue;
      ATIENDE_RETURN_IF_ERROR(validate_utf8(slot.text).with_context(slot.field));
      const std::string value(trim(slot.text));
      std::string normalized = internal::fold(value);
      auto found = a_.analyzer().analyze(value, lang_);
      if (found.ok()) {
        for (const auto& s : *found) {
          if (s.type == slot.declared && (s.end_byte - s.start_byte) * 5 >= value.size() * 4) {
            normalized = s.normalized;
          }
        }
      }
      literals.push_back({value, slot.declared, normalized});
      if (slot.declared == "PERSON") {
        for (std::string_view part : split(value, ' ')) {
          if (part.size() >= 4 && std::isupper(static_cast<unsigned char>(part[0]))) {
            literals.push_back({std::string(part), "PERSON", normalized});
          } else if (part.size() >= 4 && static_cast<unsigned char>(part[0]) >= 0xC3) {
            literals.push_back({std::string(part), "PERSON", normalized});  // "Álvaro", "Ángela"
          }
        }
      }
      PiiSpan whole;
      const size_t lead = slot.text.find(value);
      whole.start_byte = lead;
      whole.end_byte = lead + value.size();
      whole.type = slot.declared;
      whole.score = 1.0;
      whole.recognizer = "field";
      whole.normalized = normalized;
      std::vector<PiiSpan> spans{whole};
      fill_code_points(slot.text, spans);
      ATIENDE_RETURN_IF_ERROR(finish(slot, std::move(spans), detect_only, report));
    }
    // Free text: detect in every field first, so that a name found in one turn ("Soy Eider
    // Usme") is also replaced where it appears alone in another ("Gracias, Eider").
    std::vector<size_t> free;
    std::vector<std::vector<PiiSpan>> found;
    for (size_t i = 0; i < slots.size(); ++i) {
      if (!slots[i].declared.empty() || slots[i].text.empty()) continue;
      auto spans = a_.analyzer().analyze(slots[i].text, lang_);
      if (!spans.ok()) return spans.status().with_context(slots[i].field);
      free.push_back(i);
      found.push_back(std::move(*spans));
    }
    for (size_t k = 0; k < free.size(); ++k) {
      for (const auto& s : found[k]) {
        if (s.type != "PERSON" || s.score < 0.7) continue;
        const std::string_view value =
            std::string_view(slots[free[k]].text).substr(s.start_byte, s.end_byte - s.start_byte);
        literals.push_back({std::string(value), "PERSON", s.normalized, 0.8});
        for (std::string_view part : split(value, ' ')) {
          if (part.size() < 3 || part == value) continue;
          const auto c = static_cast<unsigned char>(part[0]);
          if (std::isupper(c) || c >= 0xC3) {
            literals.push_back({std::string(part), "PERSON", s.normalized, 0.8});
          }
        }
      }
    }
    // Higher score, then longer literals first: the full name wins over its parts.
    std::stable_sort(literals.begin(), literals.end(), [](const Literal& x, const Literal& y) {
      if (x.score != y.score) return x.score > y.score;
      return x.value.size() > y.value.size();
    });
    for (size_t k = 0; k < free.size(); ++k) {
      Slot& slot = slots[free[k]];
      std::vector<PiiSpan> spans = std::move(found[k]);
      if (!literals.empty()) {
        std::vector<PiiSpan> extra;
        find_literals(slot.text, literals, extra);
        if (!extra.empty()) {
          fill_code_points(slot.text, extra);
          spans.insert(spans.end(), extra.begin(), extra.end());
          spans = resolve_overlaps(std::move(spans));
        }
      }
      ATIENDE_RETURN_IF_ERROR(finish(slot, std::move(spans), detect_only, report));
    }
    return {};
  }

  size_t replaced() const { return replaced_; }

 private:
  Status finish(Slot& slot, std::vector<PiiSpan> spans, bool detect_only,
                std::vector<FieldSpans>* report) {
    if (spans.empty()) return {};
    replaced_ += spans.size();
    if (!detect_only) {
      ATIENDE_ASSIGN_OR_RETURN(slot.text, a_.apply(slot.text, spans, scope_));
    }
    if (report != nullptr) report->push_back({slot.field, std::move(spans)});
    return {};
  }

  const Anonymizer& a_;
  PseudonymScope& scope_;
  std::string lang_;
  size_t replaced_ = 0;
};

bool listed(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

/// Collects pointers to the string values of `node` that must be processed.
void collect(Json& node, const std::string& path, const std::string& key,
             const AnonymizerOptions& o, std::vector<std::pair<Json*, Slot>>& out, int depth) {
  if (depth > 32) return;
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string child = path.empty() ? it.key() : path + "." + it.key();
      collect(it.value(), child, it.key(), o, out, depth + 1);
    }
    return;
  }
  if (node.is_array()) {
    for (size_t i = 0; i < node.size(); ++i) {
      collect(node[i], path + "[" + std::to_string(i) + "]", key, o, out, depth + 1);
    }
    return;
  }
  const std::string plain = strip_indices(path);
  std::string declared;
  if (auto it = o.pii_fields.find(plain); it != o.pii_fields.end()) declared = it->second;
  else if (auto it2 = o.pii_fields.find(key); it2 != o.pii_fields.end()) declared = it2->second;
  if (declared.empty()) {
    if (!node.is_string()) return;
    if (listed(o.skip_fields, key)) return;
    if (!o.text_fields.empty() && !listed(o.text_fields, plain) && !listed(o.text_fields, key)) {
      const std::string top = plain.substr(0, plain.find('.'));
      if (!listed(o.text_fields, top)) return;
    }
  } else if (!node.is_string() && !node.is_number()) {
    return;
  }
  Slot slot;
  slot.field = path;
  slot.text = node.is_string() ? node.get<std::string>() : node.dump();
  slot.declared = declared;
  out.push_back({&node, std::move(slot)});
}

}  // namespace

Result<RecordResult> Anonymizer::anonymize_record_json(std::string_view json, PseudonymScope& scope,
                                                       bool clean, bool detect_only) const {
  JsonLimits limits;
  limits.max_bytes = 64 * 1024 * 1024;
  ATIENDE_ASSIGN_OR_RETURN(Json record, parse_json(json, limits));
  if (!record.is_object()) return Status::invalid_argument("record is not a JSON object");
  RecordResult result;
  if (clean && !detect_only) {
    if (auto it = record.find("text"); it != record.end() && it->is_string()) {
      *it = strip_greetings_and_signature(it->get<std::string>());
    }
    if (auto it = record.find("turns"); it != record.end() && it->is_array()) {
      std::vector<Turn> turns;
      for (const auto& t : *it) {
        if (!t.is_object()) continue;
        Turn turn;
        if (auto r = t.find("role"); r != t.end() && r->is_string()) turn.role = r->get<std::string>();
        if (auto x = t.find("text"); x != t.end() && x->is_string()) turn.text = x->get<std::string>();
        turns.push_back(std::move(turn));
      }
      clean_turns(turns);
      result.turns_dropped = it->size() - turns.size();
      Json cleaned = Json::array();
      for (auto& t : turns) cleaned.push_back({{"role", t.role}, {"text", t.text}});
      *it = std::move(cleaned);
    }
  }
  std::vector<std::pair<Json*, Slot>> found;
  collect(record, "", "", options_, found, 0);
  std::vector<Slot> slots;
  slots.reserve(found.size());
  for (auto& f : found) slots.push_back(f.second);
  SlotProcessor processor(*this, scope);
  ATIENDE_RETURN_IF_ERROR(processor.run(slots, detect_only, &result.fields));
  if (!detect_only) {
    for (size_t i = 0; i < found.size(); ++i) *found[i].first = slots[i].text;
  }
  result.json = dump_json(record);
  return result;
}

Result<size_t> Anonymizer::anonymize_record(RecordView& record, bool check_type) const {
  if (check_type && !applies_to_type(record.type)) return size_t{0};
  if (options_.clean) {
    record.text = strip_greetings_and_signature(record.text);
    clean_turns(record.turns);
  }
  std::vector<Slot> slots;
  slots.push_back({"title", record.title, ""});
  slots.push_back({"text", record.text, ""});
  for (size_t i = 0; i < record.turns.size(); ++i) {
    slots.push_back({"turns[" + std::to_string(i) + "].text", record.turns[i].text, ""});
  }
  for (size_t i = 0; i < record.pages.size(); ++i) {
    slots.push_back({"pages[" + std::to_string(i) + "]", record.pages[i], ""});
  }
  const size_t fixed = slots.size();
  Json metadata = Json::object();
  std::vector<std::pair<Json*, Slot>> found;
  if (!trim(record.metadata_json).empty()) {
    auto parsed = parse_json(record.metadata_json);
    if (!parsed.ok()) return parsed.status().with_context("metadata");
    if (!parsed->is_object()) return Status::invalid_argument("metadata is not a JSON object");
    metadata = std::move(*parsed);
    collect(metadata, "metadata", "metadata", options_, found, 1);
    for (auto& f : found) slots.push_back(f.second);
  }
  PseudonymScope scope = new_scope();
  const bool known_lang = record.language == "es" || record.language == "en";
  SlotProcessor processor(*this, scope, known_lang ? record.language : std::string());
  ATIENDE_RETURN_IF_ERROR(processor.run(slots, false, nullptr));
  record.title = std::move(slots[0].text);
  record.text = std::move(slots[1].text);
  size_t k = 2;
  for (auto& turn : record.turns) turn.text = std::move(slots[k++].text);
  for (auto& page : record.pages) page = std::move(slots[k++].text);
  if (!found.empty()) {
    for (size_t i = 0; i < found.size(); ++i) *found[i].first = std::move(slots[fixed + i].text);
    record.metadata_json = dump_json(metadata);
  }
  return processor.replaced();
}

}  // namespace atiende::privacy
