// BM25 index maintenance: upsert/remove, score bounds, integrity, save/load, options.
#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "common/files.h"
#include "common/json.h"
#include "index/lexical_bm25.h"
#include "index/lexical_bm25_internal.h"

namespace atiende::index::bm25_detail {
namespace {

constexpr char kMagic[8] = {'A', 'T', 'B', 'M', '2', '5', '\0', '\1'};
constexpr uint32_t kFormatVersion = 1;

uint64_t fnv1a(std::string_view data) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// ---------------------------------------------------------------- binary I/O

class Writer {
 public:
  template <typename T>
  void pod(T v) {
    out_.append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  void str(std::string_view s) {
    pod<uint32_t>(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <typename T>
  bool pod(T& v) {
    if (in_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(&v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool str(std::string& s) {
    uint32_t n = 0;
    if (!pod(n) || in_.size() - pos_ < n) return false;
    s.assign(in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

std::vector<std::pair<std::string, std::string>> flatten_metadata(const std::string& json_text) {
  std::vector<std::pair<std::string, std::string>> out;
  if (json_text.empty() || json_text == "{}") return out;
  auto parsed = parse_json(json_text);
  if (!parsed.ok() || !parsed->is_object()) return out;
  for (auto it = parsed->begin(); it != parsed->end(); ++it) {
    out.emplace_back(it.key(), it->is_string() ? it->get<std::string>() : dump_json(*it));
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------- maintenance

const text::Analyzer& Bm25Index::analyzer_for(std::string_view language) const {
  if (language == "en" || language == "es") return text::Analyzer::for_language(language);
  return text::Analyzer::for_language(opt_.default_language);
}

uint32_t Bm25Index::intern(std::string_view term) {
  auto it = term_ids_.find(term);
  if (it != term_ids_.end()) return it->second;
  const auto id = static_cast<uint32_t>(term_strings_.size());
  term_strings_.emplace_back(term);
  term_ids_.emplace(std::string(term), id);
  postings_.emplace_back();
  max_tfn_.push_back(0.0f);
  return id;
}

void Bm25Index::field_terms(const text::Analyzer& analyzer, std::string_view text,
                            std::vector<std::string>& unigrams,
                            std::vector<std::string>& bigrams) const {
  const std::vector<text::Token> tokens = analyzer.analyze(text);
  const text::Token* prev = nullptr;
  for (const text::Token& t : tokens) {
    unigrams.push_back(t.term);
    if (t.kind == text::TokenKind::kCompound) continue;
    if (opt_.bigram_weight > 0 && prev && t.position - prev->position <= 2) {
      bigrams.push_back(prev->term + kBigramSeparator + t.term);
    }
    prev = &t;
  }
}

Status Bm25Index::upsert(std::span<const store::Chunk> chunks) {
  for (const store::Chunk& c : chunks) {
    remove_one(c.id);
    add_one(c);
  }
  maybe_rebuild_bounds();
  return {};
}

Status Bm25Index::remove(std::span<const int64_t> chunk_ids) {
  for (int64_t id : chunk_ids) remove_one(id);
  maybe_rebuild_bounds();
  return {};
}

void Bm25Index::add_one(const store::Chunk& c) {
  const text::Analyzer& analyzer = analyzer_for(c.language);
  std::vector<std::string> title_uni, title_bi, body_uni, body_bi;
  field_terms(analyzer, c.title, title_uni, title_bi);
  field_terms(analyzer, c.text, body_uni, body_bi);
  std::unordered_map<uint32_t, std::pair<uint32_t, uint32_t>> counts;
  for (const auto& t : title_uni) ++counts[intern(t)].first;
  for (const auto& t : title_bi) ++counts[intern(t)].first;
  for (const auto& t : body_uni) ++counts[intern(t)].second;
  for (const auto& t : body_bi) ++counts[intern(t)].second;

  const auto slot = static_cast<uint32_t>(docs_.size());
  DocInfo doc;
  doc.chunk_id = c.id;
  doc.live = true;
  doc.doc_id = c.doc_id;
  doc.type = c.type;
  doc.language = c.language;
  doc.metadata = flatten_metadata(c.metadata_json);
  doc.terms.reserve(counts.size());
  for (const auto& [term, tf] : counts) {
    doc.terms.push_back(TermCount{term, static_cast<uint16_t>(std::min<uint32_t>(tf.first, 65535)),
                                  static_cast<uint16_t>(std::min<uint32_t>(tf.second, 65535))});
  }
  std::sort(doc.terms.begin(), doc.terms.end(),
            [](const TermCount& a, const TermCount& b) { return a.term < b.term; });
  title_len_.push_back(static_cast<uint32_t>(title_uni.size()));
  body_len_.push_back(static_cast<uint32_t>(body_uni.size()));
  const Norms ref = reference_norms();
  for (const TermCount& tc : doc.terms) {
    postings_[tc.term].push_back(Posting{slot, tc.tf_title, tc.tf_body});
    raise_bound(tc.term, postings_[tc.term].back(), ref);
  }
  total_title_len_ += title_uni.size();
  total_body_len_ += body_uni.size();
  if (c.language == "en") ++english_docs_;
  docs_.push_back(std::move(doc));
  slot_of_[c.id] = slot;
  ++live_;
}

void Bm25Index::remove_one(int64_t chunk_id) {
  auto it = slot_of_.find(chunk_id);
  if (it == slot_of_.end()) return;
  const uint32_t slot = it->second;
  DocInfo& doc = docs_[slot];
  for (const TermCount& tc : doc.terms) {
    auto& list = postings_[tc.term];
    auto pos = std::lower_bound(list.begin(), list.end(), slot,
                                [](const Posting& p, uint32_t s) { return p.slot < s; });
    if (pos != list.end() && pos->slot == slot) list.erase(pos);
  }
  total_title_len_ -= title_len_[slot];
  total_body_len_ -= body_len_[slot];
  title_len_[slot] = 0;
  body_len_[slot] = 0;
  if (doc.language == "en") --english_docs_;
  doc = DocInfo{};
  slot_of_.erase(it);
  --live_;
  ++removed_since_rebuild_;
  maybe_compact();
}

void Bm25Index::maybe_compact() {
  if (docs_.size() < 1024 || live_ * 2 > docs_.size()) return;
  compact();
}

void Bm25Index::compact() {
  std::vector<uint32_t> new_slot(docs_.size(), UINT32_MAX);
  std::vector<DocInfo> docs;
  std::vector<uint32_t> title_len, body_len;
  docs.reserve(live_);
  for (uint32_t s = 0; s < docs_.size(); ++s) {
    if (!docs_[s].live) continue;
    new_slot[s] = static_cast<uint32_t>(docs.size());
    docs.push_back(std::move(docs_[s]));
    title_len.push_back(title_len_[s]);
    body_len.push_back(body_len_[s]);
  }
  for (auto& list : postings_) {
    for (Posting& p : list) p.slot = new_slot[p.slot];
  }
  docs_ = std::move(docs);
  title_len_ = std::move(title_len);
  body_len_ = std::move(body_len);
  slot_of_.clear();
  for (uint32_t s = 0; s < docs_.size(); ++s) slot_of_[docs_[s].chunk_id] = s;
  // Slots moved but every posting kept its place in its list and its field lengths, so the
  // bounds stay valid; they are only loose from the removals, which a rebuild tightens.
  rebuild_bounds();
}

bool Bm25Index::matches(const DocInfo& doc, const std::vector<CompiledCondition>& conds) const {
  for (const CompiledCondition& c : conds) {
    const std::string* value = nullptr;
    switch (c.kind) {
      case FieldKind::kType:
        value = &doc.type;
        break;
      case FieldKind::kLanguage:
        value = &doc.language;
        break;
      case FieldKind::kDocId:
        value = &doc.doc_id;
        break;
      case FieldKind::kMetadata:
        for (const auto& [key, v] : doc.metadata) {
          if (key == c.key) value = &v;
        }
        break;
    }
    if (!value) return false;
    if (std::find(c.values->begin(), c.values->end(), *value) == c.values->end()) return false;
  }
  return true;
}

// ---------------------------------------------------------------- score upper bounds

Norms Bm25Index::current_norms() const {
  Norms n;
  n.k1 = static_cast<float>(opt_.k1);
  n.b = static_cast<float>(opt_.b);
  n.title_b = static_cast<float>(opt_.title_b);
  n.title_weight = static_cast<float>(opt_.title_weight);
  const auto live = static_cast<double>(live_);
  n.inv_avg_body = total_body_len_ ? static_cast<float>(live / total_body_len_) : 0.0f;
  n.inv_avg_title = total_title_len_ ? static_cast<float>(live / total_title_len_) : 0.0f;
  n.body_len = body_len_.data();
  n.title_len = title_len_.data();
  return n;
}

Norms Bm25Index::reference_norms() const {
  Norms n = current_norms();
  n.inv_avg_body = ref_inv_avg_body_;
  n.inv_avg_title = ref_inv_avg_title_;
  return n;
}

void Bm25Index::rebuild_bounds() {
  const Norms now = current_norms();
  ref_inv_avg_body_ = now.inv_avg_body;
  ref_inv_avg_title_ = now.inv_avg_title;
  removed_since_rebuild_ = 0;
  max_tfn_.assign(postings_.size(), 0.0f);
  for (size_t t = 0; t < postings_.size(); ++t) {
    for (const Posting& p : postings_[t]) raise_bound(static_cast<uint32_t>(t), p, now);
  }
}

double Bm25Index::bound_drift() const {
  const Norms now = current_norms();
  double drift = 1.0;
  // A field with no tokens now has no postings counting it; a reference of 0 (empty field then)
  // over-estimates every later value, so neither can grow.
  if (now.inv_avg_body > 0 && ref_inv_avg_body_ > 0) {
    drift = std::max(drift, static_cast<double>(ref_inv_avg_body_) / now.inv_avg_body);
  }
  if (now.inv_avg_title > 0 && ref_inv_avg_title_ > 0) {
    drift = std::max(drift, static_cast<double>(ref_inv_avg_title_) / now.inv_avg_title);
  }
  return drift;
}

void Bm25Index::maybe_rebuild_bounds() {
  const Norms now = current_norms();
  auto stale = [](float ref, float cur) {
    if (cur == 0) return false;    // empty field: nothing to bound
    if (ref == 0) return true;     // bounds taken with an empty field are valid but useless
    const double ratio = static_cast<double>(ref) / cur;
    return ratio > 1.05 || ratio < 1 / 1.25;
  };
  if (stale(ref_inv_avg_body_, now.inv_avg_body) || stale(ref_inv_avg_title_, now.inv_avg_title) ||
      removed_since_rebuild_ > live_ / 4 + 64) {
    rebuild_bounds();
  }
}

Status Bm25Index::check_integrity() const {
  auto fail = [](const std::string& m) { return Status::data_loss("bm25 integrity: " + m); };
  if (title_len_.size() != docs_.size() || body_len_.size() != docs_.size()) {
    return fail("length arrays do not match the document table");
  }
  size_t live = 0;
  uint64_t title_total = 0, body_total = 0;
  std::vector<size_t> expected_df(postings_.size(), 0);
  for (uint32_t s = 0; s < docs_.size(); ++s) {
    const DocInfo& d = docs_[s];
    if (!d.live) {
      if (!d.terms.empty() || title_len_[s] || body_len_[s]) {
        return fail("dead slot " + std::to_string(s) + " still holds terms");
      }
      continue;
    }
    ++live;
    title_total += title_len_[s];
    body_total += body_len_[s];
    auto it = slot_of_.find(d.chunk_id);
    if (it == slot_of_.end() || it->second != s) {
      return fail("chunk " + std::to_string(d.chunk_id) + " is not mapped to its slot");
    }
    for (size_t i = 0; i < d.terms.size(); ++i) {
      const TermCount& tc = d.terms[i];
      if (i > 0 && d.terms[i - 1].term >= tc.term) return fail("forward terms not sorted");
      if (tc.term >= postings_.size()) return fail("term id out of range");
      ++expected_df[tc.term];
      const auto& list = postings_[tc.term];
      auto pos = std::lower_bound(list.begin(), list.end(), s,
                                  [](const Posting& p, uint32_t x) { return p.slot < x; });
      if (pos == list.end() || pos->slot != s || pos->tf_title != tc.tf_title ||
          pos->tf_body != tc.tf_body) {
        return fail("posting missing for chunk " + std::to_string(d.chunk_id) + " term '" +
                    term_strings_[tc.term] + "'");
      }
    }
  }
  if (live != live_ || slot_of_.size() != live_) return fail("live count mismatch");
  if (title_total != total_title_len_ || body_total != total_body_len_) {
    return fail("field length totals mismatch");
  }
  for (size_t t = 0; t < postings_.size(); ++t) {
    if (postings_[t].size() != expected_df[t]) {
      return fail("term '" + term_strings_[t] + "' has stale postings");
    }
    for (size_t i = 1; i < postings_[t].size(); ++i) {
      if (postings_[t][i - 1].slot >= postings_[t][i].slot) return fail("postings not sorted");
    }
  }
  if (term_ids_.size() != term_strings_.size()) return fail("term dictionary mismatch");
  // Score bounds: every posting within its term's bound (at the reference norms the bounds were
  // computed with, by the same float arithmetic, so <= holds exactly).
  if (max_tfn_.size() != postings_.size()) return fail("term bound table size mismatch");
  const Norms ref = reference_norms();
  for (size_t t = 0; t < postings_.size(); ++t) {
    for (const Posting& p : postings_[t]) {
      if (saturated_input(ref, p) > max_tfn_[t]) {
        return fail("score bound of term '" + term_strings_[t] + "' below a posting");
      }
    }
  }
  return {};
}

Status Bm25Index::save(const std::filesystem::path& path, int64_t generation) const {
  Writer w;
  w.out().append(kMagic, sizeof(kMagic));
  w.pod<uint32_t>(kFormatVersion);
  w.pod<int64_t>(generation);
  // Only terms that still have postings, renumbered densely.
  std::vector<uint32_t> new_id(term_strings_.size(), UINT32_MAX);
  uint32_t next = 0;
  for (size_t t = 0; t < postings_.size(); ++t) {
    if (!postings_[t].empty()) new_id[t] = next++;
  }
  w.pod<uint32_t>(next);
  for (size_t t = 0; t < postings_.size(); ++t) {
    if (new_id[t] != UINT32_MAX) w.str(term_strings_[t]);
  }
  w.pod<uint64_t>(live_);
  for (uint32_t s = 0; s < docs_.size(); ++s) {
    const DocInfo& d = docs_[s];
    if (!d.live) continue;
    w.pod<int64_t>(d.chunk_id);
    w.str(d.doc_id);
    w.str(d.type);
    w.str(d.language);
    w.pod<uint32_t>(static_cast<uint32_t>(d.metadata.size()));
    for (const auto& [key, value] : d.metadata) {
      w.str(key);
      w.str(value);
    }
    w.pod<uint32_t>(title_len_[s]);
    w.pod<uint32_t>(body_len_[s]);
    w.pod<uint32_t>(static_cast<uint32_t>(d.terms.size()));
    for (const TermCount& tc : d.terms) {
      w.pod<uint32_t>(new_id[tc.term]);
      w.pod<uint16_t>(tc.tf_title);
      w.pod<uint16_t>(tc.tf_body);
    }
  }
  w.pod<uint64_t>(fnv1a(w.out()));
  return write_file_atomic(path, w.out());
}

Result<int64_t> Bm25Index::load(const std::filesystem::path& path) {
  ATIENDE_ASSIGN_OR_RETURN(std::string data, read_file(path));
  const std::string where = "bm25 index " + path.string() + ": ";
  if (data.size() < sizeof(kMagic) + 8 || std::memcmp(data.data(), kMagic, sizeof(kMagic)) != 0) {
    return Status::data_loss(where + "not a bm25 index file");
  }
  uint64_t stored_sum = 0;
  std::memcpy(&stored_sum, data.data() + data.size() - 8, 8);
  const std::string_view payload(data.data(), data.size() - 8);
  if (fnv1a(payload) != stored_sum) return Status::data_loss(where + "checksum mismatch");
  Reader r(payload.substr(sizeof(kMagic)));
  uint32_t version = 0;
  int64_t generation = 0;
  uint32_t term_count = 0;
  if (!r.pod(version) || version != kFormatVersion) {
    return Status::data_loss(where + "unsupported format version");
  }
  Bm25Index fresh(opt_);
  auto truncated = [&] { return Status::data_loss(where + "truncated or malformed"); };
  if (!r.pod(generation) || !r.pod(term_count)) return truncated();
  if (term_count > payload.size()) return truncated();
  fresh.term_strings_.resize(term_count);
  fresh.postings_.resize(term_count);
  for (uint32_t t = 0; t < term_count; ++t) {
    if (!r.str(fresh.term_strings_[t])) return truncated();
    if (!fresh.term_ids_.emplace(fresh.term_strings_[t], t).second) {
      return Status::data_loss(where + "duplicate term");
    }
  }
  uint64_t docs = 0;
  if (!r.pod(docs) || docs > payload.size()) return truncated();
  fresh.docs_.resize(docs);
  fresh.title_len_.resize(docs);
  fresh.body_len_.resize(docs);
  for (uint32_t s = 0; s < docs; ++s) {
    DocInfo& d = fresh.docs_[s];
    d.live = true;
    uint32_t meta = 0, nterms = 0;
    if (!r.pod(d.chunk_id) || !r.str(d.doc_id) || !r.str(d.type) || !r.str(d.language) ||
        !r.pod(meta) || meta > payload.size()) {
      return truncated();
    }
    d.metadata.resize(meta);
    for (auto& [key, value] : d.metadata) {
      if (!r.str(key) || !r.str(value)) return truncated();
    }
    if (!r.pod(fresh.title_len_[s]) || !r.pod(fresh.body_len_[s]) || !r.pod(nterms) ||
        nterms > payload.size()) {
      return truncated();
    }
    d.terms.resize(nterms);
    for (TermCount& tc : d.terms) {
      if (!r.pod(tc.term) || !r.pod(tc.tf_title) || !r.pod(tc.tf_body)) return truncated();
      if (tc.term >= term_count) return Status::data_loss(where + "term id out of range");
      fresh.postings_[tc.term].push_back(Posting{s, tc.tf_title, tc.tf_body});
    }
    if (!fresh.slot_of_.emplace(d.chunk_id, s).second) {
      return Status::data_loss(where + "duplicate chunk id " + std::to_string(d.chunk_id));
    }
    fresh.total_title_len_ += fresh.title_len_[s];
    fresh.total_body_len_ += fresh.body_len_[s];
    if (d.language == "en") ++fresh.english_docs_;
  }
  if (!r.done()) return truncated();
  fresh.live_ = docs;
  fresh.rebuild_bounds();
  ATIENDE_RETURN_IF_ERROR(fresh.check_integrity().with_context(where));
  *this = std::move(fresh);
  return generation;
}

}  // namespace atiende::index::bm25_detail

namespace atiende::index {

Result<Bm25Options> bm25_options_from_config(const Config& config) {
  Bm25Options o;
  ATIENDE_ASSIGN_OR_RETURN(o.k1, config.get_double("index.bm25_k1", o.k1));
  ATIENDE_ASSIGN_OR_RETURN(o.b, config.get_double("index.bm25_b", o.b));
  ATIENDE_ASSIGN_OR_RETURN(o.title_weight, config.get_double("index.title_weight", o.title_weight));
  ATIENDE_ASSIGN_OR_RETURN(o.title_b, config.get_double("index.bm25_title_b", o.title_b));
  ATIENDE_ASSIGN_OR_RETURN(o.bigram_weight,
                           config.get_double("index.bm25_bigram_weight", o.bigram_weight));
  ATIENDE_ASSIGN_OR_RETURN(o.default_language,
                           config.get_string("index.bm25_language", o.default_language));
  if (o.k1 < 0) return Status::invalid_argument("index.bm25_k1 must be >= 0");
  if (o.b < 0 || o.b > 1) return Status::invalid_argument("index.bm25_b must be within 0..1");
  if (o.title_b < 0 || o.title_b > 1) {
    return Status::invalid_argument("index.bm25_title_b must be within 0..1");
  }
  if (o.title_weight < 0) return Status::invalid_argument("index.title_weight must be >= 0");
  if (o.bigram_weight < 0) return Status::invalid_argument("index.bm25_bigram_weight must be >= 0");
  if (o.default_language != "es" && o.default_language != "en") {
    return Status::invalid_argument("index.bm25_language must be es or en");
  }
  return o;
}

std::unique_ptr<LexicalIndex> make_bm25_index(const Bm25Options& options) {
  return std::make_unique<bm25_detail::Bm25Index>(options);
}

}  // namespace atiende::index
