#pragma once
/// The in-memory BM25F LexicalIndex: title and body fields with their own weights and length
/// normalization, analyzed by text::Analyzer in each chunk's language, plus optional adjacent-term
/// bigrams (a cheap proximity signal).

#include <memory>
#include <string>

#include "common/config.h"
#include "common/status.h"
#include "index/lexical_index.h"

namespace atiende::index {

/// Ranking parameters. Config keys:
///   index.bm25_k1            (default 1.2)  term-frequency saturation, >= 0
///   index.bm25_b             (default 0.75) body length normalization, 0..1
///   index.title_weight       (default 2.0)  one title occurrence counts as this many body ones
///   index.bm25_title_b       (default 0.5)  title length normalization, 0..1
///   index.bm25_bigram_weight (default 0.3)  weight of adjacent-term bigram matches (0 = off,
///                                           no bigram postings are stored)
///   index.bm25_language      (default "es") analyzer for queries whose language is unclear and
///                                           for chunks without a language
struct Bm25Options {
  double k1 = 1.2;
  double b = 0.75;
  double title_weight = 2.0;
  double title_b = 0.5;
  double bigram_weight = 0.3;
  std::string default_language = "es";
  /// Exact dynamic pruning (MaxScore): the same hits, scores and tie order as scoring every
  /// posting, several times faster for queries with common terms. false = score every
  /// posting (the reference the tests and bench_lexical_speed --exhaustive compare against).
  /// Not a config key.
  bool dynamic_pruning = true;
};

/// Reads the keys above; a bad value (wrong type, k1 < 0, b outside [0,1], weight < 0, language
/// not es/en) is an invalid_argument naming the key.
Result<Bm25Options> bm25_options_from_config(const Config& config);

/// A new empty index. Thread-safety: search(), size(), check_integrity() and save() may run
/// concurrently with each other; upsert/remove/load need exclusive access (the caller holds a
/// writer lock).
std::unique_ptr<LexicalIndex> make_bm25_index(const Bm25Options& options);

}  // namespace atiende::index
