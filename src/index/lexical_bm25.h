#pragma once
/// The in-memory BM25F LexicalIndex: title and body fields with their own weights and length
/// normalization, analyzed by text::Analyzer in each chunk's language.

#include <memory>
#include <string>

#include "common/config.h"
#include "common/status.h"
#include "index/lexical_index.h"

namespace atiende::index {

/// Ranking parameters. Config keys (documented in docs/CONFIG.md when present):
///   index.bm25_k1      (default 1.2)  term-frequency saturation
///   index.bm25_b       (default 0.75) body length normalization, 0..1
///   index.title_weight (default 2.0)  how much one title occurrence counts vs one body occurrence
///   index.bm25_title_b (default 0.5)  title length normalization, 0..1
///   index.bm25_language (default "es") analyzer used for queries and for chunks without language
struct Bm25Options {
  double k1 = 1.2;
  double b = 0.75;
  double title_weight = 2.0;
  double title_b = 0.5;
  std::string default_language = "es";
};

/// Reads the keys above; a bad value (wrong type, k1 < 0, b outside [0,1], weight < 0) is an
/// invalid_argument naming the key.
Result<Bm25Options> bm25_options_from_config(const Config& config);

/// A new empty index. Thread-safety: search() may run concurrently with other search() calls;
/// upsert/remove/load need exclusive access (the caller holds a writer lock).
std::unique_ptr<LexicalIndex> make_bm25_index(const Bm25Options& options);

}  // namespace atiende::index
