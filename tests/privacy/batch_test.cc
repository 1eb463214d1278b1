#include "privacy/batch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace atiende::privacy {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class BatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = Anonymizer::create(AnonymizerOptions{}, map_env({}));
    ASSERT_TRUE(a.ok());
    anonymizer_ = std::move(*a);
  }
  Status run(BatchFormat format, const std::string& input, bool skip_bad = false,
             bool detect_only = false) {
    BatchOptions o;
    o.format = format;
    o.skip_bad = skip_bad;
    o.detect_only = detect_only;
    o.max_line_bytes = 4096;
    std::istringstream in(input);
    out_.str("");
    spans_.str("");
    stats_ = {};
    return run_batch(*anonymizer_, o, in, &out_, &spans_, stats_);
  }
  std::unique_ptr<Anonymizer> anonymizer_;
  std::ostringstream out_, spans_;
  BatchStats stats_;
};

TEST_F(BatchTest, TextLinesShareOneScope) {
  ASSERT_TRUE(run(BatchFormat::kText, "Soy Laura Gómez\n\nLaura Gómez, 300 123 4567\n").ok());
  EXPECT_EQ(out_.str(), "Soy <PERSON_1>\n\n<PERSON_1>, <PHONE_1>\n");
  EXPECT_EQ(stats_.records, 3u);
  EXPECT_EQ(stats_.counts["PERSON"], 2u);
}

TEST_F(BatchTest, SpansOutCarriesHashesNeverRawText) {
  ASSERT_TRUE(run(BatchFormat::kJsonl, R"({"id":"1","text":"correo ana@correo.com"})" "\n").ok());
  const std::string spans = spans_.str();
  EXPECT_THAT(spans, HasSubstr(R"("line":1)"));
  EXPECT_THAT(spans, HasSubstr(R"("field":"text")"));
  EXPECT_THAT(spans, HasSubstr(R"("type":"EMAIL")"));
  EXPECT_THAT(spans, HasSubstr(R"("start":7)"));
  EXPECT_THAT(spans, HasSubstr(R"("text_hash":")"));
  EXPECT_THAT(spans, Not(HasSubstr("ana@correo.com")));
}

TEST_F(BatchTest, BadJsonNamesTheLine) {
  Status s = run(BatchFormat::kJsonl, "{\"text\":\"hola\"}\n{\"text\": oops}\n");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("line 2"));
}

TEST_F(BatchTest, InvalidUtf8NamesTheLine) {
  Status s = run(BatchFormat::kText, "hola\nmal \xC3\x28 texto\n");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("line 2"));
  EXPECT_THAT(s.message(), HasSubstr("invalid UTF-8"));
}

TEST_F(BatchTest, HugeLineIsAnErrorAndSkipBadDropsIt) {
  const std::string huge = "Laura Gómez " + std::string(5000, 'x');
  Status s = run(BatchFormat::kText, "ok\n" + huge + "\nfin\n");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("line 2"));
  ASSERT_TRUE(run(BatchFormat::kText, "ok\n" + huge + "\nfin\n", true).ok());
  EXPECT_EQ(stats_.skipped, 1u);
  EXPECT_EQ(stats_.skipped_lines, std::vector<uint64_t>{2});
  EXPECT_EQ(out_.str(), "ok\nfin\n");  // the bad record never passes through
  EXPECT_THAT(stats_.to_json(), HasSubstr(R"("skipped":1)"));
}

TEST_F(BatchTest, CsvQuotedFieldsAndMalformedRows) {
  const std::string csv =
      "id,notes\n"
      "1,\"Llamar a Laura Gómez, al 300 123 4567\"\n"
      "2,\"multi\nlínea con ana@correo.com\"\n";
  ASSERT_TRUE(run(BatchFormat::kCsv, csv).ok());
  EXPECT_EQ(out_.str(),
            "id,notes\n1,\"Llamar a <PERSON_1>, al <PHONE_1>\"\n2,\"multi\nlínea con <EMAIL_1>\"\n");
  Status bad = run(BatchFormat::kCsv, "id,notes\n1,ok\n2,too,many\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.message(), HasSubstr("line 3"));
  ASSERT_TRUE(run(BatchFormat::kCsv, "id,notes\n1,ok\n2,\"open quote\n", true).ok());
  EXPECT_EQ(stats_.skipped, 1u);
}

TEST_F(BatchTest, DetectOnlyWritesNoText) {
  ASSERT_TRUE(run(BatchFormat::kText, "correo ana@correo.com\n", false, true).ok());
  EXPECT_EQ(out_.str(), "");
  EXPECT_THAT(spans_.str(), HasSubstr("EMAIL"));
}

}  // namespace
}  // namespace atiende::privacy
