// Spanish question -> paragraph retrieval quality: bm25, local-vector and hybrid (weighted RRF).
//
// Indexes every paragraph of a SQuAD-format file as one chunk (paragraph text only, like the
// Xapian baseline in bench/xapian_quality.py), runs every question and prints recall@1/5/10 and
// MRR@10 per system.
//
//   build-*/bench/bench_retrieval_quality [--data FILE] [--titles] [--k1 X] [--b X]
//       [--bigram X] [--rrf-k X] [--sweep]
//
// Default data: ../shared/data/retrieval-dev/mlqa_es_dev.json relative to the repo (never copy
// that file into the repo). --titles also indexes the article title as the chunk title.
// --sweep prints a grid of fusion weights and BM25 parameters (for tuning; prefer general
// settings over the best cell).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/config.h"
#include "common/files.h"
#include "common/json.h"
#include "embed/local_embedder.h"
#include "index/lexical_bm25.h"

namespace {

using atiende::index::ScoredChunk;

struct Question {
  std::string text;
  int64_t paragraph;
};

struct Dataset {
  std::vector<atiende::store::Chunk> chunks;
  std::vector<Question> questions;
};

atiende::Result<Dataset> load(const std::string& path, bool titles) {
  ATIENDE_ASSIGN_OR_RETURN(std::string text, atiende::read_file(path));
  atiende::JsonLimits limits;
  limits.max_bytes = 64 << 20;
  ATIENDE_ASSIGN_OR_RETURN(atiende::Json json, atiende::parse_json(text, limits));
  Dataset d;
  try {
    for (const auto& article : json.at("data")) {
      for (const auto& p : article.at("paragraphs")) {
        atiende::store::Chunk c;
        c.id = static_cast<int64_t>(d.chunks.size()) + 1;
        c.doc_id = "p" + std::to_string(c.id);
        if (titles) c.title = article.value("title", "");
        c.text = p.at("context").get<std::string>();
        c.type = "doc";
        c.language = "es";
        for (const auto& qa : p.at("qas")) {
          d.questions.push_back({qa.at("question").get<std::string>(), c.id});
        }
        d.chunks.push_back(std::move(c));
      }
    }
  } catch (const std::exception& e) {
    return atiende::Status::invalid_argument(path + ": not SQuAD format: " + e.what());
  }
  return d;
}

struct Metrics {
  double r1 = 0, r5 = 0, r10 = 0, mrr = 0;
};

Metrics evaluate(const std::vector<std::vector<ScoredChunk>>& ranked,
                 const std::vector<Question>& questions) {
  Metrics m;
  for (size_t i = 0; i < questions.size(); ++i) {
    const auto& list = ranked[i];
    for (size_t r = 0; r < list.size() && r < 10; ++r) {
      if (list[r].chunk_id != questions[i].paragraph) continue;
      if (r < 1) m.r1 += 1;
      if (r < 5) m.r5 += 1;
      m.r10 += 1;
      m.mrr += 1.0 / static_cast<double>(r + 1);
      break;
    }
  }
  const double n = static_cast<double>(questions.size());
  return {m.r1 / n, m.r5 / n, m.r10 / n, m.mrr / n};
}

void print(const std::string& name, const Metrics& m) {
  std::printf("%-34s %.3f  %.3f  %.3f  %.4f\n", name.c_str(), m.r1, m.r5, m.r10, m.mrr);
}

/// Weighted reciprocal-rank fusion, same definition as retrieve::reciprocal_rank_fusion.
std::vector<ScoredChunk> rrf(const std::vector<ScoredChunk>& a, double wa,
                             const std::vector<ScoredChunk>& b, double wb, double k, size_t limit) {
  std::unordered_map<int64_t, double> score;
  for (size_t r = 0; r < a.size(); ++r) score[a[r].chunk_id] += wa / (k + r + 1);
  for (size_t r = 0; r < b.size(); ++r) score[b[r].chunk_id] += wb / (k + r + 1);
  std::vector<ScoredChunk> out;
  for (const auto& [id, s] : score) out.push_back({id, static_cast<float>(s)});
  std::sort(out.begin(), out.end(), [](const ScoredChunk& x, const ScoredChunk& y) {
    return x.score != y.score ? x.score > y.score : x.chunk_id < y.chunk_id;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

/// Exact inner-product search over L2-normalized rows.
std::vector<ScoredChunk> exact_search(const std::vector<std::vector<float>>& rows,
                                      const std::vector<float>& q, size_t k) {
  std::vector<ScoredChunk> all;
  all.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    float dot = 0;
    for (size_t j = 0; j < q.size(); ++j) dot += rows[i][j] * q[j];
    all.push_back({static_cast<int64_t>(i) + 1, dot});
  }
  const size_t n = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(),
                    [](const ScoredChunk& x, const ScoredChunk& y) {
                      return x.score != y.score ? x.score > y.score : x.chunk_id < y.chunk_id;
                    });
  all.resize(n);
  return all;
}

std::vector<std::vector<ScoredChunk>> run_bm25(const Dataset& d,
                                               const atiende::index::Bm25Options& o, size_t depth) {
  auto index = atiende::index::make_bm25_index(o);
  if (!index->upsert(d.chunks).ok()) std::abort();
  std::vector<std::vector<ScoredChunk>> out;
  for (const auto& q : d.questions) out.push_back(index->search(q.text, depth, {}).value());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = std::string(ATIENDE_SOURCE_DIR) +
                     "/../shared/data/retrieval-dev/mlqa_es_dev.json";
  bool titles = false, sweep = false;
  atiende::index::Bm25Options bm25;
  bm25.k1 = 1.2;
  bm25.b = 0.75;
  double rrf_k = 60;
  double lexical_weight = 1.0, vector_weight = 1.0;
  atiende::Config config;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "missing value after %s\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--data") data = next();
    else if (a == "--titles") titles = true;
    else if (a == "--sweep") sweep = true;
    else if (a == "--k1") bm25.k1 = std::stod(next());
    else if (a == "--b") bm25.b = std::stod(next());
    else if (a == "--bigram") bm25.bigram_weight = std::stod(next());
    else if (a == "--rrf-k") rrf_k = std::stod(next());
    else if (a == "--lexical-weight") lexical_weight = std::stod(next());
    else if (a == "--vector-weight") vector_weight = std::stod(next());
    else if (a == "--set") {  // --set embed.local_dim=512
      const std::string kv = next();
      const auto eq = kv.find('=');
      if (eq == std::string::npos) return 2;
      config.set(kv.substr(0, eq), kv.substr(eq + 1));
    } else {
      std::fprintf(stderr, "unknown argument %s (see the comment at the top of the file)\n",
                   a.c_str());
      return 2;
    }
  }
  auto dataset = load(data, titles);
  if (!dataset.ok()) {
    std::fprintf(stderr, "%s\n", dataset.status().to_string().c_str());
    return 1;
  }
  const Dataset& d = *dataset;
  std::printf("%zu paragraphs, %zu questions%s\n", d.chunks.size(), d.questions.size(),
              titles ? ", with titles" : "");
  std::printf("%-34s %-6s %-6s %-6s %s\n", "system", "r@1", "r@5", "r@10", "MRR@10");
  constexpr size_t kDepth = 100;

