#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "common/files.h"
#include "common/strings.h"
#include "ingest/pipeline.h"
#include "store/sqlite_store.h"
#include "test_util.h"

namespace atiende::ingest {
namespace {

using testing::cp_substr;
using testing::data_path;

/// Stand-in anonymizer: masks digits and the word "Hola" so tests can see it ran first.
Status fake_anonymizer(SourceRecord& record) {
  auto mask = [](std::string& s) {
    for (char& c : s) {
      if (c >= '0' && c <= '9') c = '#';
    }
  };
  mask(record.text);
  mask(record.title);
  for (auto& turn : record.turns) mask(turn.text);
  return {};
}

SourceRecord record(const std::string& id, const std::string& text) {
  SourceRecord r;
  r.id = id;
  r.title = id;
  r.text = text;
  return r;
}

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::open_sqlite_store(":memory:");
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    dir_ = std::filesystem::temp_directory_path() /
           ("atiende_ingest_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  IngestOptions options() {
    IngestOptions o;
    o.transform = fake_anonymizer;
    return o;
  }

  std::unique_ptr<store::Store> store_;
  FakeClock clock_;
  std::filesystem::path dir_;
};

TEST_F(PipelineTest, IngestsEveryFormatFromADirectory) {
  IngestPipeline pipeline(*store_, options(), clock_);
  std::vector<std::string> paths = {data_path("good")};
  std::vector<std::string> seen;
  auto summary = pipeline.ingest_paths(paths, [&](const FileResult& f) { seen.push_back(f.path); });
  ASSERT_TRUE(summary.ok()) << summary.status().to_string();
  for (const auto& f : summary->files) EXPECT_TRUE(f.status.ok()) << f.status.to_string();
  EXPECT_EQ(summary->files_ok, 6);
  EXPECT_EQ(summary->files_failed, 0);
  EXPECT_EQ(seen.size(), 6u);
  // md, txt, html, pdf = 4; csv = 3; jsonl = 3.
  EXPECT_EQ(summary->documents_added, 10);
  EXPECT_EQ(*store_->count_documents(), 10);
  EXPECT_GE(summary->chunks, 10);
  EXPECT_GT(summary->bytes, 0u);

  // Ids: path relative to the directory argument, CSV id column or "<file-id>#<row>", JSONL id.
  for (const char* id : {"manual.md", "guia.txt", "router.html", "manual_router.pdf",
                         "faq-portabilidad", "faq.csv#2", "faq-esim", "kb-5g", "faq-apn",
                         "chat-001"}) {
    auto doc = store_->get_document(id);
    ASSERT_TRUE(doc.ok());
    EXPECT_TRUE(doc->has_value()) << id;
  }
  auto faq = *store_->get_document("faq.csv#2");
  EXPECT_EQ(faq->type, "faq");
  EXPECT_EQ(faq->metadata_json, R"({"category":"facturacion"})");
  EXPECT_EQ(faq->language, "es");
  EXPECT_NE(faq->source.find("good/faq.csv"), std::string::npos);
}

TEST_F(PipelineTest, ChunkOffsetsPointIntoTheNormalizedText) {
  IngestPipeline pipeline(*store_, options(), clock_);
  for (const char* file : {"good/manual.md", "good/router.html", "good/guia.txt"}) {
    auto bytes = read_file(data_path(file));
    ASSERT_TRUE(bytes.ok());
    const Format format = format_for_path(file);
    auto records = read_records(format, *bytes, file, file);
    ASSERT_TRUE(records.ok());
    IngestOptions small = options();
    auto prepared = pipeline.prepare(records->front());
    ASSERT_TRUE(prepared.ok()) << prepared.status().to_string();
    ASSERT_FALSE(prepared->value.chunks.empty());
    for (const auto& c : prepared->value.chunks) {
      EXPECT_EQ(cp_substr(prepared->text, c.start, c.end), c.text) << file;
    }
  }
}

TEST_F(PipelineTest, SmallBudgetMakesManyChunksButNeverSplitsAnFaq) {
  IngestOptions o = options();
  o.chunker = {.tokens_max = 16, .overlap_tokens = 4};
  IngestPipeline pipeline(*store_, o, clock_);
  std::string long_answer;
  for (int i = 0; i < 30; ++i) long_answer += "Esta es la frase número " + std::to_string(i) + ". ";
  SourceRecord faq;
  faq.id = "faq-larga";
  faq.type = "faq";
  faq.title = "¿Pregunta larga?";
  faq.text = long_answer;
  SourceRecord doc = faq;
  doc.id = "doc-largo";
  doc.type = "doc";
  FileResult r = pipeline.ingest_source_records({faq, doc}, "mem", std::nullopt);
  ASSERT_TRUE(r.status.ok()) << r.status.to_string();
  auto faq_chunks = *store_->chunks_of("faq-larga");
  ASSERT_EQ(faq_chunks.size(), 1u);
  EXPECT_EQ(faq_chunks[0].title, "¿Pregunta larga?");
  EXPECT_EQ(std::string(trim(long_answer)), faq_chunks[0].text);
  EXPECT_EQ(faq_chunks[0].start, 0);
  EXPECT_GT(store_->chunks_of("doc-largo")->size(), 5u);
}

TEST_F(PipelineTest, PdfChunksKeepPagesAndRepeatedFooterIsDropped) {
  IngestOptions o = options();
  o.chunker = {.tokens_max = 40, .overlap_tokens = 0};
  IngestPipeline pipeline(*store_, o, clock_);
  InputFile file{data_path("good/manual_router.pdf"), "manual_router.pdf", Format::kPdf};
  FileResult r = pipeline.ingest_file(file);
  ASSERT_TRUE(r.status.ok()) << r.status.to_string();
  // Header and footer lines of pages 2 and 3 repeat page 1's (page numbers folded).
  EXPECT_EQ(r.duplicates_dropped, 4);
  auto chunks = *store_->chunks_of("manual_router.pdf");
  ASSERT_FALSE(chunks.empty());
  std::set<int32_t> pages;
  std::string all;
  for (const auto& c : chunks) {
    pages.insert(c.page);
    all += c.text + "\n";
  }
  EXPECT_EQ(pages, (std::set<int32_t>{1, 2, 3}));
  EXPECT_EQ(chunks.front().page, 1);
  // The footer survives once (page 1), not three times.
  size_t count = 0;
  for (size_t at = all.find("derechos reservados"); at != std::string::npos;
       at = all.find("derechos reservados", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 1u);
  EXPECT_NE(all.find("verificar la conexión"), std::string::npos);
}

TEST_F(PipelineTest, DedupAcrossDocumentsButNotAgainstOwnPreviousVersion) {
  IngestPipeline pipeline(*store_, options(), clock_);
  const std::string footer = "Aviso legal: UnaEmpresa S.A. no se hace responsable del mal uso.";
  SourceRecord a = record("a", "Contenido propio de A sobre facturación.\n\n" + footer);
  SourceRecord b = record("b", "Contenido distinto de B sobre roaming.\n\n" + footer);
  FileResult first = pipeline.ingest_source_records({a, b}, "mem", std::nullopt);
  ASSERT_TRUE(first.status.ok());
  EXPECT_EQ(first.duplicates_dropped, 1);
  EXPECT_EQ(store_->chunks_of("b")->front().text.find("Aviso legal"), std::string::npos);
  // Re-ingesting A alone (changed) keeps its footer: its own old version does not count.
  a.text = "Contenido nuevo de A.\n\n" + footer;
  FileResult second = pipeline.ingest_source_records({a}, "mem", std::nullopt);
  ASSERT_TRUE(second.status.ok());
  EXPECT_EQ(second.duplicates_dropped, 0);
  EXPECT_NE(store_->chunks_of("a")->front().text.find("Aviso legal"), std::string::npos);
  // Dedup off keeps everything.
  IngestOptions off = options();
  off.dedup = false;
  IngestPipeline no_dedup(*store_, off, clock_);
  EXPECT_EQ(no_dedup.ingest_source_records({a, b}, "mem", std::nullopt).duplicates_dropped, 0);
}

TEST_F(PipelineTest, ReingestIsIdempotentReplacesChangesAndPrunesRemovedRows) {
  std::filesystem::copy(data_path("good/faq.csv"), dir_ / "faq.csv");
  std::filesystem::copy(data_path("good/guia.txt"), dir_ / "guia.txt");
  IngestPipeline pipeline(*store_, options(), clock_);
  std::vector<std::string> paths = {dir_.string()};
  auto first = pipeline.ingest_paths(paths);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->documents_added, 4);
  const int64_t generation = *store_->generation();

  auto again = pipeline.ingest_paths(paths);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->documents_unchanged, 4);
  EXPECT_EQ(again->documents_added + again->documents_replaced, 0);
  EXPECT_EQ(again->chunks, 0);
  EXPECT_EQ(*store_->generation(), generation);

