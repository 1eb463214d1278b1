#include <gtest/gtest.h>

#include "common/json.h"
#include "ingest/readers.h"
#include "test_util.h"

namespace atiende::ingest {
namespace {

using testing::read_data;

TEST(Readers, FormatByExtension) {
  EXPECT_EQ(format_for_path("a/B.MD"), Format::kMarkdown);
  EXPECT_EQ(format_for_path("x.htm"), Format::kHtml);
  EXPECT_EQ(format_for_path("x.ndjson"), Format::kJsonl);
  EXPECT_EQ(format_for_path("x.docx"), Format::kUnknown);
}

TEST(Readers, MarkdownTitleAndHeadingMarkersRemoved) {
  auto records = read_plain_text(read_data("good/manual.md"), "manual.md", "good/manual.md", true);
  ASSERT_TRUE(records.ok()) << records.status().to_string();
  ASSERT_EQ(records->size(), 1u);
  const SourceRecord& r = records->front();
  EXPECT_EQ(r.id, "manual.md");
  EXPECT_EQ(r.title, "Manual del módem UnaEmpresa X200");
  EXPECT_EQ(r.text.find('#'), std::string::npos);
  EXPECT_NE(r.text.find("Instalación\n"), std::string::npos);
}

TEST(Readers, PlainTextUsesShortFirstLineAsTitle) {
  auto records = read_plain_text(read_data("good/guia.txt"), "guia.txt", "guia.txt", false);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->front().title, "Guía rápida de roaming");
}

TEST(Readers, InvalidUtf8NamesFileAndLine) {
  auto records = read_plain_text(read_data("bad/latin1.txt"), "latin1.txt", "bad/latin1.txt", false);
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(records.status().message().find("bad/latin1.txt:2:"), std::string::npos)
      << records.status().message();
}

TEST(Readers, HtmlSkipsHeadScriptStyleAndKeepsTitle) {
  auto records = read_html(read_data("good/router.html"), "router.html", "router.html");
  ASSERT_TRUE(records.ok());
  const SourceRecord& r = records->front();
  EXPECT_EQ(r.title, "Solución de problemas de internet en casa");
  EXPECT_EQ(r.text.find("secreto"), std::string::npos);
  EXPECT_EQ(r.text.find("tampoco"), std::string::npos);
  EXPECT_EQ(r.text.find("color"), std::string::npos);
  EXPECT_NE(r.text.find("reinicia el router y comprueba la velocidad en velocidad.unaempresa.co."),
            std::string::npos)
      << r.text;
  EXPECT_NE(r.text.find("5\u00a0GHz"), std::string::npos);  // &nbsp; decoded
  EXPECT_NE(r.text.find("estado & en redes"), std::string::npos);
  // Block elements are separate paragraphs.
  EXPECT_NE(r.text.find("Internet en casa\n\nSi la conexión"), std::string::npos) << r.text;
}

TEST(Readers, PdfKeepsPages) {
  auto records = read_pdf(read_data("good/manual_router.pdf"), "manual_router.pdf", "m.pdf");
  ASSERT_TRUE(records.ok()) << records.status().to_string();
  const SourceRecord& r = records->front();
  ASSERT_EQ(r.pages.size(), 3u);
  EXPECT_NE(r.pages[0].find("capítulo 1"), std::string::npos) << r.pages[0];
  EXPECT_NE(r.pages[1].find("capítulo 2"), std::string::npos);
  EXPECT_NE(r.pages[2].find("página 3"), std::string::npos);
  EXPECT_EQ(r.title, "Manual del router");  // the PDF Title (enscript -t)
}

TEST(Readers, BrokenPdfIsAClearError) {
  auto records = read_pdf(read_data("bad/broken.pdf"), "broken.pdf", "bad/broken.pdf");
  ASSERT_FALSE(records.ok());
  EXPECT_NE(records.status().message().find("bad/broken.pdf"), std::string::npos);
  EXPECT_NE(records.status().message().find("PDF"), std::string::npos);
  auto text = read_pdf("hola", "x.pdf", "x.pdf");
  EXPECT_FALSE(text.ok());
}

TEST(Readers, CsvQuotingMultilineAndIds) {
  auto records = read_faq_csv(read_data("good/faq.csv"), "faq.csv", "good/faq.csv");
  ASSERT_TRUE(records.ok()) << records.status().to_string();
  ASSERT_EQ(records->size(), 3u);
  const auto& r = *records;
  EXPECT_EQ(r[0].id, "faq-portabilidad");
  EXPECT_EQ(r[0].type, "faq");
  EXPECT_EQ(r[0].title, "¿Cómo me cambio a UnaEmpresa conservando mi número?");
  EXPECT_NE(r[0].text.find("24 horas hábiles"), std::string::npos);
  // No id column value: "<file-id>#<row>".
  EXPECT_EQ(r[1].id, "faq.csv#2");
  EXPECT_EQ(r[1].title, "¿Por qué mi factura dice \"cargo por roaming\"?");
  EXPECT_NE(r[1].text.find("activo.\nPuedes reclamarlo"), std::string::npos);
  EXPECT_EQ(r[1].line, 3);
  EXPECT_EQ(r[2].line, 5);  // row 2 spans two lines
  auto meta = parse_json(r[1].metadata_json);
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ((*meta)["category"], "facturacion");
}

TEST(Readers, CsvErrorsNameFileAndLine) {
  auto missing = read_faq_csv(read_data("bad/nocols.csv"), "nocols.csv", "bad/nocols.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("bad/nocols.csv:1:"), std::string::npos);
  EXPECT_NE(missing.status().message().find("'question' and 'answer'"), std::string::npos);

  auto unterminated = read_faq_csv("question,answer\nq1,a1\nq2,\"sin cierre\n", "f", "f.csv");
  ASSERT_FALSE(unterminated.ok());
  EXPECT_NE(unterminated.status().message().find("f.csv:3: unterminated"), std::string::npos)
      << unterminated.status().message();

  auto ragged = read_faq_csv("question,answer\nq1,a1,extra\n", "f", "f.csv");
  ASSERT_FALSE(ragged.ok());
  EXPECT_NE(ragged.status().message().find("f.csv:2:"), std::string::npos);

  auto spanish = read_faq_csv("Pregunta,Respuesta,Categoría\r\n¿Hola?,Sí.\r\n", "f", "f.csv");
  ASSERT_FALSE(spanish.ok());  // 2 fields vs 3 columns
  auto crlf = read_faq_csv("Pregunta,Respuesta\r\n¿Hola?,\"Sí, claro.\"\r\n", "f", "f.csv");
  ASSERT_TRUE(crlf.ok()) << crlf.status().to_string();
  EXPECT_EQ(crlf->front().text, "Sí, claro.");
}

TEST(Readers, JsonlRecordsTypesTurnsAndMetadata) {
  auto records = read_jsonl(read_data("good/docs.jsonl"), "docs.jsonl");
  ASSERT_TRUE(records.ok()) << records.status().to_string();
  ASSERT_EQ(records->size(), 3u);
  const auto& r = *records;
  EXPECT_EQ(r[0].id, "kb-5g");
  EXPECT_EQ(r[0].metadata_json, R"({"audience":"hogar","category":"planes"})");
  EXPECT_EQ(r[1].type, "faq");
  EXPECT_EQ(r[1].title, "¿Cuál es el APN de datos?");
  EXPECT_EQ(r[2].type, "chat");
  EXPECT_EQ(r[2].line, 4);
  ASSERT_EQ(r[2].turns.size(), 2u);
  EXPECT_EQ(r[2].turns[0].role, "customer");
}

TEST(Readers, MalformedJsonlLineIsNamed) {
  auto records = read_jsonl(read_data("bad/broken.jsonl"), "bad/broken.jsonl");
  ASSERT_FALSE(records.ok());
  EXPECT_NE(records.status().message().find("bad/broken.jsonl:3:"), std::string::npos)
      << records.status().message();
  EXPECT_EQ(records.status().message().find("broken.jsonl:1:"), std::string::npos);
}

TEST(Readers, JsonlValidatesFields) {
  EXPECT_FALSE(read_jsonl(R"({"text":"sin id"})", "x").ok());
  EXPECT_FALSE(read_jsonl(R"({"id":"a","text":"x","type":"memo"})", "x").ok());
  EXPECT_FALSE(read_jsonl(R"({"id":"a","text":"x","metadata":[1]})", "x").ok());
  EXPECT_FALSE(read_jsonl(R"({"id":"a"})", "x").ok());
  auto dup = read_jsonl("{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"a\",\"text\":\"y\"}\n", "x");
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("x:2: duplicate id 'a' (first on line 1)"),
            std::string::npos);
}

TEST(Readers, JsonBodiesObjectArrayOrLines) {
  auto one = read_json_or_jsonl(R"({"id":"a","text":"hola"})", "api");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
  auto array = read_json_or_jsonl(R"([{"id":"a","text":"x"},{"id":"b","text":"y"}])", "api");
  ASSERT_TRUE(array.ok());
  EXPECT_EQ(array->size(), 2u);
  auto wrapped = read_json_or_jsonl(R"({"documents":[{"id":"a","text":"x"}]})", "api");
  ASSERT_TRUE(wrapped.ok());
  auto lines = read_json_or_jsonl("{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"y\"}",
                                  "api");
  ASSERT_TRUE(lines.ok()) << lines.status().to_string();
  EXPECT_EQ(lines->size(), 2u);
  auto bad = read_json_or_jsonl(R"([{"id":"a","text":"x"},{"id":"b"}])", "api");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("record 1"), std::string::npos);
  EXPECT_FALSE(read_json_or_jsonl("no json", "api").ok());
}

}  // namespace
}  // namespace atiende::ingest
