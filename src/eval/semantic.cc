#include "eval/semantic.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "eval/rouge.h"

namespace atiende::eval {

std::string_view semantic_method_name(SemanticMethod method) {
  return method == SemanticMethod::kTokenGreedy ? "token_greedy" : "sentence_cosine";
}

double cosine(const embed::Vector& a, const embed::Vector& b) {
  if (a.size() != b.size() || a.empty()) return 0.0;
  double dot = 0;
  double na = 0;
  double nb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += static_cast<double>(a[i]) * b[i];
    na += static_cast<double>(a[i]) * a[i];
    nb += static_cast<double>(b[i]) * b[i];
  }
  if (na == 0 || nb == 0) return 0.0;
  return dot / (std::sqrt(na) * std::sqrt(nb));
}

SemanticScore greedy_match(const std::vector<embed::Vector>& hyp, const std::vector<embed::Vector>& ref) {
  SemanticScore s;
  if (hyp.empty() || ref.empty()) return s;
  std::vector<std::vector<double>> sim(hyp.size(), std::vector<double>(ref.size()));
  for (size_t i = 0; i < hyp.size(); ++i) {
    for (size_t j = 0; j < ref.size(); ++j) sim[i][j] = cosine(hyp[i], ref[j]);
  }
  double p = 0;
  for (size_t i = 0; i < hyp.size(); ++i) p += *std::max_element(sim[i].begin(), sim[i].end());
  double r = 0;
  for (size_t j = 0; j < ref.size(); ++j) {
    double best = -std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < hyp.size(); ++i) best = std::max(best, sim[i][j]);
    r += best;
  }
  s.precision = p / static_cast<double>(hyp.size());
  s.recall = r / static_cast<double>(ref.size());
  s.f1 = s.precision + s.recall != 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
  return s;
}

namespace {

Status check_dims(const std::vector<embed::Vector>& vectors, size_t& dim) {
  for (const auto& v : vectors) {
    if (v.empty()) continue;
    if (dim == 0) dim = v.size();
    if (v.size() != dim) {
      return Status::internal("embedder returned vectors of different dimensions (" +
                              std::to_string(dim) + " and " + std::to_string(v.size()) + ")");
    }
  }
  return {};
}

}  // namespace

Result<SemanticResult> semantic_similarity(std::span<const std::string> hyps,
                                           std::span<const std::vector<std::string>> ref_streams,
                                           const embed::Embedder& embedder,
                                           const TokenEmbedFn& token_embed) {
  if (ref_streams.empty()) return Status::invalid_argument("semantic similarity needs a reference");
  for (size_t k = 0; k < ref_streams.size(); ++k) {
    if (ref_streams[k].size() != hyps.size()) {
      return Status::invalid_argument(
          "reference stream " + std::to_string(k + 1) + " has " +
          std::to_string(ref_streams[k].size()) + " lines but there are " +
          std::to_string(hyps.size()) + " hypotheses");
    }
  }
  SemanticResult result;
  result.embedder = embedder.name();
  result.method = token_embed ? SemanticMethod::kTokenGreedy : SemanticMethod::kSentenceCosine;

  // All texts in one batch: hyps first, then each reference stream.
  std::vector<std::string> texts(hyps.begin(), hyps.end());
  for (const auto& stream : ref_streams) texts.insert(texts.end(), stream.begin(), stream.end());

  std::vector<std::vector<embed::Vector>> token_vectors;
  if (token_embed) {
    ATIENDE_ASSIGN_OR_RETURN(token_vectors, token_embed(texts));
  } else {
    ATIENDE_ASSIGN_OR_RETURN(auto vectors, embedder.embed(texts, embed::EmbedRole::kPassage));
    token_vectors.reserve(vectors.size());
    for (auto& v : vectors) token_vectors.push_back({std::move(v)});
  }
  if (token_vectors.size() != texts.size()) {
    return Status::internal("embedder returned " + std::to_string(token_vectors.size()) +
                            " results for " + std::to_string(texts.size()) + " texts");
  }
  size_t dim = 0;
  for (const auto& set : token_vectors) ATIENDE_RETURN_IF_ERROR(check_dims(set, dim));

  const size_t n = hyps.size();
  for (size_t i = 0; i < n; ++i) {
    SemanticScore best;
    bool first = true;
    for (size_t k = 0; k < ref_streams.size(); ++k) {
      const auto& ref = token_vectors[n * (k + 1) + i];
      SemanticScore s = greedy_match(token_vectors[i], ref);
      if (first || s.f1 > best.f1) best = s;
      first = false;
    }
    result.corpus.precision += best.precision;
    result.corpus.recall += best.recall;
    result.corpus.f1 += best.f1;
    result.lines.push_back(best);
  }
  if (n > 0) {
    result.corpus.precision /= static_cast<double>(n);
    result.corpus.recall /= static_cast<double>(n);
    result.corpus.f1 /= static_cast<double>(n);
  }
  return result;
}

TokenEmbedFn word_vectors_from(const embed::Embedder& embedder) {
  return [&embedder](std::span<const std::string> texts)
             -> Result<std::vector<std::vector<embed::Vector>>> {
    RougeOptions words;
    words.tokenizer = RougeTokenizer::kUnicode;
    std::vector<std::vector<std::string>> tokens;
    std::vector<std::string> vocabulary;
    std::unordered_map<std::string, size_t> index;
    for (const auto& text : texts) {
      ATIENDE_ASSIGN_OR_RETURN(auto t, rouge_tokenize(text, words));
      for (const auto& w : t) {
        if (index.try_emplace(w, vocabulary.size()).second) vocabulary.push_back(w);
      }
      tokens.push_back(std::move(t));
    }
    std::vector<embed::Vector> vectors;
    if (!vocabulary.empty()) {
      ATIENDE_ASSIGN_OR_RETURN(vectors, embedder.embed(vocabulary, embed::EmbedRole::kPassage));
      if (vectors.size() != vocabulary.size()) {
        return Status::internal("embedder returned " + std::to_string(vectors.size()) +
                                " vectors for " + std::to_string(vocabulary.size()) + " words");
      }
    }
    std::vector<std::vector<embed::Vector>> out;
    out.reserve(tokens.size());
    for (const auto& t : tokens) {
      std::vector<embed::Vector> set;
      set.reserve(t.size());
      for (const auto& w : t) {
        // Words the embedder maps to nothing (stopwords) carry no meaning: skip them, as
        // BERTScore's idf weighting nearly does.
        const auto& v = vectors[index.at(w)];
        if (std::any_of(v.begin(), v.end(), [](float x) { return x != 0.0f; })) set.push_back(v);
      }
      out.push_back(std::move(set));
    }
    return out;
  };
}

std::string semantic_signature(const SemanticResult& result, int nrefs) {
  return "nrefs:" + std::to_string(nrefs) + "|method:" +
         std::string(semantic_method_name(result.method)) + "|embedder:" + result.embedder;
}

}  // namespace atiende::eval
