// BM25 batch search throughput on the generated corpus (bench/gen_corpus.py), single-threaded,
// in-process: the same measurement bench/xapian_speed.py makes for Xapian.
//
//   build-*/bench/bench_lexical_speed [--corpus bench/out/corpus.jsonl]
//       [--queries bench/out/queries.jsonl] [--k 10] [--rounds 3] [--bigram X]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "common/json.h"
#include "index/lexical_bm25.h"

int main(int argc, char** argv) {
  std::string corpus = "bench/out/corpus.jsonl", queries_path = "bench/out/queries.jsonl";
  size_t k = 10;
  int rounds = 3;
  atiende::index::Bm25Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--corpus") corpus = v;
    else if (a == "--queries") queries_path = v;
    else if (a == "--k") k = std::stoul(v);
    else if (a == "--rounds") rounds = std::stoi(v);
    else if (a == "--bigram") options.bigram_weight = std::stod(v);
    else return 2;
  }
  using Clock = std::chrono::steady_clock;
  auto index = atiende::index::make_bm25_index(options);
  std::ifstream in(corpus);
  if (!in) {
    std::fprintf(stderr, "cannot open %s (run bench/gen_corpus.py)\n", corpus.c_str());
    return 1;
  }
  std::vector<atiende::store::Chunk> batch;
  std::string line;
  int64_t id = 0;
  const auto t0 = Clock::now();
  while (std::getline(in, line)) {
    auto j = atiende::parse_json(line);
    if (!j.ok()) return 1;
    atiende::store::Chunk c;
    c.id = ++id;
    c.doc_id = j->value("id", "");
    c.title = j->value("title", "");
    c.text = j->value("text", "");
    c.type = j->value("type", "doc");
    c.language = "es";
    batch.push_back(std::move(c));
    if (batch.size() == 1000) {
      if (!index->upsert(batch).ok()) return 1;
      batch.clear();
    }
  }
  if (!index->upsert(batch).ok()) return 1;
  const double index_s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::vector<std::string> queries;
  std::ifstream qin(queries_path);
  while (std::getline(qin, line)) {
    auto j = atiende::parse_json(line);
    if (j.ok()) queries.push_back(j->value("query", ""));
  }
  double best_qps = 0;
  std::vector<double> lat;
  for (int r = 0; r < rounds; ++r) {
    lat.clear();
    const auto start = Clock::now();
    for (const auto& q : queries) {
      const auto s = Clock::now();
      auto hits = index->search(q, k, {});
      if (!hits.ok()) return 1;
      lat.push_back(std::chrono::duration<double, std::milli>(Clock::now() - s).count());
    }
    const double secs = std::chrono::duration<double>(Clock::now() - start).count();
    best_qps = std::max(best_qps, static_cast<double>(queries.size()) / secs);
  }
  std::sort(lat.begin(), lat.end());
  std::printf("atiende bm25 (bigram %.2f): %zu chunks indexed in %.1f s; %zu queries, k=%zu: "
              "%.0f QPS (best of %d), p50 %.3f ms, p99 %.3f ms\n",
              options.bigram_weight, index->size(), index_s, queries.size(), k, best_qps, rounds,
              lat[lat.size() / 2], lat[std::min(lat.size() - 1, lat.size() * 99 / 100)]);
  return 0;
}
