#include <gtest/gtest.h>

#include "common/config.h"
#include "retrieve/fusion.h"
#include "retrieve/hybrid_retriever.h"

namespace atiende::retrieve {
namespace {

using index::ScoredChunk;

TEST(FusionTest, SumsWeightedReciprocalRanks) {
  const std::vector<ScoredChunk> lexical = {{1, 9.0f}, {2, 5.0f}, {3, 1.0f}};
  const std::vector<ScoredChunk> vector = {{3, 0.9f}, {1, 0.8f}};
  const RankedList lists[] = {{lexical, 1.0}, {vector, 2.0}};
  const auto fused = reciprocal_rank_fusion(lists, 60, 10);
  ASSERT_EQ(fused.size(), 3u);
  // id 1: 1/61 + 2/62; id 3: 1/63 + 2/61; id 2: 1/62.
  EXPECT_EQ(fused[0].chunk_id, 3);
  EXPECT_NEAR(fused[0].score, 1.0 / 63 + 2.0 / 61, 1e-6);
  EXPECT_EQ(fused[1].chunk_id, 1);
  EXPECT_NEAR(fused[1].score, 1.0 / 61 + 2.0 / 62, 1e-6);
  EXPECT_EQ(fused[2].chunk_id, 2);
  EXPECT_NEAR(fused[2].score, 1.0 / 62, 1e-6);
}

TEST(FusionTest, OriginalScoresDoNotMatterOnlyRanks) {
  const std::vector<ScoredChunk> a = {{7, 1000.0f}, {8, 999.0f}};
  const std::vector<ScoredChunk> b = {{8, 0.01f}, {7, 0.001f}};
  const RankedList lists[] = {{a, 1.0}, {b, 1.0}};
  const auto fused = reciprocal_rank_fusion(lists, 60, 10);
  ASSERT_EQ(fused.size(), 2u);
  EXPECT_FLOAT_EQ(fused[0].score, fused[1].score);
  // Tie: same best rank (1) -> smaller id first.
  EXPECT_EQ(fused[0].chunk_id, 7);
  EXPECT_EQ(fused[1].chunk_id, 8);
}

TEST(FusionTest, TieBrokenByBestRankBeforeId) {
  const std::vector<ScoredChunk> a = {{9, 1}, {2, 1}};
  const std::vector<ScoredChunk> b = {{5, 1}, {2, 1}};
  const RankedList lists[] = {{a, 1.0}, {b, 1.0}};
  // k = 2: id 9 = 1/3, id 5 = 1/3, id 2 = 1/4 + 1/4 = 1/2.
  const auto fused = reciprocal_rank_fusion(lists, 2, 10);
  ASSERT_EQ(fused.size(), 3u);
  EXPECT_EQ(fused[0].chunk_id, 2);
  EXPECT_EQ(fused[1].chunk_id, 5);  // tie with 9 at best rank 1: smaller id
  EXPECT_EQ(fused[2].chunk_id, 9);
}

TEST(FusionTest, LimitZeroWeightAndDuplicates) {
  const std::vector<ScoredChunk> a = {{1, 1}, {1, 1}, {2, 1}};  // repeated id counts once
  const std::vector<ScoredChunk> b = {{3, 1}};
  const RankedList lists[] = {{a, 1.0}, {b, 0.0}};
  const auto fused = reciprocal_rank_fusion(lists, 60, 10);
  ASSERT_EQ(fused.size(), 2u);  // list b ignored (weight 0)
  EXPECT_EQ(fused[0].chunk_id, 1);
  EXPECT_NEAR(fused[0].score, 1.0 / 61, 1e-7);
  EXPECT_NEAR(fused[1].score, 1.0 / 63, 1e-7);  // id 2 keeps its rank 3

  const RankedList both[] = {{a, 1.0}, {b, 1.0}};
  EXPECT_EQ(reciprocal_rank_fusion(both, 60, 1).size(), 1u);
  EXPECT_TRUE(reciprocal_rank_fusion(both, 60, 0).empty());
  EXPECT_TRUE(reciprocal_rank_fusion({}, 60, 5).empty());
}

}  // namespace
}  // namespace atiende::retrieve

namespace atiende::retrieve {
namespace {

TEST(RetrieverOptionsTest, VectorWeightDefaultFollowsTheEmbedder) {
  auto local = Config::load_string("", map_env({}));
  ASSERT_TRUE(local.ok());
  auto options = retriever_options_from_config(*local);
  ASSERT_TRUE(options.ok());
  EXPECT_DOUBLE_EQ(options->vector_weight, kLocalVectorWeight);

  auto remote = Config::load_string("[embed]\nprovider = \"openai\"\n", map_env({}));
  ASSERT_TRUE(remote.ok());
  options = retriever_options_from_config(*remote);
  ASSERT_TRUE(options.ok());
  EXPECT_DOUBLE_EQ(options->vector_weight, 1.0);

  auto pinned = Config::load_string("[embed]\nprovider = \"openai\"\n",
                                    map_env({{"ATIENDE_RETRIEVE_VECTOR_WEIGHT", "0.4"}}));
  ASSERT_TRUE(pinned.ok());
  options = retriever_options_from_config(*pinned);
  ASSERT_TRUE(options.ok());
  EXPECT_DOUBLE_EQ(options->vector_weight, 0.4);

  auto negative = Config::load_string("[retrieve]\nvector_weight = -1\n", map_env({}));
  ASSERT_TRUE(negative.ok());
  EXPECT_FALSE(retriever_options_from_config(*negative).ok());
}

}  // namespace
}  // namespace atiende::retrieve
