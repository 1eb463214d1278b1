#include "insights/ab_import.h"

#include <vector>

#include "common/json.h"

namespace atiende::insights {
namespace {

Result<std::vector<std::string>> config_names(const Json& report) {
  if (!report.contains("configs") || !report["configs"].is_array()) {
    return Status::invalid_argument("report has no \"configs\" array");
  }
  std::vector<std::string> names;
  for (size_t i = 0; i < report["configs"].size(); ++i) {
    const Json& config = report["configs"][i];
    if (!config.is_object() || !config.contains("name") || !config["name"].is_string() ||
        config["name"].get<std::string>().empty()) {
      return Status::invalid_argument("report configs[" + std::to_string(i) +
                                      "] has no \"name\" string");
    }
    names.push_back(config["name"].get<std::string>());
  }
  if (names.size() < 2) {
    return Status::invalid_argument("report has " + std::to_string(names.size()) +
                                    " config(s); an A/B study needs two");
  }
  return names;
}

Status check_known(const std::vector<std::string>& names, const std::string& name) {
  for (const auto& known : names) {
    if (known == name) return {};
  }
  std::string list;
  for (const auto& known : names) list += (list.empty() ? "" : ", ") + known;
  return Status::invalid_argument("config '" + name + "' is not in the report (configs: " + list +
                                  ")");
}

/// The answer of `config` to a question, or nullopt when it has no text.
std::optional<AbAnswer> answer_of(const Json& question, const std::string& config) {
  if (!question.contains("answers") || !question["answers"].is_object()) return std::nullopt;
  const Json& answers = question["answers"];
  auto it = answers.find(config);
  if (it == answers.end() || !it->is_object() || !it->contains("text") ||
      !(*it)["text"].is_string()) {
    return std::nullopt;
  }
  AbAnswer answer;
  answer.text = (*it)["text"].get<std::string>();
  if (answer.text.empty()) return std::nullopt;
  if (it->contains("citations") && (*it)["citations"].is_array()) {
    answer.citations_json = dump_json((*it)["citations"]);
  }
  return answer;
}

std::string string_field(const Json& object, const char* field) {
  if (!object.contains(field)) return {};
  const Json& value = object[field];
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return value.dump();
  return {};
}

}  // namespace

Result<AbImportResult> import_ab_report(AbStore& store, std::string_view report_json,
                                        const AbImportOptions& options, const Clock& clock,
                                        Random& random) {
  ATIENDE_ASSIGN_OR_RETURN(Json report, parse_json(report_json, JsonLimits{64u << 20, 64}));
  if (!report.is_object()) return Status::invalid_argument("report is not a JSON object");
  ATIENDE_ASSIGN_OR_RETURN(std::vector<std::string> names, config_names(report));

  std::string first = options.config_first.empty() ? names[0] : options.config_first;
  ATIENDE_RETURN_IF_ERROR(check_known(names, first));
  std::string second = options.config_second;
  if (second.empty()) {
    for (const auto& name : names) {
      if (name != first) {
        second = name;
        break;
      }
    }
  }
  ATIENDE_RETURN_IF_ERROR(check_known(names, second));
  if (first == second) {
    return Status::invalid_argument("the two configs of an A/B study must differ (both '" +
                                    first + "')");
  }
  if (!report.contains("questions") || !report["questions"].is_array()) {
    return Status::invalid_argument("report has no \"questions\" array");
  }

  AbImportResult result;
  AbStudy& study = result.study;
  study.id = new_id(random, "abs");
  study.name = options.name.empty() ? first + " vs " + second : options.name;
  study.source = options.source;
  study.config_first = first;
  study.config_second = second;
  study.created_ms = clock.unix_millis();

  std::vector<AbItem> items;
  const Json& questions = report["questions"];
  for (size_t i = 0; i < questions.size(); ++i) {
    const Json& q = questions[i];
    const std::string where = "report questions[" + std::to_string(i) + "]";
    if (!q.is_object()) return Status::invalid_argument(where + " is not an object");
    AbItem item;
    item.question_id = string_field(q, "id");
    item.question = string_field(q, "question");
    if (item.question.empty()) return Status::invalid_argument(where + " has no \"question\"");
    if (item.question_id.empty()) item.question_id = std::to_string(i + 1);
    item.reference_answer = string_field(q, "reference_answer");
    auto a = answer_of(q, first);
    auto b = answer_of(q, second);
    if (!a || !b) {
      ++result.skipped_missing;
      continue;
    }
    if (a->text == b->text) {
      ++result.skipped_identical;
      continue;
    }
    if (options.max_items > 0 && static_cast<int64_t>(items.size()) >= options.max_items) break;
    item.id = new_id(random, "abi");
    item.study_id = study.id;
    item.ordinal = static_cast<int64_t>(i) + 1;
    item.first = std::move(*a);
    item.second = std::move(*b);
    item.salt = random.hex(16);
    items.push_back(std::move(item));
  }
  if (items.empty()) {
    return Status::invalid_argument(
        "no question of the report has two different answers from '" + first + "' and '" +
        second + "' (" + std::to_string(result.skipped_missing) + " missing an answer, " +
        std::to_string(result.skipped_identical) + " identical)");
  }
  ATIENDE_RETURN_IF_ERROR(store.create_study(study, items));
  result.items = static_cast<int64_t>(items.size());
  study.items = result.items;
  return result;
}

}  // namespace atiende::insights
