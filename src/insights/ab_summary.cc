#include "insights/ab_summary.h"

#include <cmath>
#include <map>
#include <set>

#include "common/json.h"

namespace atiende::insights {
namespace {

int category(AbOutcome outcome) {
  switch (outcome) {
    case AbOutcome::kFirst: return 0;
    case AbOutcome::kSecond: return 1;
    case AbOutcome::kTie: return 2;
  }
  return 2;
}

Json optional_number(const std::optional<double>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json study_json(const AbStudy& study) {
  return Json{{"id", study.id},
              {"name", study.name},
              {"source", study.source},
              {"configs", Json::array({study.config_first, study.config_second})},
              {"created_ms", study.created_ms},
              {"items", study.items},
              {"votes", study.votes}};
}

Json answer_json(const AbAnswer& answer) {
  auto citations = parse_json(answer.citations_json);
  return Json{{"text", answer.text},
              {"citations", citations.ok() && citations->is_array() ? *citations : Json::array()}};
}

}  // namespace

std::optional<double> cohen_kappa(const std::vector<int>& a, const std::vector<int>& b,
                                  int categories) {
  if (a.empty() || a.size() != b.size() || categories <= 0) return std::nullopt;
  std::vector<double> count_a(categories, 0), count_b(categories, 0);
  double agree = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] < 0 || a[i] >= categories || b[i] < 0 || b[i] >= categories) return std::nullopt;
    count_a[a[i]] += 1;
    count_b[b[i]] += 1;
    if (a[i] == b[i]) agree += 1;
  }
  const double n = static_cast<double>(a.size());
  const double observed = agree / n;
  double expected = 0;
  for (int c = 0; c < categories; ++c) expected += (count_a[c] / n) * (count_b[c] / n);
  if (std::fabs(1.0 - expected) < 1e-12) return std::nullopt;
  return (observed - expected) / (1.0 - expected);
}

Result<AbSummary> summarize_ab(AbStore& store, const std::string& study_id) {
  ATIENDE_ASSIGN_OR_RETURN(std::optional<AbStudy> study, store.get_study(study_id));
  if (!study) return Status::not_found("A/B study '" + study_id + "' does not exist");
  ATIENDE_ASSIGN_OR_RETURN(std::vector<AbItem> items, store.items(study_id));
  ATIENDE_ASSIGN_OR_RETURN(std::vector<AbVote> votes, store.votes(study_id));

  AbSummary summary;
  summary.study = *study;
  summary.votes = static_cast<int64_t>(votes.size());
  AbConfigScore first{study->config_first}, second{study->config_second};
  std::map<std::string, std::map<std::string, int>> by_rater;  // rater -> item -> category
  std::set<std::string> rated_items;
  std::map<std::string, const AbItem*> item_by_id;
  for (const auto& item : items) item_by_id[item.id] = &item;
  for (const auto& vote : votes) {
    rated_items.insert(vote.item_id);
    by_rater[vote.rater][vote.item_id] = category(vote.outcome);
    if (vote.outcome == AbOutcome::kFirst) {
      ++first.wins;
      ++second.losses;
    } else if (vote.outcome == AbOutcome::kSecond) {
      ++second.wins;
      ++first.losses;
    } else {
      ++first.ties;
      ++second.ties;
    }
    if (!vote.comment.empty()) {
      auto it = item_by_id.find(vote.item_id);
      AbComment comment;
      comment.item_id = vote.item_id;
      comment.question = it == item_by_id.end() ? "" : it->second->question;
      comment.rater = vote.rater;
      comment.preferred = vote.outcome == AbOutcome::kFirst    ? study->config_first
                          : vote.outcome == AbOutcome::kSecond ? study->config_second
                                                               : "tie";
      comment.comment = vote.comment;
      summary.comments.push_back(std::move(comment));
    }
  }
  for (AbConfigScore* score : {&first, &second}) {
    if (summary.votes > 0) {
      const double n = static_cast<double>(summary.votes);
      score->win_rate = static_cast<double>(score->wins) / n;
      score->score = (static_cast<double>(score->wins) + 0.5 * static_cast<double>(score->ties)) / n;
    }
  }
  summary.configs = {first, second};
  summary.items_rated = static_cast<int64_t>(rated_items.size());
  for (const auto& [rater, labels] : by_rater) {
    summary.raters.emplace_back(rater, static_cast<int64_t>(labels.size()));
  }

  double kappa_sum = 0;
  int kappa_count = 0;
  for (auto a = by_rater.begin(); a != by_rater.end(); ++a) {
    for (auto b = std::next(a); b != by_rater.end(); ++b) {
      std::vector<int> labels_a, labels_b;
      for (const auto& [item_id, label] : a->second) {
        auto other = b->second.find(item_id);
        if (other == b->second.end()) continue;
        labels_a.push_back(label);
        labels_b.push_back(other->second);
      }
      if (labels_a.empty()) continue;
      AbRaterAgreement pair;
      pair.rater_a = a->first;
      pair.rater_b = b->first;
      pair.items = static_cast<int64_t>(labels_a.size());
      int64_t same = 0;
      for (size_t i = 0; i < labels_a.size(); ++i) same += labels_a[i] == labels_b[i] ? 1 : 0;
      pair.observed = static_cast<double>(same) / static_cast<double>(pair.items);
      pair.kappa = cohen_kappa(labels_a, labels_b, 3);
      if (pair.kappa) {
        kappa_sum += *pair.kappa;
        ++kappa_count;
      }
      summary.agreement.push_back(std::move(pair));
    }
  }
  if (kappa_count > 0) summary.kappa = kappa_sum / kappa_count;
  return summary;
}

