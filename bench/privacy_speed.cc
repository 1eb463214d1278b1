// Anonymization throughput (MB/s on one core) on mixed Spanish support text: the demo tickets and
// chat turns (dense synthetic PII) interleaved with the demo knowledge base (manuals, FAQ, KB
// articles: ordinary prose), repeated to `--mb` megabytes. Single thread, so MB/s = per core.
//
//   bench_privacy_speed [--mb 16] [--source DIR]
// Prints one line per mode: detect (Analyzer::analyze) and anonymize (detect + replace).

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/files.h"
#include "common/json.h"
#include "common/strings.h"
#include "privacy/anonymizer.h"

namespace fs = std::filesystem;
using namespace atiende;

int main(int argc, char** argv) {
  double mb = 16;
  std::string source = ATIENDE_SOURCE_DIR;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--mb") mb = std::atof(argv[i + 1]);
    if (flag == "--source") source = argv[i + 1];
  }
  // Paragraph-sized texts, as ingest hands them over.
  std::vector<std::string> pii_texts, prose_texts;
  for (const char* name : {"/data/demo/tickets.jsonl", "/data/demo/chats.jsonl"}) {
    auto content = read_file(source + name);
    if (!content.ok()) {
      std::fprintf(stderr, "%s\n", content.status().message().c_str());
      return 1;
    }
    for (std::string_view line : split(*content, '\n')) {
      auto j = parse_json(line);
      if (!j.ok()) continue;
      if ((*j).contains("text") && !(*j)["text"].get<std::string>().empty()) {
        pii_texts.push_back((*j)["text"].get<std::string>());
      }
      if ((*j).contains("turns")) {
        for (const auto& t : (*j)["turns"]) pii_texts.push_back(t["text"].get<std::string>());
      }
    }
  }
  for (const char* dir : {"/data/demo/kb", "/data/demo/manuals", "/data/demo/faq"}) {
    if (!fs::exists(source + dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(source + dir)) {
      if (!entry.is_regular_file()) continue;
      auto content = read_file(entry.path());
      if (!content.ok()) continue;
      std::string paragraph;
      for (std::string_view line : split(*content, '\n')) {
        if (trim(line).empty()) {
          if (!paragraph.empty()) prose_texts.push_back(std::move(paragraph));
          paragraph.clear();
        } else {
          paragraph.append(line).push_back('\n');
        }
      }
      if (!paragraph.empty()) prose_texts.push_back(std::move(paragraph));
    }
  }
  // Interleave: one PII-bearing text, then one prose paragraph, until the target size.
  std::vector<std::string> corpus;
  size_t bytes = 0, pii_bytes = 0;
  const size_t target = static_cast<size_t>(mb * 1e6);
  for (size_t i = 0; bytes < target; ++i) {
    const std::string& a = pii_texts[i % pii_texts.size()];
    corpus.push_back(a);
    bytes += a.size();
    pii_bytes += a.size();
    if (!prose_texts.empty()) {
      const std::string& b = prose_texts[i % prose_texts.size()];
      corpus.push_back(b);
      bytes += b.size();
    }
  }
  auto anonymizer = privacy::Anonymizer::create(privacy::AnonymizerOptions{}, map_env({}));
  if (!anonymizer.ok()) {
    std::fprintf(stderr, "%s\n", anonymizer.status().message().c_str());
    return 1;
  }
  std::printf("corpus: %.1f MB in %zu texts (%.0f%% from PII-dense tickets/chats, rest KB prose)\n",
              bytes / 1e6, corpus.size(), 100.0 * pii_bytes / bytes);
  // Warm-up (page in the gazetteers and RE2 DFAs).
  for (size_t i = 0; i < 200 && i < corpus.size(); ++i) (void)(*anonymizer)->analyzer().analyze(corpus[i]);

  // Process CPU time, not wall time: on a shared machine the wall clock also counts other
  // processes' turns, while MB per CPU-second is the per-core figure asked for.
  size_t spans = 0;
  auto t0 = std::chrono::steady_clock::now();
  std::clock_t c0 = std::clock();
  for (const auto& text : corpus) spans += (*anonymizer)->analyzer().analyze(text)->size();
  std::clock_t c1 = std::clock();
  auto t1 = std::chrono::steady_clock::now();
  const double detect_s = double(c1 - c0) / CLOCKS_PER_SEC;
  std::printf("detect:    %.2f MB/s per core (%.2f s CPU, %.2f s wall, %zu spans)\n",
              bytes / 1e6 / detect_s, detect_s, std::chrono::duration<double>(t1 - t0).count(),
              spans);

  t0 = std::chrono::steady_clock::now();
  c0 = std::clock();
  size_t out_bytes = 0;
  for (const auto& text : corpus) {
    privacy::PseudonymScope scope = (*anonymizer)->new_scope();
    out_bytes += (*anonymizer)->anonymize_text(text, scope)->size();
  }
  c1 = std::clock();
  t1 = std::chrono::steady_clock::now();
  const double anon_s = double(c1 - c0) / CLOCKS_PER_SEC;
  std::printf("anonymize: %.2f MB/s per core (%.2f s CPU, %.2f s wall, output %.1f MB)\n",
              bytes / 1e6 / anon_s, anon_s, std::chrono::duration<double>(t1 - t0).count(),
              out_bytes / 1e6);
  return 0;
}