  const auto bm25_ranked = run_bm25(d, bm25, kDepth);
  print("bm25", evaluate(bm25_ranked, d.questions));
  if (sweep) {
    for (double k1 : {0.9, 1.2, 1.5}) {
      for (double b : {0.4, 0.6, 0.75, 0.9}) {
        for (double bigram : {0.0, 0.3}) {
          auto o = bm25;
          o.k1 = k1, o.b = b, o.bigram_weight = bigram;
          char name[96];
          std::snprintf(name, sizeof(name), "bm25 k1=%.1f b=%.2f bigram=%.1f", k1, b, bigram);
          print(name, evaluate(run_bm25(d, o, 10), d.questions));
        }
      }
    }
  }

  auto embed_options = atiende::embed::local_embedder_options_from_config(config);
  if (!embed_options.ok()) {
    std::fprintf(stderr, "%s\n", embed_options.status().to_string().c_str());
    return 2;
  }
  std::vector<std::string> passages;
  for (const auto& c : d.chunks) passages.push_back(c.title.empty() ? c.text : c.title + "\n" + c.text);
  auto idf = config.get_bool("bench.idf", true).value_or(true)
                 ? atiende::embed::fit_local_idf(*embed_options, passages)
                 : nullptr;
  auto embedder = atiende::embed::make_local_embedder(*embed_options, idf);
  if (!embedder.ok()) {
    std::fprintf(stderr, "local embedder: %s\n", embedder.status().to_string().c_str());
    return 0;
  }
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::string> texts;
  for (const auto& c : d.chunks) texts.push_back(c.title.empty() ? c.text : c.title + "\n" + c.text);
  auto rows = (*embedder)->embed(texts, atiende::embed::EmbedRole::kPassage);
  std::vector<std::string> qtexts;
  for (const auto& q : d.questions) qtexts.push_back(q.text);
  auto qvecs = (*embedder)->embed(qtexts, atiende::embed::EmbedRole::kQuery);
  if (!rows.ok() || !qvecs.ok()) {
    std::fprintf(stderr, "embedding failed\n");
    return 1;
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::vector<std::vector<ScoredChunk>> vec_ranked;
  for (const auto& q : *qvecs) vec_ranked.push_back(exact_search(*rows, q, kDepth));
  print("local-vector (" + (*embedder)->name() + ")", evaluate(vec_ranked, d.questions));

  auto hybrid = [&](double wl, double wv, double k) {
    std::vector<std::vector<ScoredChunk>> out;
    for (size_t i = 0; i < d.questions.size(); ++i) {
      out.push_back(rrf(bm25_ranked[i], wl, vec_ranked[i], wv, k, 10));
    }
    return evaluate(out, d.questions);
  };
  char name[96];
  std::snprintf(name, sizeof(name), "hybrid rrf k=%.0f wl=%.2f wv=%.2f", rrf_k, lexical_weight,
                vector_weight);
  print(name, hybrid(lexical_weight, vector_weight, rrf_k));
  if (sweep) {
    for (double k : {20.0, 60.0}) {
      for (double wv : {0.3, 0.5, 0.7, 1.0, 1.5}) {
        std::snprintf(name, sizeof(name), "hybrid rrf k=%.0f wl=1.00 wv=%.2f", k, wv);
        print(name, hybrid(1.0, wv, k));
      }
    }
  }
  std::printf("(embedding %zu texts took %.2f s)\n", texts.size() + qtexts.size(), secs);
  return 0;
}
