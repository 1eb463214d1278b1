#pragma once
// Runs metric test rows in the shared conformance format (one JSON object a line: hyps/refs or
// hyp/refs_for_sentence or stats, a config naming the sacreBLEU API, expected value, scale and
// tolerance). Used by the conformance suite and by our own Spanish cases.

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/files.h"
#include "common/json.h"
#include "eval/bleu.h"
#include "eval/chrf.h"
#include "eval/rouge.h"
#include "eval/ter.h"

namespace atiende::eval::testing {

inline std::vector<Json> load_rows(const std::filesystem::path& path) {
  const std::string file = path.filename().string();
  auto content = read_file(path);
  if (!content.ok()) {
    ADD_FAILURE() << "conformance file missing: " << path.string() << " (" << content.status().message()
                  << "). The shared dir must sit beside the repository.";
    return {};
  }
  std::vector<Json> rows;
  size_t start = 0;
  while (start < content->size()) {
    size_t end = content->find('\n', start);
    if (end == std::string::npos) end = content->size();
    const std::string line = content->substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    auto row = parse_json(line);
    if (!row.ok()) {
      ADD_FAILURE() << file << ": bad JSON line: " << row.status().message();
      continue;
    }
    rows.push_back(std::move(*row));
  }
  return rows;
}

template <typename T>
T get_or(const Json& config, const char* key, T fallback) {
  if (!config.contains(key) || config[key].is_null()) return fallback;
  return config[key].get<T>();
}

inline std::vector<std::vector<std::string>> ref_streams(const Json& row) {
  return row.at("refs").get<std::vector<std::vector<std::string>>>();
}

inline double scaled(double score_0_100, const Json& row) {
  return row.value("scale", std::string("0-100")) == "0-1" ? score_0_100 / 100.0 : score_0_100;
}

/// Rows passed and rows checked.
struct Tally {
  int passed = 0;
  int total = 0;
};

inline void expect_close(double actual, const Json& row, Tally& tally) {
  const double expected = row.at("expected").get<double>();
  const double tolerance = row.at("tolerance").get<double>();
  ++tally.total;
  if (std::fabs(actual - expected) <= tolerance) {
    ++tally.passed;
  } else {
    ADD_FAILURE() << row.at("id").get<std::string>() << ": got " << actual << " expected "
                  << expected << " (tolerance " << tolerance << ")";
  }
}

inline BleuOptions bleu_options(const Json& config) {
  BleuOptions o;
  o.tokenize = *parse_sacre_tokenizer(get_or<std::string>(config, "tokenize", "13a"));
  o.smooth = *parse_bleu_smooth(get_or<std::string>(config, "smooth_method", "exp"));
  if (config.contains("smooth_value") && !config["smooth_value"].is_null()) {
    o.smooth_value = config["smooth_value"].get<double>();
  }
  o.lowercase = get_or<bool>(config, "lowercase", false);
  o.effective_order = get_or<bool>(config, "use_effective_order", false);
  o.max_ngram_order = get_or<int>(config, "max_ngram_order", 4);
  return o;
}

/// Checks every BLEU row (corpus, sentence, statistics, compute_bleu); returns the tally.
inline Tally run_bleu_rows(const std::vector<Json>& rows) {
  Tally tally;
  for (const auto& row : rows) {
    const std::string id = row.at("id");
    const Json& config = row.at("config");
    const std::string api = config.at("api");
    const BleuOptions options = bleu_options(config);
    if (row.contains("expected_counts")) {
      const auto hyps = row.at("hyps").get<std::vector<std::string>>();
      auto score = corpus_bleu(hyps, ref_streams(row), options);
      ++tally.total;
      if (!score.ok()) {
        ADD_FAILURE() << id << ": " << score.status().message();
        continue;
      }
      const auto counts = row.at("expected_counts").get<std::vector<double>>();
      const auto totals = row.at("expected_totals").get<std::vector<double>>();
      if (score->counts == counts && score->totals == totals) {
        ++tally.passed;
      } else {
        ADD_FAILURE() << id << ": n-gram statistics differ";
      }
    } else if (api == "BLEU.compute_bleu") {
      const Json& stats = row.at("stats");
      BleuStats s;
      s.correct = stats.at("correct").get<std::vector<double>>();
      s.total = stats.at("total").get<std::vector<double>>();
      s.sys_len = stats.at("sys_len").get<int64_t>();
      s.ref_len = stats.at("ref_len").get<int64_t>();
      expect_close(scaled(compute_bleu(s, options).score, row), row, tally);
    } else {
      Result<BleuScore> score = Status::internal("unset");
      if (api == "sentence_bleu") {
        const auto refs = row.at("refs_for_sentence").get<std::vector<std::string>>();
        score = sentence_bleu(row.at("hyp").get<std::string>(), refs, options);
      } else {
        const auto hyps = row.at("hyps").get<std::vector<std::string>>();
        score = corpus_bleu(hyps, ref_streams(row), options);
      }
      if (!score.ok()) {
        ++tally.total;
        ADD_FAILURE() << id << ": " << score.status().message();
        continue;
      }
      expect_close(scaled(score->score, row), row, tally);
    }
  }
  return tally;
}

/// Checks every chrF row (corpus_chrf, sentence_chrf).
inline Tally run_chrf_rows(const std::vector<Json>& rows) {
  Tally tally;
  for (const auto& row : rows) {
    const std::string id = row.at("id");
    const Json& config = row.at("config");
    ChrfOptions o;
    o.char_order = get_or<int>(config, "char_order", 6);
    o.word_order = get_or<int>(config, "word_order", 0);
    o.beta = get_or<double>(config, "beta", 2);
    o.eps_smoothing = get_or<bool>(config, "eps_smoothing", false);
    o.whitespace = !get_or<bool>(config, "remove_whitespace", true);
    o.lowercase = get_or<bool>(config, "lowercase", false);
    Result<ChrfScore> score = Status::internal("unset");
    if (config.at("api") == "sentence_chrf") {
      const auto refs = row.at("refs_for_sentence").get<std::vector<std::string>>();
      score = sentence_chrf(row.at("hyp").get<std::string>(), refs, o);
    } else {
      const auto hyps = row.at("hyps").get<std::vector<std::string>>();
      score = corpus_chrf(hyps, ref_streams(row), o);
    }
    if (!score.ok()) {
      ++tally.total;
      ADD_FAILURE() << id << ": " << score.status().message();
      continue;
    }
    expect_close(scaled(score->score, row), row, tally);
  }
  return tally;
}

/// Checks every TER row (TER().corpus_score).
inline Tally run_ter_rows(const std::vector<Json>& rows) {
  Tally tally;
  for (const auto& row : rows) {
    const Json& config = row.at("config");
    TerOptions o;
    o.normalized = get_or<bool>(config, "normalized", false);
    o.no_punct = get_or<bool>(config, "no_punct", false);
    o.case_sensitive = get_or<bool>(config, "case_sensitive", false);
    const auto hyps = row.at("hyps").get<std::vector<std::string>>();
    auto score = corpus_ter(hyps, ref_streams(row), o);
    if (get_or<bool>(config, "asian_support", false) || !score.ok()) {
      ++tally.total;
      ADD_FAILURE() << row.at("id") << ": unsupported or failed";
      continue;
    }
    expect_close(scaled(score->score, row), row, tally);
  }
  return tally;
}

/// Checks every ROUGE row (score(target, prediction) for one rouge_type).
inline Tally run_rouge_rows(const std::vector<Json>& rows) {
  Tally tally;
  for (const auto& row : rows) {
    const std::string id = row.at("id");
    RougeOptions o;
    o.use_stemmer = row.at("use_stemmer").get<bool>();
    if (row.value("tokenizer", std::string("rouge_score")) == "unicode") o.tokenizer = RougeTokenizer::kUnicode;
    // rouge-score's argument order: score(target, prediction).
    auto prf = rouge_score(row.at("rouge_type").get<std::string>(), row.at("target").get<std::string>(),
                           row.at("prediction").get<std::string>(), o);
    ++tally.total;
    if (!prf.ok()) {
      ADD_FAILURE() << id << ": " << prf.status().message();
      continue;
    }
    const Json& expected = row.at("expected");
    const double tolerance = row.at("tolerance").get<double>();
    const bool ok = std::fabs(prf->precision - expected.at("precision").get<double>()) <= tolerance &&
                    std::fabs(prf->recall - expected.at("recall").get<double>()) <= tolerance &&
                    std::fabs(prf->fmeasure - expected.at("fmeasure").get<double>()) <= tolerance;
    if (ok) {
      ++tally.passed;
    } else {
      ADD_FAILURE() << id << ": got P=" << prf->precision << " R=" << prf->recall
                    << " F=" << prf->fmeasure << " expected " << expected.dump();
    }
  }
  return tally;
}

}  // namespace atiende::eval::testing
