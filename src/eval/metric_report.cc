#include "eval/metric_report.h"

#include <cstdio>

#include "common/files.h"
#include "common/json.h"
#include "eval/py_text.h"

namespace atiende::eval {
namespace {

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  return buffer;
}

Status check_alignment(std::span<const std::string> hyps,
                       std::span<const std::vector<std::string>> ref_streams) {
  if (ref_streams.empty()) return Status::invalid_argument("at least one reference is needed");
  for (size_t k = 0; k < ref_streams.size(); ++k) {
    if (ref_streams[k].size() != hyps.size()) {
      return Status::invalid_argument(
          "misaligned files: the hypotheses have " + std::to_string(hyps.size()) +
          " lines but reference " + std::to_string(k + 1) + " has " +
          std::to_string(ref_streams[k].size()) + " lines");
    }
  }
  return {};
}

std::vector<std::string> refs_of_line(std::span<const std::vector<std::string>> ref_streams, size_t i) {
  std::vector<std::string> refs;
  refs.reserve(ref_streams.size());
  for (const auto& stream : ref_streams) refs.push_back(stream[i]);
  return refs;
}

Status fill_rouge(std::span<const std::string> hyps,
                  std::span<const std::vector<std::string>> ref_streams, const MetricRequest& request,
                  MetricReport& report) {
  const auto& types = default_rouge_types();
  if (std::find(types.begin(), types.end(), request.rouge_type) == types.end()) {
    ATIENDE_RETURN_IF_ERROR(rouge_score("rouge1", "", "", request.rouge).status());
    auto probe = rouge_score(request.rouge_type, "", "", request.rouge);
    if (!probe.ok()) return probe.status();
  }
  std::vector<std::string> all_types = types;
  if (std::find(types.begin(), types.end(), request.rouge_type) == types.end()) {
    all_types.push_back(request.rouge_type);
  }
  for (const auto& type : all_types) report.prf[type] = RougePrf{};
  for (size_t i = 0; i < hyps.size(); ++i) {
    const auto refs = refs_of_line(ref_streams, i);
    for (const auto& type : all_types) {
      ATIENDE_ASSIGN_OR_RETURN(RougePrf prf, rouge_score_multi(type, refs, hyps[i], request.rouge));
      auto& sum = report.prf[type];
      sum.precision += prf.precision;
      sum.recall += prf.recall;
      sum.fmeasure += prf.fmeasure;
      if (request.per_line && type == request.rouge_type) report.lines.push_back(prf.fmeasure);
    }
  }
  if (!hyps.empty()) {
    for (auto& [type, prf] : report.prf) {
      prf.precision /= static_cast<double>(hyps.size());
      prf.recall /= static_cast<double>(hyps.size());
      prf.fmeasure /= static_cast<double>(hyps.size());
    }
  }
  report.score = report.prf[request.rouge_type].fmeasure;
  report.signature = "nrefs:" + std::to_string(ref_streams.size()) + "|type:" + request.rouge_type +
                     "|tok:" +
                     (request.rouge.tokenizer == RougeTokenizer::kUnicode ? "unicode" : "rouge_score") +
                     "|stem:" + (request.rouge.use_stemmer ? "yes" : "no") + "|agg:mean";
  return {};
}

}  // namespace

Result<MetricKind> parse_metric_kind(std::string_view name) {
  if (name == "bleu") return MetricKind::kBleu;
  if (name == "chrf") return MetricKind::kChrf;
  if (name == "ter") return MetricKind::kTer;
  if (name == "rouge") return MetricKind::kRouge;
  if (name == "semantic") return MetricKind::kSemantic;
  return Status::invalid_argument("unknown metric '" + std::string(name) +
                                  "' (want bleu, chrf, ter, rouge or semantic)");
}

