#pragma once
/// Summary of a human A/B study: per-config win rates and inter-rater agreement (Cohen's kappa),
/// plus the JSON the admin A/B page and `atiende eval ab` print.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "insights/ab_store.h"

namespace atiende::insights {

/// Cohen's kappa of two raters who labelled the same items: `a[i]` and `b[i]` are the category
/// (0..categories-1) each gave item i. kappa = (p_o - p_e) / (1 - p_e). std::nullopt when it is
/// undefined: no items, sizes differ, a label out of range, or p_e = 1 (both raters used one and
/// the same category for every item).
std::optional<double> cohen_kappa(const std::vector<int>& a, const std::vector<int>& b,
                                  int categories);

struct AbConfigScore {
  std::string name;
  int64_t wins = 0;
  int64_t losses = 0;
  int64_t ties = 0;
  double win_rate = 0;  ///< wins / votes
  double score = 0;     ///< (wins + ties / 2) / votes
};

struct AbRaterAgreement {
  std::string rater_a;
  std::string rater_b;
  int64_t items = 0;    ///< items both rated
  double observed = 0;  ///< share of those items with the same outcome
  std::optional<double> kappa;  ///< over the outcomes first / second / tie
};

struct AbComment {
  std::string item_id;
  std::string question;
  std::string rater;
  std::string preferred;  ///< the config the rater picked, or "tie"
  std::string comment;    ///< anonymized
};

struct AbSummary {
  AbStudy study;
  int64_t votes = 0;
  int64_t items_rated = 0;  ///< items with at least one vote
  std::vector<AbConfigScore> configs;  ///< first then second config
  std::vector<std::pair<std::string, int64_t>> raters;  ///< rater, votes (by rater id)
  std::vector<AbRaterAgreement> agreement;  ///< every rater pair with at least one shared item
  /// Cohen's kappa of the pair when exactly one pair of raters overlaps; with more pairs, the mean
  /// of the defined pairwise kappas (Light's kappa). std::nullopt when none is defined.
  std::optional<double> kappa;
  std::vector<AbComment> comments;  ///< votes with a comment, in item order
};

/// Summarizes a study; not_found when it does not exist.
Result<AbSummary> summarize_ab(AbStore& store, const std::string& study_id);

/// {"study":{...},"votes","items_rated","configs":[{name,wins,losses,ties,win_rate,score}],
///  "raters":[{rater,votes}],"agreement":{"kappa","pairs":[{raters:[a,b],items,observed,kappa}]},
///  "comments":[{item_id,question,rater,preferred,comment}]} (docs/API.md).
std::string ab_summary_to_json(const AbSummary& summary);

/// {"studies":[{id,name,source,configs:[first,second],created_ms,items,votes}]}
std::string ab_studies_to_json(const std::vector<AbStudy>& studies);

/// What a rater sees: {"item":{"id","question","reference_answer","answers":{"A":{text,
/// citations},"B":{...}}} | null, "progress":{"rated","total"}}. Config names are not included;
/// the sides follow presented_swapped(item, rater).
std::string ab_blind_item_to_json(const std::optional<AbItem>& item, const std::string& rater,
                                  int64_t rated, int64_t total);

}  // namespace atiende::insights
