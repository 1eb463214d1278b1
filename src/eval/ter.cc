#include "eval/ter.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "eval/bleu.h"
#include "eval/py_text.h"

namespace atiende::eval {
namespace {

constexpr int64_t kMaxShiftSize = 10;
constexpr int64_t kMaxShiftDist = 50;
constexpr int64_t kBeamWidth = 25;
constexpr int64_t kMaxShiftCandidates = 1000;
constexpr int64_t kInfinity = 10000000000000000LL;  // int(1e16)

constexpr char kOpIns = 'i';
constexpr char kOpDel = 'd';
constexpr char kOpNop = ' ';
constexpr char kOpSub = 's';
constexpr char kOpUndef = 'x';

using Words = std::vector<int>;

struct Cell {
  int64_t cost;
  char op;
};

// BeamEditDistance without its cache (the cache only skips recomputing identical rows: every
// hypothesis scored against one reference has the same length, so the rows are the same).
class BeamEditDistance {
 public:
  explicit BeamEditDistance(const Words& ref) : ref_(ref) {}

  std::pair<int64_t, std::string> operator()(const Words& hyp) const {
    const auto n_ref = static_cast<int64_t>(ref_.size());
    const auto n_hyp = static_cast<int64_t>(hyp.size());
    std::vector<std::vector<Cell>> dist(static_cast<size_t>(n_hyp + 1),
                                        std::vector<Cell>(static_cast<size_t>(n_ref + 1),
                                                          Cell{kInfinity, kOpUndef}));
    for (int64_t j = 0; j <= n_ref; ++j) dist[0][static_cast<size_t>(j)] = Cell{j, kOpIns};

    const double length_ratio =
        hyp.empty() ? 1.0 : static_cast<double>(n_ref) / static_cast<double>(n_hyp);
    int64_t beam_width = kBeamWidth;
    if (static_cast<double>(kBeamWidth) < length_ratio / 2) {
      beam_width = static_cast<int64_t>(std::ceil(length_ratio / 2 + static_cast<double>(kBeamWidth)));
    }
    for (int64_t i = 1; i <= n_hyp; ++i) {
      const auto pseudo_diag = static_cast<int64_t>(std::floor(static_cast<double>(i) * length_ratio));
      const int64_t min_j = std::max<int64_t>(0, pseudo_diag - beam_width);
      int64_t max_j = std::min<int64_t>(n_ref + 1, pseudo_diag + beam_width);
      if (i == n_hyp) max_j = n_ref + 1;
      auto& row = dist[static_cast<size_t>(i)];
      const auto& prev = dist[static_cast<size_t>(i - 1)];
      for (int64_t j = min_j; j < max_j; ++j) {
        const auto uj = static_cast<size_t>(j);
        if (j == 0) {
          row[0] = Cell{prev[0].cost + 1, kOpDel};
          continue;
        }
        const bool same = hyp[static_cast<size_t>(i - 1)] == ref_[uj - 1];
        const Cell ops[3] = {
            Cell{prev[uj - 1].cost + (same ? 0 : 1), same ? kOpNop : kOpSub},
            Cell{prev[uj].cost + 1, kOpDel},
            Cell{row[uj - 1].cost + 1, kOpIns},
        };
        for (const Cell& op : ops) {
          if (row[uj].cost > op.cost) row[uj] = op;
        }
      }
    }
    std::string trace;
    int64_t i = n_hyp;
    int64_t j = n_ref;
    while (i > 0 || j > 0) {
      const char op = dist[static_cast<size_t>(i)][static_cast<size_t>(j)].op;
      trace.push_back(op);
      if (op == kOpSub || op == kOpNop) {
        --i;
        --j;
      } else if (op == kOpIns) {
        --j;
      } else if (op == kOpDel) {
        --i;
      } else {
        break;  // unreachable: the last row is always complete
      }
    }
    std::reverse(trace.begin(), trace.end());
    return {dist[static_cast<size_t>(n_hyp)][static_cast<size_t>(n_ref)].cost, trace};
  }