Result<std::vector<std::string>> read_lines(const std::filesystem::path& path) {
  ATIENDE_ASSIGN_OR_RETURN(std::string content, read_file(path));
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < content.size()) {
    size_t end = content.find('\n', start);
    if (end == std::string::npos) end = content.size();
    std::string line = content.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto valid = decode_utf8(line, path.string() + " line " + std::to_string(lines.size() + 1));
    if (!valid.ok()) return valid.status();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

Result<MetricReport> compute_metric_report(std::span<const std::string> hyps,
                                           std::span<const std::vector<std::string>> ref_streams,
                                           const MetricRequest& request) {
  ATIENDE_RETURN_IF_ERROR(check_alignment(hyps, ref_streams));
  const int nrefs = static_cast<int>(ref_streams.size());
  MetricReport report;
  switch (request.metric) {
    case MetricKind::kBleu: {
      report.metric = "bleu";
      report.name = "BLEU";
      ATIENDE_ASSIGN_OR_RETURN(BleuScore score, corpus_bleu(hyps, ref_streams, request.bleu));
      report.score = score.score;
      report.bleu = std::move(score);
      report.signature = bleu_signature(request.bleu, nrefs);
      if (request.per_line) {
        for (size_t i = 0; i < hyps.size(); ++i) {
          ATIENDE_ASSIGN_OR_RETURN(BleuScore s,
                                   sentence_bleu(hyps[i], refs_of_line(ref_streams, i), request.bleu));
          report.lines.push_back(s.score);
        }
      }
      break;
    }
    case MetricKind::kChrf: {
      report.metric = "chrf";
      report.name = chrf_name(request.chrf);
      ATIENDE_ASSIGN_OR_RETURN(ChrfScore score, corpus_chrf(hyps, ref_streams, request.chrf));
      report.score = score.score;
      report.signature = chrf_signature(request.chrf, nrefs);
      if (request.per_line) {
        for (size_t i = 0; i < hyps.size(); ++i) {
          ATIENDE_ASSIGN_OR_RETURN(ChrfScore s,
                                   sentence_chrf(hyps[i], refs_of_line(ref_streams, i), request.chrf));
          report.lines.push_back(s.score);
        }
      }
      break;
    }
    case MetricKind::kTer: {
      report.metric = "ter";
      report.name = "TER";
      ATIENDE_ASSIGN_OR_RETURN(TerScore score, corpus_ter(hyps, ref_streams, request.ter));
      report.score = score.score;
      report.ter = score;
      report.signature = ter_signature(request.ter, nrefs);
      if (request.per_line) {
        for (size_t i = 0; i < hyps.size(); ++i) {
          ATIENDE_ASSIGN_OR_RETURN(TerScore s,
                                   sentence_ter(hyps[i], refs_of_line(ref_streams, i), request.ter));
          report.lines.push_back(s.score);
        }
      }
      break;
    }
    case MetricKind::kRouge: {
      report.metric = "rouge";
      report.name = "ROUGE";
      ATIENDE_RETURN_IF_ERROR(fill_rouge(hyps, ref_streams, request, report));
      break;
    }
    case MetricKind::kSemantic: {
      report.metric = "semantic";
      report.name = "semantic";
      if (request.embedder == nullptr) {
        return Status::failed_precondition("the semantic metric needs an embedder");
      }
      ATIENDE_ASSIGN_OR_RETURN(
          SemanticResult result,
          semantic_similarity(hyps, ref_streams, *request.embedder, request.token_embed));
      report.score = result.corpus.f1;
      report.semantic_method = std::string(semantic_method_name(result.method));
      report.prf["semantic"] = RougePrf{result.corpus.precision, result.corpus.recall, result.corpus.f1};
      report.signature = semantic_signature(result, nrefs);
      if (request.per_line) {
        for (const auto& line : result.lines) report.lines.push_back(line.f1);
      }
      break;
    }
  }
  return report;
}

std::string metric_report_json(const MetricReport& report) {
  Json out = {{"metric", report.metric},
              {"name", report.name},
              {"score", report.score},
              {"signature", report.signature}};
  if (report.bleu) {
    out["counts"] = report.bleu->counts;
    out["totals"] = report.bleu->totals;
    out["precisions"] = report.bleu->precisions;
    out["bp"] = report.bleu->bp;
    out["sys_len"] = report.bleu->sys_len;
    out["ref_len"] = report.bleu->ref_len;
  }
  if (report.ter) {
    out["num_edits"] = report.ter->num_edits;
    out["ref_length"] = report.ter->ref_length;
  }
  if (report.metric == "rouge") {
    Json p = Json::object();
    Json r = Json::object();
    Json f = Json::object();
    for (const auto& [type, prf] : report.prf) {
      p[type] = prf.precision;
      r[type] = prf.recall;
      f[type] = prf.fmeasure;
    }
    out["precision"] = p;
    out["recall"] = r;
    out["fmeasure"] = f;
    const auto pos = report.signature.find("|type:");
    if (pos != std::string::npos) {
      const auto end = report.signature.find('|', pos + 1);
      out["rouge_type"] = report.signature.substr(pos + 6, end - pos - 6);
    }
  }
  if (report.metric == "semantic") {
    const auto it = report.prf.find("semantic");
    if (it != report.prf.end()) {
      out["precision"] = it->second.precision;
      out["recall"] = it->second.recall;
      out["fmeasure"] = it->second.fmeasure;
    }
    out["method"] = report.semantic_method;
  }
  if (!report.lines.empty()) out["lines"] = report.lines;
  return dump_json(out);
}

std::string metric_report_text(const MetricReport& report) {
  std::string text;
  if (report.bleu) {
    const auto& b = *report.bleu;
    text = "BLEU = " + fixed(b.score, 2) + " ";
    for (size_t i = 0; i < b.precisions.size(); ++i) {
      if (i > 0) text += "/";
      text += fixed(b.precisions[i], 1);
    }
    const double ratio = b.ref_len > 0 ? static_cast<double>(b.sys_len) / static_cast<double>(b.ref_len) : 0.0;
    text += " (BP = " + fixed(b.bp, 3) + " ratio = " + fixed(ratio, 3) +
            " hyp_len = " + std::to_string(b.sys_len) + " ref_len = " + std::to_string(b.ref_len) + ")";
  } else if (report.metric == "rouge") {
    for (const auto& [type, prf] : report.prf) {
      text += type + ": P = " + fixed(prf.precision, 4) + " R = " + fixed(prf.recall, 4) +
              " F = " + fixed(prf.fmeasure, 4) + "\n";
    }
    text += "score (" + report.signature.substr(report.signature.find("type:") + 5,
                                                  report.signature.find("|tok") -
                                                      report.signature.find("type:") - 5) +
            " F) = " + fixed(report.score, 4);
  } else if (report.metric == "semantic") {
    const auto& prf = report.prf.at("semantic");
    text = "semantic (" + report.semantic_method + ") = " + fixed(report.score, 4) +
           " (P = " + fixed(prf.precision, 4) + " R = " + fixed(prf.recall, 4) + ")";
  } else {
    text = report.name + " = " + fixed(report.score, 2);
  }
  text += "\nsignature: " + report.signature + "\n";
  for (size_t i = 0; i < report.lines.size(); ++i) {
    text += "line " + std::to_string(i + 1) + ": " +
            fixed(report.lines[i], report.metric == "rouge" || report.metric == "semantic" ? 4 : 2) + "\n";
  }
  return text;
}

}  // namespace atiende::eval
