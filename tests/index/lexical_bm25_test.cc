#include "index/lexical_bm25.h"

#include <gtest/gtest.h>

namespace atiende::index {
namespace {

TEST(Bm25Options, ReadsConfigKeys) {
  Config config(map_env({{"ATIENDE_INDEX_BM25_K1", "0.9"}}));
  auto options = bm25_options_from_config(config);
  ASSERT_TRUE(options.ok());
  EXPECT_DOUBLE_EQ(options->k1, 0.9);
  EXPECT_DOUBLE_EQ(options->b, 0.75);
}

}  // namespace
}  // namespace atiende::index
