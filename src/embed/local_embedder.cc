#include "embed/local_embedder.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <mutex>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "text/analyzer.h"
#include "text/utf8.h"

namespace atiende::embed {
namespace {

uint64_t hash64(std::string_view s, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ seed;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  // Final avalanche (splitmix64) so that low bits are well mixed.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

/// Knowledge read from a MyThes thesaurus: how general each word is, and its synonyms. Keys and
/// values are analyzer terms (stemmed, folded).
struct Thesaurus {
  std::unordered_map<std::string, uint32_t> senses;  ///< term -> synonym sets it appears in
  std::unordered_map<std::string, std::vector<std::string>> synonyms;
};

std::string latin1_to_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (unsigned char c : s) text::append_utf8(out, c);
  return out;
}

/// Loads `path` (ISO8859-1 or UTF-8, as its first line says). Missing file -> nullptr.
std::shared_ptr<const Thesaurus> load_thesaurus(const std::string& path,
                                                const text::Analyzer& analyzer) {
  if (path.empty()) return nullptr;
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string data = buffer.str();
  const size_t first_nl = data.find('\n');
  if (first_nl == std::string::npos) return nullptr;
  const std::string encoding = data.substr(0, first_nl);
  if (encoding.find("8859-1") != std::string::npos) data = latin1_to_utf8(data);
  auto thes = std::make_shared<Thesaurus>();
  std::istringstream lines(data);
  std::string line;
  std::getline(lines, line);  // encoding
  std::string head_term;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    const bool meaning = line[0] == '-' || line[0] == '(';
    std::vector<std::string> parts;
    size_t pos = 0;
    while (pos <= line.size()) {
      size_t bar = line.find('|', pos);
      if (bar == std::string::npos) bar = line.size();
      parts.push_back(line.substr(pos, bar - pos));
      pos = bar + 1;
    }
    if (!meaning) {
      head_term = parts.empty() || parts[0].find(' ') != std::string::npos
                      ? std::string()
                      : analyzer.term_of_word(parts[0]);
      continue;
    }
    std::vector<std::string> terms;
    for (size_t i = 1; i < parts.size(); ++i) {
      const std::string& w = parts[i];
      if (w.empty() || w.find(' ') != std::string::npos || w.find('(') != std::string::npos) {
        continue;
      }
      std::string t = analyzer.term_of_word(w);
      if (!t.empty() && t != head_term) terms.push_back(std::move(t));
    }
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    for (const auto& t : terms) ++thes->senses[t];
    if (!head_term.empty()) {
      ++thes->senses[head_term];
      auto& syn = thes->synonyms[head_term];
      for (const auto& t : terms) {
        if (syn.size() < 8 && std::find(syn.begin(), syn.end(), t) == syn.end()) syn.push_back(t);
      }
    }
  }
  return thes;
}

class LocalEmbedder final : public Embedder {
 public:
  LocalEmbedder(LocalEmbedderOptions options, std::shared_ptr<const Thesaurus> thesaurus,
                std::shared_ptr<const LocalIdf> idf)
      : opt_(std::move(options)),
        analyzer_(text::Analyzer::for_language(opt_.language)),
        thesaurus_(std::move(thesaurus)),
        idf_(std::move(idf)) {
    std::ostringstream digest;
    digest << opt_.dimension << '/' << opt_.word_weight << '/' << opt_.char_weight << '/'
           << opt_.bigram_weight << '/' << opt_.char_ngram_min << '/' << opt_.char_ngram_max
           << '/' << opt_.synonym_weight << '/' << opt_.language << '/' << (thesaurus_ != nullptr)
           << '/' << (idf_ ? idf_->digest : 0);
    char hex[9];
    std::snprintf(hex, sizeof(hex), "%08x",
                  static_cast<unsigned>(hash64(digest.str(), 0) & 0xffffffffu));
    name_ = "local-hash-v1-d" + std::to_string(opt_.dimension) + (thesaurus_ ? "-thes" : "") +
            (idf_ ? "-idf" : "") +
            "-" + hex;
  }

  size_t dimension() const override { return opt_.dimension; }
  std::string name() const override { return name_; }

  /// Feature hashes of one text with their (weighted) counts. Used by fit_local_idf too.
  void features_of(std::string_view text, std::unordered_map<uint64_t, float>& features) const {
    collect(text, EmbedRole::kPassage, features);
  }


