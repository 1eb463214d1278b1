// Loads bench/gen_corpus.py output into a data dir (one record = one document = one chunk), the
// same 100k chunks Xapian indexes, so that `atiende search --queries` can be measured on it.
//
//   build/bench/bench_search_load --data bench/out/search-data [--corpus bench/out/corpus.jsonl]
//                                 [--config FILE]

#include <chrono>
#include <fstream>
#include <iostream>
#include <string>

#include "common/config.h"
#include "common/json.h"
#include "retrieve/knowledge_base.h"
#include "text/utf8.h"

using namespace atiende;

int main(int argc, char** argv) {
  std::string data_dir = "bench/out/search-data";
  std::string corpus = "bench/out/corpus.jsonl";
  std::string config_file;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--data") data_dir = argv[i + 1];
    else if (flag == "--corpus") corpus = argv[i + 1];
    else if (flag == "--config") config_file = argv[i + 1];
    else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  auto config = config_file.empty() ? Result<Config>(Config()) : Config::load_file(config_file);
  if (!config.ok()) {
    std::cerr << config.status().to_string() << "\n";
    return 1;
  }
  config->set("data.dir", data_dir);
  const auto start = std::chrono::steady_clock::now();
  auto kb = retrieve::open_knowledge_base(*config);
  if (!kb.ok()) {
    std::cerr << kb.status().to_string() << "\n";
    return 1;
  }
  std::ifstream in(corpus);
  if (!in) {
    std::cerr << corpus << ": cannot open (run bench/gen_corpus.py)\n";
    return 1;
  }
  std::vector<store::DocumentWithChunks> batch;
  size_t line_number = 0;
  size_t loaded = 0;
  auto flush = [&]() -> bool {
    if (batch.empty()) return true;
    auto outcome = (*kb)->upsert_documents(batch, std::nullopt);
    if (!outcome.ok()) {
      std::cerr << outcome.status().to_string() << "\n";
      return false;
    }
    loaded += batch.size();
    batch.clear();
    std::cerr << "\rloaded " << loaded << std::flush;
    return true;
  };
  std::string line;
  while (std::getline(in, line)) {
    ++line_number;
    auto record = parse_json(line);
    if (!record.ok() || !record->is_object()) {
      std::cerr << corpus << ": line " << line_number << " is not a JSON object\n";
      return 1;
    }
    store::DocumentWithChunks d;
    d.document.id = record->value("id", "");
    d.document.title = record->value("title", "");
    d.document.type = record->value("type", "doc");
    d.document.language = "es";
    d.document.source = corpus;
    d.document.content_hash = std::to_string(std::hash<std::string>{}(line));
    store::Chunk c;
    c.title = d.document.title;
    c.text = record->value("text", "");
    c.end = static_cast<int64_t>(text::count_code_points(c.text));
    d.chunks.push_back(std::move(c));
    batch.push_back(std::move(d));
    if (batch.size() >= 2000 && !flush()) return 1;
  }
  if (!flush()) return 1;
  if (Status status = (*kb)->save(); !status.ok()) {
    std::cerr << status.to_string() << "\n";
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << "\n";
  std::cout << dump_json({{"chunks", loaded},
                          {"seconds", seconds},
                          {"embedder", (*kb)->stats().embedder},
                          {"vector_backend", (*kb)->stats().vector_backend}})
            << "\n";
  return 0;
}