  // Edit one answer, drop the eSIM row.
  std::string csv = *read_file(dir_ / "faq.csv");
  csv = csv.substr(0, csv.find("faq-esim"));
  const size_t at = csv.find("24 horas");
  csv.replace(at, 8, "48 horas");
  ASSERT_TRUE(write_file_atomic(dir_ / "faq.csv", csv).ok());
  auto third = pipeline.ingest_paths(paths);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->documents_replaced, 1);
  EXPECT_EQ(third->documents_unchanged, 2);
  EXPECT_EQ(third->documents_pruned, 1);
  EXPECT_FALSE(store_->get_document("faq-esim")->has_value());
  const auto& csv_result = third->files.front();
  ASSERT_EQ(csv_result.outcome.pruned_doc_ids.size(), 1u);
  EXPECT_NE(store_->chunks_of("faq-portabilidad")->front().text.find("48 horas"),
            std::string::npos);
  EXPECT_EQ(*store_->count_documents(), 3);
}

TEST_F(PipelineTest, BadFilesFailAloneWithFileAndLine) {
  IngestPipeline pipeline(*store_, options(), clock_);
  std::vector<std::string> paths = {data_path("bad"), data_path("good/guia.txt")};
  auto summary = pipeline.ingest_paths(paths);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->files_failed, 4);
  EXPECT_EQ(summary->files_ok, 1);
  std::map<std::string, std::string> errors;
  for (const auto& f : summary->files) {
    if (!f.status.ok()) errors[std::filesystem::path(f.path).filename().string()] = f.status.message();
  }
  EXPECT_NE(errors["broken.jsonl"].find("broken.jsonl:3:"), std::string::npos);
  EXPECT_NE(errors["latin1.txt"].find("latin1.txt:2:"), std::string::npos);
  EXPECT_NE(errors["broken.pdf"].find("broken.pdf"), std::string::npos);
  EXPECT_NE(errors["nocols.csv"].find("nocols.csv:1:"), std::string::npos);
  // The good lines of the broken JSONL are not stored either (one transaction per file).
  EXPECT_FALSE(store_->get_document("ok-1")->has_value());
  EXPECT_TRUE(store_->get_document("guia.txt")->has_value());
  EXPECT_EQ(*store_->count_documents(), 1);
  // A missing path is an error for the whole call.
  std::vector<std::string> missing = {(dir_ / "nope").string()};
  EXPECT_FALSE(pipeline.ingest_paths(missing).ok());
}