std::string ab_summary_to_json(const AbSummary& summary) {
  Json configs = Json::array();
  for (const auto& c : summary.configs) {
    configs.push_back({{"name", c.name},
                       {"wins", c.wins},
                       {"losses", c.losses},
                       {"ties", c.ties},
                       {"win_rate", c.win_rate},
                       {"score", c.score}});
  }
  Json raters = Json::array();
  for (const auto& [rater, votes] : summary.raters) {
    raters.push_back({{"rater", rater}, {"votes", votes}});
  }
  Json pairs = Json::array();
  for (const auto& p : summary.agreement) {
    pairs.push_back({{"raters", Json::array({p.rater_a, p.rater_b})},
                     {"items", p.items},
                     {"observed", p.observed},
                     {"kappa", optional_number(p.kappa)}});
  }
  Json comments = Json::array();
  for (const auto& c : summary.comments) {
    comments.push_back({{"item_id", c.item_id},
                        {"question", c.question},
                        {"rater", c.rater},
                        {"preferred", c.preferred},
                        {"comment", c.comment}});
  }
  return dump_json(Json{{"study", study_json(summary.study)},
                        {"votes", summary.votes},
                        {"items_rated", summary.items_rated},
                        {"configs", configs},
                        {"raters", raters},
                        {"agreement", {{"kappa", optional_number(summary.kappa)}, {"pairs", pairs}}},
                        {"comments", comments}});
}

std::string ab_studies_to_json(const std::vector<AbStudy>& studies) {
  Json list = Json::array();
  for (const auto& study : studies) list.push_back(study_json(study));
  return dump_json(Json{{"studies", list}});
}

std::string ab_blind_item_to_json(const std::optional<AbItem>& item, const std::string& rater,
                                  int64_t rated, int64_t total) {
  Json body{{"progress", {{"rated", rated}, {"total", total}}}};
  if (!item) {
    body["item"] = nullptr;
    return dump_json(body);
  }
  const bool swapped = presented_swapped(*item, rater);
  const AbAnswer& a = swapped ? item->second : item->first;
  const AbAnswer& b = swapped ? item->first : item->second;
  body["item"] = Json{{"id", item->id},
                      {"question", item->question},
                      {"reference_answer", item->reference_answer},
                      {"answers", {{"A", answer_json(a)}, {"B", answer_json(b)}}}};
  return dump_json(body);
}

}  // namespace atiende::insights
