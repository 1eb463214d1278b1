// GroundedRelay: streamed provider text reaches the customer only up to its latest citation of a
// given passage; uncited text and text after an unknown citation never do.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "chat/engine.h"
#include "chat/grounded_stream.h"

namespace atiende::chat {
namespace {

class ShownSink final : public TurnSink {
 public:
  void on_token(std::string_view text) override { pieces.emplace_back(text); }
  void on_citations(const std::vector<Citation>&) override {}
  void on_action(std::string_view, const std::string&) override {}
  std::string shown() const {
    std::string all;
    for (const auto& p : pieces) all += p;
    return all;
  }
  std::vector<std::string> pieces;
};

std::vector<Passage> two_passages() {
  std::vector<Passage> passages(2);
  passages[0].number = 1;
  passages[0].hit.doc_id = "faq-esim";
  passages[1].number = 2;
  passages[1].hit.doc_id = "faq-roaming";
  return passages;
}

TEST(CitationMarkers, GivePositionsAndSkipUnfinishedMarkers) {
  const std::string text = "Uno [1]. Dos [1, 2] y 【2】. Sin cerrar [3";
  const auto markers = citation_markers(text);
  ASSERT_EQ(markers.size(), 3u);
  EXPECT_EQ(text.substr(markers[0].begin, markers[0].end - markers[0].begin), "[1]");
  EXPECT_EQ(markers[1].numbers, (std::vector<int>{1, 2}));
  EXPECT_EQ(text.substr(markers[2].begin, markers[2].end - markers[2].begin), "【2】");
  EXPECT_TRUE(citation_markers("[0] [abc] [] [1").empty());
  EXPECT_EQ(cited_numbers(text), (std::vector<int>{1, 2}));
}

TEST(GroundedRelay, ReleasesTextAsSoonAsACitationOfAGivenPassageArrives) {
  const auto passages = two_passages();
  ShownSink sink;
  GroundedRelay relay(sink, passages);
  relay.on_text("Escanea el ");
  relay.on_text("código QR ");
  EXPECT_TRUE(sink.pieces.empty()) << "uncited text must wait";
  relay.on_text("[");  // a marker split across deltas
  relay.on_text("1]");
  ASSERT_EQ(sink.pieces.size(), 1u);
  EXPECT_EQ(sink.pieces[0], "Escanea el código QR [1]");
  relay.on_text(". Cuesta 9.900 al día [2]");
  EXPECT_EQ(sink.shown(), "Escanea el código QR [1]. Cuesta 9.900 al día [2]");
  relay.on_text(".");
  Grounding grounding = relay.finish();
  EXPECT_TRUE(grounding.grounded);
  EXPECT_EQ(sink.shown(), "Escanea el código QR [1]. Cuesta 9.900 al día [2].");
  ASSERT_EQ(grounding.citations.size(), 2u);
  EXPECT_EQ(grounding.citations[1].doc_id, "faq-roaming");
}

TEST(GroundedRelay, AnAnswerWithoutCitationsShowsNothing) {
  const auto passages = two_passages();
  ShownSink sink;
  GroundedRelay relay(sink, passages);
  relay.on_text("El roaming es gratis ");
  relay.on_text("en todo el mundo.");
  Grounding grounding = relay.finish();
  EXPECT_FALSE(grounding.grounded);
  EXPECT_EQ(grounding.reason, "no_citations");
  EXPECT_TRUE(sink.pieces.empty());
  EXPECT_EQ(relay.shown(), "");
}

TEST(GroundedRelay, AnUnknownCitationStopsTheRelease) {
  const auto passages = two_passages();
  ShownSink sink;
  GroundedRelay relay(sink, passages);
  relay.on_text("Cuesta 1 peso [7]. Y la eSIM se activa con el QR [1].");
  Grounding grounding = relay.finish();
  EXPECT_TRUE(relay.cited_unknown());
  EXPECT_FALSE(grounding.grounded);
  EXPECT_EQ(grounding.reason, "unknown_citation");
  EXPECT_TRUE(sink.pieces.empty());

  // After a grounded part: that part stays, nothing after the unknown citation is shown.
  ShownSink later_sink;
  GroundedRelay later(later_sink, passages);
  later.on_text("Escanea el QR [1]. ");
  later.on_text("Es gratis [9]. Seguro [2].");
  Grounding cut = later.finish();
  EXPECT_EQ(later_sink.shown(), "Escanea el QR [1]");
  EXPECT_TRUE(cut.grounded);
  ASSERT_EQ(cut.citations.size(), 1u);
  EXPECT_EQ(cut.citations[0].number, 1);
}

TEST(GroundedRelay, AGroundedAnswerReleasesItsUncitedTailAtTheEnd) {
  const auto passages = two_passages();
  ShownSink sink;
  GroundedRelay relay(sink, passages);
  relay.on_text("Escanea el QR [1]. ¿Te ayudo con algo más?");
  EXPECT_EQ(sink.shown(), "Escanea el QR [1]");
  EXPECT_TRUE(relay.finish().grounded);
  EXPECT_EQ(sink.shown(), "Escanea el QR [1]. ¿Te ayudo con algo más?");
}

}  // namespace
}  // namespace atiende::chat
