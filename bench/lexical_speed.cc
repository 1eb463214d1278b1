// BM25 batch search throughput on the generated corpus (bench/gen_corpus.py), single-threaded,
// in-process: the same measurement bench/xapian_speed.py makes for Xapian.
//
//   build-*/bench/bench_lexical_speed [--corpus bench/out/corpus.jsonl]
//       [--queries bench/out/queries.jsonl] [--k 10] [--rounds 3] [--bigram X]
//       [--exhaustive 1]      score every posting (no dynamic pruning): the reference
//       [--check 1]           also build an exhaustive index and verify every query's hits match
//       [--filter key=value]  e.g. type=faq (one condition)
//       [--slowest N]         print the N queries of the last round that took most CPU

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <time.h>

#include "common/json.h"
#include "index/lexical_bm25.h"

namespace {

using Clock = std::chrono::steady_clock;

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one.empty() ? "?" : one;
}

/// This thread's CPU time in ms: unlike wall time it does not count time spent descheduled,
/// which on a shared, loaded machine dominates the tail.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

bool build(atiende::index::LexicalIndex& index, const std::string& corpus, double& seconds) {
  std::ifstream in(corpus);
  if (!in) {
    std::fprintf(stderr, "cannot open %s (run bench/gen_corpus.py)\n", corpus.c_str());
    return false;
  }
  std::vector<atiende::store::Chunk> batch;
  std::string line;
  int64_t id = 0;
  const auto t0 = Clock::now();
  while (std::getline(in, line)) {
    auto j = atiende::parse_json(line);
    if (!j.ok()) return false;
    atiende::store::Chunk c;
    c.id = ++id;
    c.doc_id = j->value("id", "");
    c.title = j->value("title", "");
    c.text = j->value("text", "");
    c.type = j->value("type", "doc");
    c.language = "es";
    batch.push_back(std::move(c));
    if (batch.size() == 1000) {
      if (!index.upsert(batch).ok()) return false;
      batch.clear();
    }
  }
  if (!index.upsert(batch).ok()) return false;
  seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus = "bench/out/corpus.jsonl", queries_path = "bench/out/queries.jsonl";
  size_t k = 10, slowest = 0;
  int rounds = 3;
  bool check = false;
  atiende::index::Bm25Options options;
  atiende::index::Filter filter;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--corpus") corpus = v;
    else if (a == "--queries") queries_path = v;
    else if (a == "--k") k = std::stoul(v);
    else if (a == "--rounds") rounds = std::max(1, std::stoi(v));
    else if (a == "--bigram") options.bigram_weight = std::stod(v);
    else if (a == "--exhaustive") options.dynamic_pruning = v != "1";
    else if (a == "--check") check = v == "1";
    else if (a == "--slowest") slowest = std::stoul(v);
    else if (a == "--filter" && v.find('=') != std::string::npos) {
      filter.conditions.push_back({v.substr(0, v.find('=')), {v.substr(v.find('=') + 1)}});
    } else {
      std::fprintf(stderr, "unknown or malformed option %s\n", a.c_str());
      return 2;
    }
  }
  auto index = atiende::index::make_bm25_index(options);
  double index_s = 0;
  if (!build(*index, corpus, index_s)) return 1;
  std::vector<std::string> queries;
  std::string line;
  std::ifstream qin(queries_path);
  while (std::getline(qin, line)) {
    auto j = atiende::parse_json(line);
    if (j.ok()) queries.push_back(j->value("query", ""));
  }
  if (queries.empty()) {
    std::fprintf(stderr, "no queries in %s\n", queries_path.c_str());
    return 1;
  }

  if (check) {
    atiende::index::Bm25Options ref_options = options;
    ref_options.dynamic_pruning = false;
    auto reference = atiende::index::make_bm25_index(ref_options);
    double ref_s = 0;
    if (!build(*reference, corpus, ref_s)) return 1;
    size_t mismatches = 0;
    for (const auto& q : queries) {
      auto a = index->search(q, k, filter);
      auto b = reference->search(q, k, filter);
      if (!a.ok() || !b.ok()) return 1;
      bool same = a->size() == b->size();
      for (size_t i = 0; same && i < a->size(); ++i) {
        same = (*a)[i].chunk_id == (*b)[i].chunk_id &&
               std::fabs((*a)[i].score - (*b)[i].score) <= 1e-6f;
      }
      if (!same && ++mismatches <= 5) std::fprintf(stderr, "MISMATCH: %s\n", q.c_str());
    }
    std::printf("check: %zu of %zu queries differ from exhaustive scoring\n", mismatches,
                queries.size());
    if (mismatches) return 1;
  }

  const std::string load_before = load_average();
  double best_qps = 0;
  std::vector<std::pair<double, size_t>> lat;
  std::vector<std::pair<double, size_t>> cpu;
  for (int r = 0; r < rounds; ++r) {
    lat.clear();
    cpu.clear();
    const auto start = Clock::now();
    for (size_t qi = 0; qi < queries.size(); ++qi) {
      const auto s = Clock::now();
      const double c0 = thread_cpu_ms();
      auto hits = index->search(queries[qi], k, filter);
      if (!hits.ok()) return 1;
      cpu.emplace_back(thread_cpu_ms() - c0, qi);
      lat.emplace_back(std::chrono::duration<double, std::milli>(Clock::now() - s).count(), qi);
    }
    const double secs = std::chrono::duration<double>(Clock::now() - start).count();
    best_qps = std::max(best_qps, static_cast<double>(queries.size()) / secs);
  }
  std::sort(lat.begin(), lat.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf("atiende bm25 (bigram %.2f, %s): %zu chunks indexed in %.1f s; %zu queries, k=%zu%s: "
              "%.0f QPS (best of %d), wall p50 %.3f ms, p99 %.3f ms, max %.3f ms; CPU p50 %.3f ms, p99 %.3f ms, max %.3f ms; "
              "load average %s -> %s\n",
              options.bigram_weight, options.dynamic_pruning ? "pruned" : "exhaustive",
              index->size(), index_s, queries.size(), k, filter.empty() ? "" : " filtered",
              best_qps, rounds, lat[lat.size() / 2].first,
              lat[std::min(lat.size() - 1, lat.size() * 99 / 100)].first, lat.back().first,
              cpu[cpu.size() / 2].first, cpu[std::min(cpu.size() - 1, cpu.size() * 99 / 100)].first,
              cpu.back().first,
              load_before.c_str(), load_average().c_str());
  for (size_t i = 0; i < std::min(slowest, lat.size()); ++i) {
    const auto& [ms, qi] = cpu[cpu.size() - 1 - i];
    std::printf("  %.3f ms CPU  %s\n", ms, queries[qi].c_str());
  }
  return 0;
}