  Result<std::vector<Vector>> embed(std::span<const std::string> texts,
                                    EmbedRole role) const override {
    std::vector<Vector> out;
    out.reserve(texts.size());
    std::unordered_map<uint64_t, float> features;
    for (const std::string& t : texts) {
      features.clear();
      collect(t, role, features);
      out.push_back(project(features));
    }
    return out;
  }

 private:
  /// Generality prior from the thesaurus: 1 for unknown words, lower for words in many sets.
  float word_prior(const std::string& term) const {
    if (!thesaurus_) return 1.0f;
    auto it = thesaurus_->senses.find(term);
    if (it == thesaurus_->senses.end()) return 1.0f;
    return 1.0f / (1.0f + 0.25f * std::log1p(static_cast<float>(it->second)));
  }

  void collect(std::string_view text, EmbedRole role,
               std::unordered_map<uint64_t, float>& features) const {
    const std::vector<text::Token> tokens = analyzer_.analyze(text);
    std::string folded;
    std::string padded;
    std::vector<size_t> starts;
    const text::Token* prev = nullptr;
    for (const text::Token& tok : tokens) {
      const float prior = word_prior(tok.term);
      features[hash64(tok.term, 1)] += static_cast<float>(opt_.word_weight) * prior;
      if (opt_.bigram_weight > 0 && prev && tok.kind != text::TokenKind::kCompound &&
          tok.position - prev->position <= 2) {
        features[hash64(prev->term + ' ' + tok.term, 2)] +=
            static_cast<float>(opt_.bigram_weight) * prior;
      }
      if (tok.kind != text::TokenKind::kCompound) prev = &tok;
      if (opt_.synonym_weight > 0 && thesaurus_ && role == EmbedRole::kQuery) {
        auto it = thesaurus_->synonyms.find(tok.term);
        if (it != thesaurus_->synonyms.end() && !it->second.empty()) {
          const float w = static_cast<float>(opt_.synonym_weight) /
                          static_cast<float>(it->second.size());
          for (const auto& syn : it->second) features[hash64(syn, 1)] += w;
        }
      }
      if (opt_.char_weight <= 0 || tok.kind != text::TokenKind::kWord) continue;
      folded = text::fold(text.substr(tok.start_byte, tok.end_byte - tok.start_byte));
      padded = "<" + folded + ">";
      starts.clear();
      for (size_t pos = 0; pos < padded.size();) {
        starts.push_back(pos);
        text::decode_utf8(padded, pos);
      }
      starts.push_back(padded.size());
      const size_t cps = starts.size() - 1;
      size_t grams = 0;
      for (int n = opt_.char_ngram_min; n <= opt_.char_ngram_max; ++n) {
        if (cps >= static_cast<size_t>(n)) grams += cps - static_cast<size_t>(n) + 1;
      }
      if (grams == 0) continue;
      // A word's n-grams share its char weight, so long words do not dominate.
      const float w = static_cast<float>(opt_.char_weight) * prior /
                      std::sqrt(static_cast<float>(grams));
      for (int n = opt_.char_ngram_min; n <= opt_.char_ngram_max; ++n) {
        for (size_t i = 0; i + static_cast<size_t>(n) < starts.size(); ++i) {
          const std::string_view gram(padded.data() + starts[i],
                                      starts[i + static_cast<size_t>(n)] - starts[i]);
          features[hash64(gram, 3 + static_cast<uint64_t>(n))] += w;
        }
      }
    }
  }

  Vector project(const std::unordered_map<uint64_t, float>& features) const {
    Vector v(opt_.dimension, 0.0f);
    for (const auto& [h, tf] : features) {
      // Sub-linear frequency: 1 + ln(count) for counts >= 1, linear below (fractional weights).
      float value = tf >= 1.0f ? 1.0f + std::log(tf) : tf;
      if (idf_) {
        auto it = idf_->df.find(h);
        const double df = it == idf_->df.end() ? 1.0 : it->second;
        value *= static_cast<float>(std::log((idf_->documents + 1.0) / (df + 0.5)));
      }
      const size_t idx = static_cast<size_t>(h % opt_.dimension);
      v[idx] += (h >> 63) ? -value : value;
    }
    double norm = 0;
    for (float x : v) norm += static_cast<double>(x) * x;
    if (norm > 0) {
      const auto inv = static_cast<float>(1.0 / std::sqrt(norm));
      for (float& x : v) x *= inv;
    }
    return v;
  }

