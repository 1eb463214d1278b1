// Ingest throughput (MB/s): generates a Spanish-like corpus of Markdown manuals (with a repeated
// footer), FAQ CSVs and JSONL documents in a temp dir, then runs the real IngestPipeline into a
// fresh SQLite store (WAL, one transaction per file), and reports MB/s end to end plus the share
// spent before the store (read + parse + normalize + dedup + chunk).
//
//   build/bench/bench_ingest_speed [--mb 20] [--tokens 200] [--overlap 40]

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "common/files.h"
#include "ingest/pipeline.h"
#include "store/sqlite_store.h"

namespace {

using namespace atiende;

const char* kWords[] = {
    "factura", "plan", "datos", "móvil", "roaming", "cobertura", "red", "5G", "equipo", "garantía",
    "portabilidad", "número", "línea", "servicio", "cliente", "pago", "tarjeta", "saldo", "recarga",
    "internet", "fibra", "router", "velocidad", "señal", "antena", "contrato", "permanencia",
    "tarifa", "minutos", "mensajes", "llamadas", "extranjero", "activación", "eSIM", "SIM",
    "bloqueo", "seguridad", "contraseña", "aplicación", "tienda", "envío", "pedido", "devolución",
    "técnico", "visita", "avería", "incidencia", "corte", "mantenimiento", "descuento", "promoción",
    "el", "la", "de", "que", "en", "los", "para", "con", "una", "su", "por", "del", "se", "al"};

std::string sentence(std::mt19937_64& rng) {
  std::uniform_int_distribution<size_t> word(0, std::size(kWords) - 1);
  std::uniform_int_distribution<int> length(8, 22);
  std::string s;
  const int n = length(rng);
  for (int i = 0; i < n; ++i) {
    std::string w = kWords[word(rng)];
    if (i == 0 && w[0] >= 'a' && w[0] <= 'z') w[0] = static_cast<char>(w[0] - 32);
    if (i) s += ' ';
    s += w;
  }
  return s + ".";
}

std::string paragraph(std::mt19937_64& rng, int sentences) {
  std::string p;
  for (int i = 0; i < sentences; ++i) p += (i ? " " : "") + sentence(rng);
  return p;
}

uint64_t generate(const std::filesystem::path& dir, uint64_t target_bytes) {
  std::mt19937_64 rng(42);
  uint64_t bytes = 0;
  int file = 0;
  std::filesystem::create_directories(dir / "manuales");
  std::filesystem::create_directories(dir / "faq");
  while (bytes < target_bytes) {
    std::string content;
    std::filesystem::path path;
    if (file % 10 == 8) {  // FAQ CSV, 50 pairs
      path = dir / "faq" / ("faq_" + std::to_string(file) + ".csv");
      content = "id,category,question,answer\n";
      for (int r = 0; r < 50; ++r) {
        content += "f" + std::to_string(file) + "_" + std::to_string(r) + ",general,\"¿" +
                   sentence(rng) + "?\",\"" + paragraph(rng, 3) + "\"\n";
      }
    } else if (file % 10 == 9) {  // JSONL, 30 docs
      path = dir / ("docs_" + std::to_string(file) + ".jsonl");
      for (int r = 0; r < 30; ++r) {
        content += "{\"id\":\"j" + std::to_string(file) + "_" + std::to_string(r) +
                   "\",\"title\":\"" + sentence(rng) + "\",\"text\":\"" + paragraph(rng, 8) +
                   "\",\"metadata\":{\"category\":\"planes\"}}\n";
      }
    } else {  // Markdown manual with sections and a repeated footer
      path = dir / "manuales" / ("manual_" + std::to_string(file) + ".md");
      content = "# Manual " + std::to_string(file) + "\n\n";
      for (int s = 0; s < 8; ++s) {
        content += "## Sección " + std::to_string(s) + "\n\n" + paragraph(rng, 6) + "\n\n" +
                   paragraph(rng, 5) + "\n\n";
      }
      content += "UnaEmpresa S.A. - Todos los derechos reservados - línea de atención 601 555 0000\n";
    }
    std::ofstream(path, std::ios::binary) << content;
    bytes += content.size();
    ++file;
  }
  return bytes;
}

}  // namespace

