#include "chat/query_rewrite.h"

#include <gtest/gtest.h>

namespace atiende::chat {
namespace {

TEST(QueryRewrite, FollowUpsCarryThePreviousTopic) {
  const std::vector<std::string> previous = {"¿Cuánto cuesta el roaming en Europa?"};
  const std::string rewritten = carry_over_context("¿y en Estados Unidos?", previous, "es");
  EXPECT_NE(rewritten.find("Estados Unidos"), std::string::npos);
  EXPECT_NE(rewritten.find("roaming"), std::string::npos);
  EXPECT_NE(carry_over_context("and how much is that?", {"eSIM activation fee"}, "en").find("eSIM"),
            std::string::npos);
}

TEST(QueryRewrite, StandaloneQuestionsStayAsTheyAre) {
  const std::vector<std::string> previous = {"¿Cuánto cuesta el roaming en Europa?"};
  const std::string q = "¿Cómo activo la eSIM en un iPhone 15?";
  EXPECT_EQ(carry_over_context(q, previous, "es"), q);
  EXPECT_EQ(carry_over_context("¿y en Europa?", {}, "es"), "¿y en Europa?");
}

}  // namespace
}  // namespace atiende::chat
