#pragma once
/// Approximate LLM token count, for prompt budgets (chunk sizes, history trimming).
///
/// Heuristic, calibrated on BPE vocabularies of current chat models (cl100k/o200k, Llama 3):
///   - a run of letters costs ceil(code points / 4) tokens, at least 1 (Spanish and English
///     words mostly are one token; long or rare words split into ~4-character pieces);
///   - a run of digits costs ceil(digits / 3) (BPEs group digits in threes);
///   - each punctuation or symbol character costs 1; whitespace is free (merged into the next
///     word's token); each CJK or other non-Latin ideograph costs 1;
///   - invalid UTF-8 bytes cost 1 each.
/// It tends to over-count slightly (by ~5-15%) on ordinary es/en prose, which is the safe side for
/// a budget. Exact counts need the model's tokenizer (the llm/ provider may offer it).

#include <cstddef>
#include <string_view>

namespace atiende::text {

/// Approximate number of LLM tokens in `text`. Thread-safe, O(n).
size_t approx_token_count(std::string_view text);

}  // namespace atiende::text
