#pragma once
/// Semantic similarity, BERTScore-style, against the embed::Embedder interface.
///
/// With token vectors (a TokenEmbedFn is given): greedy matching as in BERTScore without idf
/// weighting or baseline rescaling. Precision = mean over hypothesis tokens of the best cosine with
/// any reference token, recall = the same from the reference side, F1 = 2PR/(P+R).
/// Without token vectors: one vector per text, and precision = recall = F1 = cosine.
/// With several references the one with the best F1 wins. The result says which method was used.
/// Scores are cosines (normally 0–1, can be negative). Thread-safe if the embedder is.

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "embed/embedder.h"

namespace atiende::eval {

/// Token vectors for each text, in token order: result[i][t] is the vector of token t of text i.
/// An embedder that can give them is wired in by the caller (app), e.g. from a contextual model.
using TokenEmbedFn = std::function<Result<std::vector<std::vector<embed::Vector>>>(
    std::span<const std::string> texts)>;

enum class SemanticMethod { kTokenGreedy, kSentenceCosine };

/// "token_greedy" or "sentence_cosine".
std::string_view semantic_method_name(SemanticMethod method);

struct SemanticScore {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

struct SemanticResult {
  SemanticMethod method = SemanticMethod::kSentenceCosine;
  std::string embedder;              ///< Embedder::name()
  SemanticScore corpus;              ///< mean over segments of P, R and F1
  std::vector<SemanticScore> lines;  ///< one per hypothesis
};

/// Scores `hyps[i]` against `ref_streams[k][i]`. Uses `token_embed` when it is set, otherwise
/// sentence vectors from `embedder`. Errors: misaligned streams, embedder failures, vectors of
/// the wrong count or mismatched dimensions.
Result<SemanticResult> semantic_similarity(std::span<const std::string> hyps,
                                           std::span<const std::vector<std::string>> ref_streams,
                                           const embed::Embedder& embedder,
                                           const TokenEmbedFn& token_embed = {});

/// Token vectors from a sentence embedder: each text is split into Unicode words (letters, marks,
/// digits; lower-cased) and every word is embedded on its own; words that embed to the zero vector
/// (stopwords for the local embedder) are left out. Non-contextual, but it lets any
/// Embedder drive the greedy matching (soft unigram matching). The embedder must outlive the fn.
TokenEmbedFn word_vectors_from(const embed::Embedder& embedder);

/// Greedy matching of two token-vector sets (exposed for tests). Empty sets give zeros.
SemanticScore greedy_match(const std::vector<embed::Vector>& hyp, const std::vector<embed::Vector>& ref);

/// Cosine of two vectors (0 when either is all zeros or their sizes differ).
double cosine(const embed::Vector& a, const embed::Vector& b);

/// A signature like "method:sentence_cosine|embedder:<name>|nrefs:1".
std::string semantic_signature(const SemanticResult& result, int nrefs);

}  // namespace atiende::eval