int main(int argc, char** argv) {
  double mb = 20;
  ingest::IngestOptions options;
  options.allow_untransformed_for_test = true;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--mb")) mb = std::atof(argv[i + 1]);
    if (!std::strcmp(argv[i], "--tokens")) options.chunker.tokens_max = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--overlap")) options.chunker.overlap_tokens = std::atoi(argv[i + 1]);
  }
  const auto dir = std::filesystem::temp_directory_path() /
                   ("atiende_bench_ingest_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const uint64_t generated = generate(dir / "corpus", static_cast<uint64_t>(mb * 1e6));
  std::vector<std::string> paths = {(dir / "corpus").string()};

  // Pass 1: everything before the store (read, parse, normalize, dedup, chunk).
  auto files = ingest::collect_files(paths);
  if (!files.ok()) return std::fprintf(stderr, "%s\n", files.status().message().c_str()), 1;
  auto memory_store = store::open_sqlite_store(":memory:");
  ingest::IngestPipeline preparer(**memory_store, options);
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  uint64_t prepared_docs = 0;
  for (const auto& f : *files) {
    auto bytes = read_file(f.path);
    auto records = ingest::read_records(f.format, *bytes, f.doc_id, f.path.string());
    if (!records.ok()) return std::fprintf(stderr, "%s\n", records.status().message().c_str()), 1;
    for (auto& r : *records) {
      auto p = preparer.prepare(std::move(r));
      if (!p.ok()) return std::fprintf(stderr, "%s\n", p.status().message().c_str()), 1;
      ++prepared_docs;
    }
  }
  const double prepare_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double prepare_cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;

  // Pass 2: the real thing into a file-backed store.
  auto store = store::open_sqlite_store((dir / "atiende.db").string());
  if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().message().c_str()), 1;
  ingest::IngestPipeline pipeline(**store, options);
  const std::clock_t c1 = std::clock();
  auto summary = pipeline.ingest_paths(paths);
  const double full_cpu = static_cast<double>(std::clock() - c1) / CLOCKS_PER_SEC;
  if (!summary.ok()) return std::fprintf(stderr, "%s\n", summary.status().message().c_str()), 1;
  // Pass 3: re-ingest (everything unchanged).
  auto again = pipeline.ingest_paths(paths);

  std::printf("corpus: %.1f MB, %zu files, %llu documents\n", generated / 1e6, files->size(),
              static_cast<unsigned long long>(prepared_docs));
  std::printf("prepare only (read+parse+normalize+dedup+chunk): %.2f s wall, %.1f MB/s wall; "
              "%.2f s CPU, %.1f MB/s per core\n",
              prepare_s, generated / 1e6 / prepare_s, prepare_cpu, generated / 1e6 / prepare_cpu);
  std::printf("full ingest into SQLite (WAL, 1 txn/file): %.2f s, %.1f MB/s, %lld docs, %lld chunks,"
              " %lld duplicate blocks dropped, %lld files failed\n",
              summary->seconds, summary->megabytes_per_second(),
              static_cast<long long>(summary->documents_added),
              static_cast<long long>(summary->chunks),
              static_cast<long long>(summary->duplicates_dropped),
              static_cast<long long>(summary->files_failed));
  std::printf("full ingest CPU: %.2f s, %.1f MB/s per core\n", full_cpu,
              generated / 1e6 / full_cpu);
  if (again.ok()) {
    std::printf("re-ingest unchanged: %.2f s, %.1f MB/s, %lld unchanged\n", again->seconds,
                again->megabytes_per_second(),
                static_cast<long long>(again->documents_unchanged));
  }
  std::filesystem::remove_all(dir);
  return 0;
}