TEST_F(PipelineTest, SensitiveRecordsAreTransformedBeforeStorageOrRefused) {
  const std::string body =
      R"({"id":"t-1","type":"ticket","title":"Reclamo 123","text":"Mi número es 3001234567."})";
  IngestOptions none;
  IngestPipeline refusing(*store_, none, clock_);
  FileResult refused = refusing.ingest_records(body);
  ASSERT_FALSE(refused.status.ok());
  EXPECT_EQ(refused.status.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status.message().find("t-1"), std::string::npos);
  EXPECT_EQ(refused.status.message().find("3001234567"), std::string::npos);
  EXPECT_FALSE(store_->get_document("t-1")->has_value());

  IngestPipeline pipeline(*store_, options(), clock_);
  FileResult ok = pipeline.ingest_records(body);
  ASSERT_TRUE(ok.status.ok()) << ok.status.to_string();
  auto chunks = *store_->chunks_of("t-1");
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].text, "Mi número es ##########.");
  EXPECT_EQ((*store_->get_document("t-1"))->title, "Reclamo ###");

  // A failing transform fails the input and stores nothing.
  IngestOptions failing = options();
  failing.transform = [](SourceRecord&) { return Status::internal("detector down"); };
  IngestPipeline broken(*store_, failing, clock_);
  FileResult r = broken.ingest_records(R"({"id":"t-2","type":"chat","text":"hola"})");
  EXPECT_FALSE(r.status.ok());
  EXPECT_FALSE(store_->get_document("t-2")->has_value());
}

