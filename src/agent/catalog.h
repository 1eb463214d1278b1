#pragma once
/// The plans and devices catalog (data/demo/catalog/{plans,devices}.json) plus the slot synonyms
/// of data/demo/intents/slots.json. Used by tools (previews), policy (catalog-only plan changes),
/// forms (slot matching) and the demo backend. Immutable after loading; thread-safe to share.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atiende::agent {

struct Plan {
  std::string id;       ///< "plan-5g-20"
  std::string name;     ///< "Plan 5G 20 GB"
  std::string type;     ///< "movil_prepago" | "movil_pospago" | "hogar_fibra"
  int64_t price_cop = 0;
  std::string period;   ///< "mensual" | "30 días"
  int64_t data_gb = 0;  ///< -1 unlimited; 0 for home plans
  std::vector<std::string> synonyms;  ///< folded (see text::fold)
};

struct Device {
  std::string id;        ///< "dev-galaxy-a56"
  std::string name;      ///< "Samsung Galaxy A56 5G"
  std::string category;  ///< "smartphone" | "accesorio"
  std::vector<std::string> colors;  ///< as in the catalog (Spanish, lower-case)
  int64_t price_cop = 0;
  int64_t stock = 0;         ///< catalog stock; the demo backend keeps its own running count
  int64_t restock_days = 0;  ///< estimate when stock == 0
  std::vector<std::string> synonyms;  ///< folded
};

class Catalog {
 public:
  /// Loads `<catalog_dir>/plans.json` and `devices.json`, and, when present,
  /// `<catalog_dir>/../intents/slots.json` for extra synonyms and color families.
  /// Errors name the file and field.
  static Result<Catalog> load(const std::filesystem::path& catalog_dir);
  /// Builds from JSON texts (tests, HTTP deployments with a catalog elsewhere).
  static Result<Catalog> from_json(std::string_view plans_json, std::string_view devices_json,
                                   std::string_view slots_json = "");

  const std::vector<Plan>& plans() const { return plans_; }
  const std::vector<Device>& devices() const { return devices_; }
  const Plan* find_plan(std::string_view id) const;
  const Device* find_device(std::string_view id) const;

  /// The next plan up in the same family for "more data": plan-5g-10 -> plan-5g-20 -> plan-5g-40
  /// -> plan-5g-ilimitado; plan-prepago-5 -> plan-prepago-12. nullopt at the top or for home plans.
  std::optional<std::string> next_plan_up(std::string_view current_plan_id) const;

  /// Plans / devices whose synonyms or names occur in `text` (folded, word-bounded), longest
  /// match first, without overlaps. Ids, in order of match length.
  std::vector<std::string> match_plans(std::string_view text) const;
  std::vector<std::string> match_devices(std::string_view text) const;
  /// The colors of `device_id` that `text` names: an exact color phrase wins; otherwise a generic
  /// family word ("azul", "black") maps to every color containing that family's word.
  std::vector<std::string> match_colors(std::string_view device_id, std::string_view text) const;
  /// Areas (cities or neighborhoods from slots.json, canonical spelling) named in `text`.
  std::vector<std::string> match_areas(std::string_view text) const;
  /// Service ("movil" | "internet_hogar") named in `text`, or "".
  std::string match_service(std::string_view text) const;

 private:
  std::vector<Plan> plans_;
  std::vector<Device> devices_;
  std::vector<std::pair<std::string, std::vector<std::string>>> color_families_;  ///< folded
  std::vector<std::pair<std::string, std::vector<std::string>>> areas_;     ///< name -> folded
  std::vector<std::pair<std::string, std::vector<std::string>>> services_;  ///< id -> folded
};

/// True when `folded_text` contains `folded_phrase` at word boundaries.
bool contains_phrase(std::string_view folded_text, std::string_view folded_phrase);

}  // namespace atiende::agent