 private:
  const Words& ref_;
};

struct Alignment {
  std::vector<int64_t> align;  // ref position -> hyp position (-1 before the start)
  std::vector<bool> has;       // whether the ref position is aligned
  std::vector<int> ref_err;
  std::vector<int> hyp_err;
};

// _flip_trace + trace_to_alignment.
Alignment trace_to_alignment(const std::string& inv_trace, size_t n_ref) {
  Alignment a;
  a.align.assign(n_ref + 1, -1);
  a.has.assign(n_ref + 1, false);
  int64_t pos_hyp = -1;
  int64_t pos_ref = -1;
  for (char raw : inv_trace) {
    const char op = raw == kOpIns ? kOpDel : (raw == kOpDel ? kOpIns : raw);
    if (op == kOpNop || op == kOpSub) {
      ++pos_hyp;
      ++pos_ref;
      a.align[static_cast<size_t>(pos_ref)] = pos_hyp;
      a.has[static_cast<size_t>(pos_ref)] = true;
      a.hyp_err.push_back(op == kOpSub ? 1 : 0);
      a.ref_err.push_back(op == kOpSub ? 1 : 0);
    } else if (op == kOpIns) {
      ++pos_hyp;
      a.hyp_err.push_back(1);
    } else if (op == kOpDel) {
      ++pos_ref;
      a.align[static_cast<size_t>(pos_ref)] = pos_hyp;
      a.has[static_cast<size_t>(pos_ref)] = true;
      a.ref_err.push_back(1);
    }
  }
  return a;
}

Words perform_shift(const Words& words, int64_t start, int64_t length, int64_t target) {
  auto at = [&](int64_t k) { return words.begin() + std::clamp<int64_t>(k, 0, static_cast<int64_t>(words.size())); };
  Words out;
  out.reserve(words.size());
  if (target < start) {
    out.insert(out.end(), at(0), at(target));
    out.insert(out.end(), at(start), at(start + length));
    out.insert(out.end(), at(target), at(start));
    out.insert(out.end(), at(start + length), words.end());
  } else if (target > start + length) {
    out.insert(out.end(), at(0), at(start));
    out.insert(out.end(), at(start + length), at(target));
    out.insert(out.end(), at(start), at(start + length));
    out.insert(out.end(), at(target), words.end());
  } else {
    out.insert(out.end(), at(0), at(start));
    out.insert(out.end(), at(start + length), at(length + target));
    out.insert(out.end(), at(start), at(start + length));
    out.insert(out.end(), at(length + target), words.end());
  }
  return out;
}

int sum_range(const std::vector<int>& v, int64_t from, int64_t length) {
  int s = 0;
  for (int64_t k = from; k < from + length && k < static_cast<int64_t>(v.size()); ++k) {
    s += v[static_cast<size_t>(k)];
  }
  return s;
}

struct ShiftResult {
  int64_t delta;
  Words words;
};

// _shift: the best shift, or delta 0 with the input words.
ShiftResult best_shift(const Words& words_h, const Words& words_r, const BeamEditDistance& ed,
                       int64_t& checked_candidates) {
  const auto [pre_score, inv_trace] = ed(words_h);
  const Alignment a = trace_to_alignment(inv_trace, words_r.size());
  // (delta, length, -start_h, -idx) ranks candidates like Tercom.
  std::optional<std::tuple<int64_t, int64_t, int64_t, int64_t>> best;
  Words best_words;
  const auto n_h = static_cast<int64_t>(words_h.size());
  const auto n_r = static_cast<int64_t>(words_r.size());
  bool stop = false;
  for (int64_t start_h = 0; start_h < n_h && !stop; ++start_h) {
    for (int64_t start_r = 0; start_r < n_r && !stop; ++start_r) {
      if (std::llabs(start_r - start_h) > kMaxShiftDist) continue;
      int64_t length = 0;
      while (words_h[static_cast<size_t>(start_h + length)] ==
                 words_r[static_cast<size_t>(start_r + length)] &&
             length < kMaxShiftSize) {
        ++length;
        // The body of _shift's loop for the pair (start_h, start_r, length).
        [&] {
          if (sum_range(a.hyp_err, start_h, length) == 0) return;
          if (sum_range(a.ref_err, start_r, length) == 0) return;
          const int64_t aligned = a.align[static_cast<size_t>(start_r)];
          if (start_h <= aligned && aligned < start_h + length) return;
          int64_t prev_idx = -1;
          for (int64_t offset = -1; offset < length; ++offset) {
            int64_t idx = 0;
            if (start_r + offset == -1) {
              idx = 0;
            } else if (start_r + offset < n_r && a.has[static_cast<size_t>(start_r + offset)]) {
              idx = a.align[static_cast<size_t>(start_r + offset)] + 1;
            } else {
              break;
            }
            if (idx == prev_idx) continue;
            prev_idx = idx;
            Words shifted = perform_shift(words_h, start_h, length, idx);
            const auto candidate = std::make_tuple(pre_score - ed(shifted).first, length, -start_h, -idx);
            ++checked_candidates;
            if (!best || candidate > *best) {
              best = candidate;
              best_words = std::move(shifted);
            }
          }
          if (checked_candidates >= kMaxShiftCandidates) stop = true;
        }();
        if (stop) break;
        if (n_h == start_h + length || n_r == start_r + length) break;
      }
    }
  }
  if (!best) return {0, words_h};
  return {std::get<0>(*best), std::move(best_words)};
}

Result<std::vector<std::u32string>> tokenize(const std::string& text, const TerOptions& options,
                                             const std::string& what) {
  ATIENDE_ASSIGN_OR_RETURN(std::u32string line, decode_utf8(text, what));
  TercomOptions tercom;
  tercom.normalized = options.normalized;
  tercom.no_punct = options.no_punct;
  tercom.case_sensitive = options.case_sensitive;
  return py_split(tercom_tokenize(py_rstrip(line), tercom));
}

}  // namespace

std::pair<int64_t, int64_t> translation_edit_rate(const std::vector<std::u32string>& hyp_words,
                                                  const std::vector<std::u32string>& ref_words) {
  if (ref_words.empty()) return {static_cast<int64_t>(hyp_words.size()), 0};
  std::unordered_map<std::u32string, int> vocab;
  auto to_ids = [&](const std::vector<std::u32string>& words) {
    Words ids;
    ids.reserve(words.size());
    for (const auto& w : words) ids.push_back(vocab.try_emplace(w, static_cast<int>(vocab.size())).first->second);
    return ids;
  };
  const Words ref = to_ids(ref_words);
  Words input = to_ids(hyp_words);
  const BeamEditDistance ed(ref);
  int64_t shifts = 0;
  int64_t checked = 0;
  while (true) {
    ShiftResult r = best_shift(input, ref, ed, checked);
    if (checked >= kMaxShiftCandidates) break;
    if (r.delta <= 0) break;
    ++shifts;
    input = std::move(r.words);
  }
  const int64_t edit_distance = ed(input).first;
  return {shifts + edit_distance, static_cast<int64_t>(ref_words.size())};
}

Result<TerScore> corpus_ter(std::span<const std::string> hyps,
                            std::span<const std::vector<std::string>> ref_streams,
                            const TerOptions& options) {
  if (ref_streams.empty()) return Status::invalid_argument("TER needs at least one reference");
  for (size_t k = 0; k < ref_streams.size(); ++k) {
    if (ref_streams[k].size() != hyps.size()) {
      return Status::invalid_argument(
          "reference stream " + std::to_string(k + 1) + " has " +
          std::to_string(ref_streams[k].size()) + " lines but there are " +
          std::to_string(hyps.size()) + " hypotheses");
    }
  }
  double total_edits = 0;
  double total_ref = 0;
  for (size_t i = 0; i < hyps.size(); ++i) {
    ATIENDE_ASSIGN_OR_RETURN(auto words_hyp,
                             tokenize(hyps[i], options, "hypothesis line " + std::to_string(i + 1)));
    int64_t ref_lengths = 0;
    int64_t best_edits = kInfinity;
    for (size_t k = 0; k < ref_streams.size(); ++k) {
      ATIENDE_ASSIGN_OR_RETURN(
          auto words_ref, tokenize(ref_streams[k][i], options,
                                   "reference " + std::to_string(k + 1) + " line " + std::to_string(i + 1)));
      const auto [edits, ref_len] = translation_edit_rate(words_hyp, words_ref);
      ref_lengths += ref_len;
      if (edits < best_edits) best_edits = edits;
    }
    total_edits += static_cast<double>(best_edits);
    total_ref += static_cast<double>(ref_lengths) / static_cast<double>(ref_streams.size());
  }
  TerScore score;
  score.num_edits = total_edits;
  score.ref_length = total_ref;
  double ratio = 0.0;
  if (total_ref > 0) {
    ratio = total_edits / total_ref;
  } else if (total_edits > 0) {
    ratio = 1.0;
  }
  score.score = 100 * ratio;
  return score;
}

Result<TerScore> sentence_ter(const std::string& hyp, std::span<const std::string> refs,
                              const TerOptions& options) {
  std::vector<std::string> hyps{hyp};
  std::vector<std::vector<std::string>> streams;
  for (const auto& ref : refs) streams.push_back({ref});
  return corpus_ter(hyps, streams, options);
}

std::string ter_signature(const TerOptions& options, int nrefs) {
  std::string sig = "nrefs:" + (nrefs < 0 ? std::string("var") : std::to_string(nrefs));
  sig += std::string("|case:") + (options.case_sensitive ? "mixed" : "lc");
  sig += "|tok:tercom";
  sig += std::string("|norm:") + (options.normalized ? "yes" : "no");
  sig += std::string("|punct:") + (options.no_punct ? "no" : "yes");
  sig += "|asian:no";
  sig += "|version:" + std::string(kSacrebleuCompatVersion);
  return sig;
}

}  // namespace atiende::eval