TEST_F(PipelineTest, ChatTurnsAreRenderedWithRoles) {
  IngestPipeline pipeline(*store_, options(), clock_);
  FileResult r = pipeline.ingest_records(
      R"({"id":"c","type":"chat","turns":[{"role":"customer","text":"No tengo señal."},)"
      R"({"role":"agent","text":"Reinicie el equipo."},{"role":"supervisor","text":"Cerrado."}]})");
  ASSERT_TRUE(r.status.ok()) << r.status.to_string();
  auto chunks = *store_->chunks_of("c");
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].text, "Cliente: No tengo señal.\nAgente: Reinicie el equipo.\nSupervisor: Cerrado.");
}

TEST_F(PipelineTest, DeleteRemovesDocumentAndReportsChunks) {
  IngestPipeline pipeline(*store_, options(), clock_);
  ASSERT_TRUE(pipeline.ingest_records(R"({"id":"x","text":"Algo que borrar."})").status.ok());
  auto removed = pipeline.delete_document("x");
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->size(), 1u);
  EXPECT_FALSE(store_->get_document("x")->has_value());
  auto again = pipeline.delete_document("x");
  EXPECT_EQ(again.status().code(), StatusCode::kNotFound);
}

TEST_F(PipelineTest, LanguageIsDetectedUnlessGiven) {
  IngestPipeline pipeline(*store_, options(), clock_);
  FileResult r = pipeline.ingest_records(
      R"([{"id":"en","text":"You can check your bill in the app and pay it with your card."},)"
      R"({"id":"es","text":"Puedes consultar tu factura en la app y pagarla con tu tarjeta."},)"
      R"({"id":"given","language":"en","text":"Hola a todos los clientes de la empresa."}])");
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ((*store_->get_document("en"))->language, "en");
  EXPECT_EQ((*store_->get_document("es"))->language, "es");
  EXPECT_EQ((*store_->get_document("given"))->language, "en");
  EXPECT_EQ(store_->chunks_of("en")->front().language, "en");
}

TEST_F(PipelineTest, OptionsFromConfigValidateKeys) {
  Config config(map_env({}));
  config.set("ingest.chunk_tokens_max", "120");
  config.set("ingest.chunk_overlap_tokens", "20");
  auto o = IngestOptions::from_config(config);
  ASSERT_TRUE(o.ok()) << o.status().to_string();
  EXPECT_EQ(o->chunker.tokens_max, 120);
  EXPECT_EQ(o->chunker.overlap_tokens, 20);
  config.set("ingest.chunk_overlap_tokens", "500");
  auto bad = IngestOptions::from_config(config);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("ingest.chunk_overlap_tokens"), std::string::npos);
}

}  // namespace
}  // namespace atiende::ingest

namespace atiende::ingest {
namespace {

TEST(CollectFiles, HonoursAtiendeIgnoreInTheDirectoryRoot) {
  const std::filesystem::path root =
      std::filesystem::path(::testing::TempDir()) / ("ignore_" + std::to_string(::getpid()));
  std::filesystem::create_directories(root / "golden");
  std::filesystem::create_directories(root / "manuals");
  ASSERT_TRUE(write_file_atomic(root / ".atiendeignore", "# comment\nREADME.md\ngolden/\n*.json\n").ok());
  for (const char* file : {"README.md", "golden/retrieval.jsonl", "catalog.json", "manuals/a.md",
                           "manuals/README.md", "faq.csv"}) {
    ASSERT_TRUE(write_file_atomic(root / file, "x").ok());
  }
  const std::vector<std::string> args = {root.string()};
  auto files = collect_files(args);
  ASSERT_TRUE(files.ok()) << files.status().to_string();
  std::vector<std::string> ids;
  for (const auto& f : *files) ids.push_back(f.doc_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"faq.csv", "manuals/a.md"}));
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace atiende::ingest
