#pragma once
/// The embedded default Embedder: needs no model and no download.
///
/// A text becomes a bag of lexical features, each hashed (signed feature hashing) into a fixed
/// dimension and the vector L2-normalized:
///   - word terms from text::Analyzer (casefold, Snowball stem, accent fold, stopwords removed);
///   - accent-folded character n-grams of each content word (n = char_ngram_min..max, with word
///     boundary marks), so that morphological variants the stemmer misses still overlap
///     ("independizó" / "independencia");
///   - bigrams of adjacent word terms (a little word order);
///   - optionally, thesaurus knowledge read at run time from the installed MyThes file
///     (/usr/share/mythes/th_es_ES_v2.dat, Debian package mythes-es; never copied into the repo):
///     a word that appears in many synonym sets is a general word and weighs less (an IDF prior
///     that needs no corpus), and synonyms of query words are added with a small weight.
/// Term frequencies are sub-linear (1 + ln tf). Inner product of two vectors is their cosine.

#include <memory>
#include <span>
#include <string>
#include <unordered_map>

#include "common/config.h"
#include "common/status.h"
#include "embed/embedder.h"

namespace atiende::embed {

/// Config keys (all optional):
///   embed.local_dim            (default 512)  vector dimension, 64..8192
///   embed.local_word_weight    (default 1.0)  weight of word-term features
///   embed.local_char_weight    (default 1.0)  total weight of a word's character n-grams
///   embed.local_bigram_weight  (default 0.5)  weight of word bigrams
///   embed.local_char_ngram_min (default 4), embed.local_char_ngram_max (default 5)
///   embed.local_thesaurus      (default "/usr/share/mythes/th_es_ES_v2.dat"; "" = off; a
///                               missing file silently turns the thesaurus off)
///   embed.local_synonym_weight (default 0.0)  weight of thesaurus synonyms (0 = no expansion)
struct LocalEmbedderOptions {
  size_t dimension = 512;
  double word_weight = 1.0;
  double char_weight = 1.0;
  double bigram_weight = 0.5;
  int char_ngram_min = 4;
  int char_ngram_max = 5;
  std::string thesaurus_path = "/usr/share/mythes/th_es_ES_v2.dat";
  double synonym_weight = 0.0;
  std::string language = "es";  ///< analyzer language for texts (es/en)
};

/// Corpus statistics that make the local embedder IDF-weighted: document frequency of each
/// hashed feature over the passages it was fitted on. Immutable once built; share freely.
struct LocalIdf {
  uint64_t documents = 0;
  std::unordered_map<uint64_t, uint32_t> df;  ///< feature hash -> passages containing it (>= 2)
  uint64_t digest = 0;                        ///< identifies the table in name()
};

/// Fits document frequencies over `passages` (e.g. every chunk at reindex time). O(total text).
std::shared_ptr<const LocalIdf> fit_local_idf(const LocalEmbedderOptions& options,
                                              std::span<const std::string> passages);

/// Reads the keys above; bad values are invalid_argument naming the key.
Result<LocalEmbedderOptions> local_embedder_options_from_config(const Config& config);

/// Builds the embedder. name() is "local-hash-v1-d<dim>[-thes]" plus a digest of the options, so
/// that any change of options or thesaurus use triggers a vector rebuild. Thread-safe.
/// `idf` may be null (no corpus statistics: every feature weighs the same).
Result<std::unique_ptr<Embedder>> make_local_embedder(const LocalEmbedderOptions& options,
                                                      std::shared_ptr<const LocalIdf> idf);
Result<std::unique_ptr<Embedder>> make_local_embedder(const Config& config);

}  // namespace atiende::embed
