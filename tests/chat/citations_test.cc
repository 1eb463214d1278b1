#include "chat/citations.h"

#include <gtest/gtest.h>

namespace atiende::chat {
namespace {

std::vector<Passage> two_passages() {
  Passage a{1, {}};
  a.hit.doc_id = "faq-roaming-001";
  a.hit.text = "El roaming en Europa cuesta 25.000 COP por día.";
  Passage b{2, {}};
  b.hit.doc_id = "manuals/guia-esim.html";
  b.hit.text = "Escanea el código QR.";
  return {a, b};
}

TEST(CitedNumbers, ParsesCommonForms) {
  EXPECT_EQ(cited_numbers("Sí [1]. También [2][3] y [1, 4]."), (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(cited_numbers("【2】 fin"), (std::vector<int>{2}));
  EXPECT_TRUE(cited_numbers("sin citas [a] [] [0]").empty());
  EXPECT_TRUE(cited_numbers("[").empty());
}

TEST(Grounding, AcceptsOnlyAnswersCitingGivenPassages) {
  auto passages = two_passages();
  Grounding ok = check_grounding("Cuesta 25.000 COP por día [1].", passages);
  EXPECT_TRUE(ok.grounded);
  ASSERT_EQ(ok.citations.size(), 1u);
  EXPECT_EQ(ok.citations[0].doc_id, "faq-roaming-001");

  Grounding none = check_grounding("Cuesta 25.000 COP por día.", passages);
  EXPECT_FALSE(none.grounded);
  EXPECT_EQ(none.reason, "no_citations");

  Grounding unknown = check_grounding("Cuesta poco [1][7].", passages);
  EXPECT_FALSE(unknown.grounded);
  EXPECT_EQ(unknown.reason, "unknown_citation");
  EXPECT_TRUE(unknown.citations.empty());

  EXPECT_EQ(check_grounding("   ", passages).reason, "empty_answer");
}

TEST(Citation, SnippetIsCutAtACodePointBoundary) {
  Passage p{1, {}};
  p.hit.text = std::string(598, 'a') + "ñññ";
  Citation c = citation_of(p);
  EXPECT_LE(c.snippet.size(), 600u + 3);
  // The cut never splits ñ (0xC3 0xB1).
  EXPECT_NE(static_cast<unsigned char>(c.snippet[597]), 0xC3);
}

}  // namespace
}  // namespace atiende::chat
