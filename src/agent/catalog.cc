#include "agent/catalog.h"

#include <algorithm>
#include <set>

#include "common/files.h"
#include "common/json.h"
#include "text/analyzer.h"

namespace atiende::agent {
namespace {

bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

void add_synonym(std::vector<std::string>& list, std::string_view raw) {
  std::string folded = text::fold(raw);
  if (folded.empty()) return;
  if (std::find(list.begin(), list.end(), folded) == list.end()) list.push_back(std::move(folded));
}

struct Candidate {
  size_t start, end;
  std::string id;
};

/// Longest non-overlapping matches; returns ids in order of first selection (longest first).
std::vector<std::string> longest_matches(
    std::string_view text, const std::vector<std::pair<std::string, const std::vector<std::string>*>>& entries) {
  const std::string folded = text::fold(text);
  std::vector<Candidate> candidates;
  for (const auto& [id, synonyms] : entries) {
    for (const auto& phrase : *synonyms) {
      size_t pos = 0;
      while ((pos = folded.find(phrase, pos)) != std::string::npos) {
        const size_t end = pos + phrase.size();
        const bool left_ok = pos == 0 || !is_word_byte(folded[pos - 1]);
        const bool right_ok = end == folded.size() || !is_word_byte(folded[end]);
        if (left_ok && right_ok) candidates.push_back({pos, end, id});
        pos += 1;
      }
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return (a.end - a.start) > (b.end - b.start);
  });
  std::vector<Candidate> chosen;
  std::vector<std::string> ids;
  for (const auto& c : candidates) {
    bool overlaps = false;
    for (const auto& k : chosen) overlaps = overlaps || (c.start < k.end && k.start < c.end);
    if (overlaps) continue;
    chosen.push_back(c);
    if (std::find(ids.begin(), ids.end(), c.id) == ids.end()) ids.push_back(c.id);
  }
  return ids;
}

Result<std::string> str_field(const Json& obj, const char* name, const std::string& where) {
  if (!obj.contains(name) || !obj[name].is_string()) {
    return Status::invalid_argument(where + ": missing string field '" + name + "'");
  }
  return obj[name].get<std::string>();
}

int64_t int_field(const Json& obj, const char* name, int64_t fallback) {
  if (obj.contains(name) && obj[name].is_number()) return obj[name].get<int64_t>();
  return fallback;
}

}  // namespace

bool contains_phrase(std::string_view folded_text, std::string_view folded_phrase) {
  if (folded_phrase.empty()) return false;
  size_t pos = 0;
  while ((pos = folded_text.find(folded_phrase, pos)) != std::string_view::npos) {
    const size_t end = pos + folded_phrase.size();
    const bool left_ok = pos == 0 || !is_word_byte(folded_text[pos - 1]);
    const bool right_ok = end == folded_text.size() || !is_word_byte(folded_text[end]);
    if (left_ok && right_ok) return true;
    ++pos;
  }
  return false;
}

Result<Catalog> Catalog::load(const std::filesystem::path& catalog_dir) {
  ATIENDE_ASSIGN_OR_RETURN(std::string plans, read_file(catalog_dir / "plans.json"));
  ATIENDE_ASSIGN_OR_RETURN(std::string devices, read_file(catalog_dir / "devices.json"));
  std::string slots;
  const auto slots_path = catalog_dir.parent_path() / "intents" / "slots.json";
  std::error_code ec;
  if (std::filesystem::exists(slots_path, ec)) {
    ATIENDE_ASSIGN_OR_RETURN(slots, read_file(slots_path));
  }
  auto catalog = from_json(plans, devices, slots);
  if (!catalog.ok()) return catalog.status().with_context(catalog_dir.string());
  return catalog;
}

Result<Catalog> Catalog::from_json(std::string_view plans_json, std::string_view devices_json,
                                   std::string_view slots_json) {
  Catalog catalog;
  ATIENDE_ASSIGN_OR_RETURN(Json plans, parse_json(plans_json));
  ATIENDE_ASSIGN_OR_RETURN(Json devices, parse_json(devices_json));
  if (!plans.contains("plans") || !plans["plans"].is_array()) {
    return Status::invalid_argument("plans.json: missing array 'plans'");
  }
  for (const auto& p : plans["plans"]) {
    Plan plan;
    ATIENDE_ASSIGN_OR_RETURN(plan.id, str_field(p, "id", "plans.json"));
    ATIENDE_ASSIGN_OR_RETURN(plan.name, str_field(p, "name", "plans.json " + plan.id));
    ATIENDE_ASSIGN_OR_RETURN(plan.type, str_field(p, "type", "plans.json " + plan.id));
    plan.price_cop = int_field(p, "price_cop", 0);
    plan.data_gb = int_field(p, "data_gb", 0);
    if (p.contains("period") && p["period"].is_string()) plan.period = p["period"].get<std::string>();
    add_synonym(plan.synonyms, plan.name);
    add_synonym(plan.synonyms, plan.id);
    if (p.contains("synonyms") && p["synonyms"].is_array()) {
      for (const auto& s : p["synonyms"]) if (s.is_string()) add_synonym(plan.synonyms, s.get<std::string>());
    }
    catalog.plans_.push_back(std::move(plan));
  }
  if (!devices.contains("devices") || !devices["devices"].is_array()) {
    return Status::invalid_argument("devices.json: missing array 'devices'");
  }
  for (const auto& d : devices["devices"]) {
    Device device;
    ATIENDE_ASSIGN_OR_RETURN(device.id, str_field(d, "id", "devices.json"));
    std::string brand = d.value("brand", std::string());
    std::string model = d.value("model", std::string());
    device.name = brand.empty() ? model : brand + " " + model;
    device.category = d.value("category", std::string("smartphone"));
    device.price_cop = int_field(d, "price_cop", 0);
    device.stock = int_field(d, "stock", 0);
    device.restock_days = int_field(d, "restock_days", 0);
    if (d.contains("colors") && d["colors"].is_array()) {
      for (const auto& c : d["colors"]) if (c.is_string()) device.colors.push_back(c.get<std::string>());
    }
    add_synonym(device.synonyms, model);
    add_synonym(device.synonyms, device.name);
    add_synonym(device.synonyms, device.id);
    if (d.contains("synonyms") && d["synonyms"].is_array()) {
      for (const auto& s : d["synonyms"]) if (s.is_string()) add_synonym(device.synonyms, s.get<std::string>());
    }
    catalog.devices_.push_back(std::move(device));
  }
  if (!slots_json.empty()) {
    auto slots = parse_json(slots_json);
    if (!slots.ok()) return slots.status().with_context("slots.json");
    const Json& s = *slots;
    auto merge = [&](const char* key, auto& items) {
      if (!s.contains(key) || !s[key].is_array()) return;
      for (const auto& entry : s[key]) {
        if (!entry.contains("id") || !entry["id"].is_string()) continue;
        const std::string id = entry["id"].get<std::string>();
        for (auto& item : items) {
          if (item.id != id || !entry.contains("synonyms") || !entry["synonyms"].is_array()) continue;
          for (const auto& syn : entry["synonyms"]) {
            if (syn.is_string()) add_synonym(item.synonyms, syn.get<std::string>());
          }
        }
      }
    };
    merge("plan_id", catalog.plans_);
    merge("device_id", catalog.devices_);
    if (s.contains("color_families") && s["color_families"].is_object()) {
      for (const auto& [family, words] : s["color_families"].items()) {
        std::vector<std::string> folded;
        if (words.is_array()) {
          for (const auto& w : words) if (w.is_string()) add_synonym(folded, w.get<std::string>());
        }
        catalog.color_families_.emplace_back(text::fold(family), std::move(folded));
      }
    }
    if (s.contains("area") && s["area"].is_object()) {
      const Json& area = s["area"];
      auto add_area = [&](const std::string& name, const std::string& synonym) {
        for (auto& [n, list] : catalog.areas_) {
          if (n == name) {
            add_synonym(list, synonym);
            return;
          }
        }
        std::vector<std::string> list;
        add_synonym(list, synonym);
        catalog.areas_.emplace_back(name, std::move(list));
      };
      if (area.contains("values") && area["values"].is_array()) {
        for (const auto& v : area["values"]) if (v.is_string()) add_area(v.get<std::string>(), v.get<std::string>());
      }
      for (const char* key : {"neighborhoods"}) {
        if (!area.contains(key) || !area[key].is_object()) continue;
        for (const auto& [city, list] : area[key].items()) {
          if (!list.is_array()) continue;
          for (const auto& n : list) if (n.is_string()) add_area(n.get<std::string>(), n.get<std::string>());
        }
      }
      if (area.contains("synonyms") && area["synonyms"].is_object()) {
        for (const auto& [city, list] : area["synonyms"].items()) {
          if (!list.is_array()) continue;
          for (const auto& n : list) if (n.is_string()) add_area(city, n.get<std::string>());
        }
      }
    }
    if (s.contains("service") && s["service"].is_object() && s["service"].contains("synonyms") &&
        s["service"]["synonyms"].is_object()) {
      for (const auto& [id, list] : s["service"]["synonyms"].items()) {
        std::vector<std::string> folded;
        add_synonym(folded, id);
        if (list.is_array()) {
          for (const auto& w : list) if (w.is_string()) add_synonym(folded, w.get<std::string>());
        }
        catalog.services_.emplace_back(id, std::move(folded));
      }
    }
  }
  return catalog;
}

const Plan* Catalog::find_plan(std::string_view id) const {
  for (const auto& p : plans_) if (p.id == id) return &p;
  return nullptr;
}

const Device* Catalog::find_device(std::string_view id) const {
  for (const auto& d : devices_) if (d.id == id) return &d;
  return nullptr;
}

std::optional<std::string> Catalog::next_plan_up(std::string_view current_plan_id) const {
  const Plan* current = find_plan(current_plan_id);
  if (!current || current->type == "hogar_fibra") return std::nullopt;
  // Same type, single-line plans (the family plan is a different product), next price up.
  const Plan* best = nullptr;
  for (const auto& p : plans_) {
    if (p.type != current->type || p.price_cop <= current->price_cop) continue;
    if (p.id.find("familia") != std::string::npos) continue;
    if (!best || p.price_cop < best->price_cop) best = &p;
  }
  if (!best) return std::nullopt;
  return best->id;
}

std::vector<std::string> Catalog::match_plans(std::string_view text) const {
  std::vector<std::pair<std::string, const std::vector<std::string>*>> entries;
  for (const auto& p : plans_) entries.emplace_back(p.id, &p.synonyms);
  return longest_matches(text, entries);
}

std::vector<std::string> Catalog::match_devices(std::string_view text) const {
  std::vector<std::pair<std::string, const std::vector<std::string>*>> entries;
  for (const auto& d : devices_) entries.emplace_back(d.id, &d.synonyms);
  return longest_matches(text, entries);
}

std::vector<std::string> Catalog::match_colors(std::string_view device_id,
                                               std::string_view text) const {
  const Device* device = find_device(device_id);
  if (!device) return {};
  const std::string folded = text::fold(text);
  // Exact color phrases, longest first ("azul marino" before a family word "azul").
  std::vector<std::pair<std::string, const std::vector<std::string>*>> entries;
  std::vector<std::vector<std::string>> phrases;
  phrases.reserve(device->colors.size());
  for (const auto& c : device->colors) phrases.push_back({text::fold(c)});
  for (size_t i = 0; i < device->colors.size(); ++i) entries.emplace_back(device->colors[i], &phrases[i]);
  auto exact = longest_matches(text, entries);
  if (!exact.empty()) return exact;
  std::vector<std::string> out;
  for (const auto& [family, words] : color_families_) {
    bool named = false;
    for (const auto& w : words) named = named || contains_phrase(folded, w);
    if (!named) continue;
    for (const auto& c : device->colors) {
      const std::string fc = text::fold(c);
      bool member = contains_phrase(fc, family);
      for (const auto& w : words) member = member || contains_phrase(fc, w);
      if (member && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    }
  }
  return out;
}

std::vector<std::string> Catalog::match_areas(std::string_view text) const {
  std::vector<std::pair<std::string, const std::vector<std::string>*>> entries;
  for (const auto& [name, list] : areas_) entries.emplace_back(name, &list);
  return longest_matches(text, entries);
}

std::string Catalog::match_service(std::string_view text) const {
  std::vector<std::pair<std::string, const std::vector<std::string>*>> entries;
  for (const auto& [id, list] : services_) entries.emplace_back(id, &list);
  auto ids = longest_matches(text, entries);
  return ids.size() == 1 ? ids[0] : "";
}

}  // namespace atiende::agent