  LocalEmbedderOptions opt_;
  const text::Analyzer& analyzer_;
  std::shared_ptr<const Thesaurus> thesaurus_;
  std::shared_ptr<const LocalIdf> idf_;
  std::string name_;
};

std::shared_ptr<const Thesaurus> shared_thesaurus(const LocalEmbedderOptions& options) {
  // The thesaurus is parsed once per path and shared (it takes ~0.5 s).
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const Thesaurus>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(options.thesaurus_path);
  if (it != cache.end()) return it->second;
  auto thes = load_thesaurus(options.thesaurus_path, text::Analyzer::for_language(options.language));
  cache.emplace(options.thesaurus_path, thes);
  return thes;
}

}  // namespace

Result<LocalEmbedderOptions> local_embedder_options_from_config(const Config& config) {
  LocalEmbedderOptions o;
  int64_t dim = 0, nmin = 0, nmax = 0;
  ATIENDE_ASSIGN_OR_RETURN(dim, config.get_int("embed.local_dim", static_cast<int64_t>(o.dimension)));
  ATIENDE_ASSIGN_OR_RETURN(o.word_weight, config.get_double("embed.local_word_weight", o.word_weight));
  ATIENDE_ASSIGN_OR_RETURN(o.char_weight, config.get_double("embed.local_char_weight", o.char_weight));
  ATIENDE_ASSIGN_OR_RETURN(o.bigram_weight,
                           config.get_double("embed.local_bigram_weight", o.bigram_weight));
  ATIENDE_ASSIGN_OR_RETURN(nmin, config.get_int("embed.local_char_ngram_min", o.char_ngram_min));
  ATIENDE_ASSIGN_OR_RETURN(nmax, config.get_int("embed.local_char_ngram_max", o.char_ngram_max));
  ATIENDE_ASSIGN_OR_RETURN(o.thesaurus_path,
                           config.get_string("embed.local_thesaurus", o.thesaurus_path));
  ATIENDE_ASSIGN_OR_RETURN(o.synonym_weight,
                           config.get_double("embed.local_synonym_weight", o.synonym_weight));
  if (dim < 64 || dim > 8192) return Status::invalid_argument("embed.local_dim must be 64..8192");
  if (nmin < 1 || nmax < nmin || nmax > 8) {
    return Status::invalid_argument(
        "embed.local_char_ngram_min/max must satisfy 1 <= min <= max <= 8");
  }
  if (o.word_weight < 0 || o.char_weight < 0 || o.bigram_weight < 0 || o.synonym_weight < 0) {
    return Status::invalid_argument("embed.local_*_weight values must be >= 0");
  }
  o.dimension = static_cast<size_t>(dim);
  o.char_ngram_min = static_cast<int>(nmin);
  o.char_ngram_max = static_cast<int>(nmax);
  return o;
}

Result<std::unique_ptr<Embedder>> make_local_embedder(const LocalEmbedderOptions& options,
                                                      std::shared_ptr<const LocalIdf> idf) {
  return std::unique_ptr<Embedder>(
      std::make_unique<LocalEmbedder>(options, shared_thesaurus(options), std::move(idf)));
}

std::shared_ptr<const LocalIdf> fit_local_idf(const LocalEmbedderOptions& options,
                                              std::span<const std::string> passages) {
  LocalEmbedder embedder(options, shared_thesaurus(options), nullptr);
  auto idf = std::make_shared<LocalIdf>();
  std::unordered_map<uint64_t, float> features;
  for (const std::string& p : passages) {
    features.clear();
    embedder.features_of(p, features);
    for (const auto& [h, count] : features) ++idf->df[h];
  }
  idf->documents = passages.size();
  // Features seen once carry no more information than unseen ones: drop them to save memory.
  for (auto it = idf->df.begin(); it != idf->df.end();) {
    it = it->second <= 1 ? idf->df.erase(it) : std::next(it);
  }
  uint64_t digest = idf->documents * 0x9E3779B97F4A7C15ULL;
  for (const auto& [h, df] : idf->df) digest ^= h * (df + 1);  // order-independent
  idf->digest = digest;
  return idf;
}

Result<std::unique_ptr<Embedder>> make_local_embedder(const Config& config) {
  ATIENDE_ASSIGN_OR_RETURN(LocalEmbedderOptions options,
                           local_embedder_options_from_config(config));
  return make_local_embedder(options, nullptr);
}

}  // namespace atiende::embed
