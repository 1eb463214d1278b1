#pragma once
/// Sentence-aware chunking under a token budget, with overlap, keeping code point offsets and the
/// PDF page of each chunk's start.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace atiende::ingest {

struct ChunkerOptions {
  int tokens_max = 200;     ///< budget per chunk (config ingest.chunk_tokens_max)
  int overlap_tokens = 40;  ///< tokens of trailing sentences repeated at the start of the next
                            ///< chunk (config ingest.chunk_overlap_tokens); < tokens_max
};

/// A byte range [begin, end) of the text.
struct ByteSpan {
  size_t begin = 0;
  size_t end = 0;
};

/// One chunk of a document's text.
struct TextChunk {
  std::string text;        ///< == the document text[start, end) (code points)
  int64_t start = 0;       ///< code points into the document text
  int64_t end = 0;         ///< code points, exclusive
  size_t start_byte = 0;   ///< same range in bytes
  size_t end_byte = 0;
  int32_t page = 0;        ///< 1-based page of `start`; 0 when the document is not paged
};

/// Counts tokens of a piece of text (the same measure as the prompt budget).
using TokenCounter = std::function<size_t(std::string_view)>;

/// A fallback counter: whitespace-separated words, plus one per 12 bytes of a long word.
size_t approximate_tokens(std::string_view text);

/// Packs consecutive sentences into chunks of at most `tokens_max` tokens; a chunk ends at a
/// sentence end, and the next starts with the last sentences of the previous one worth at most
/// `overlap_tokens`. A single sentence over budget is cut at whitespace into windows. A paragraph
/// break ("\n\n") inside the budget is preferred as a cut point over a sentence end once the chunk
/// is at least half full.
///   text: the normalized document text (valid UTF-8).
///   sentences: ordered, non-overlapping byte spans covering the sentences of `text` (whitespace
///     between them is allowed and becomes part of the chunk that spans it).
///   page_starts: code point offset where page i+1 starts, ascending (empty = not paged).
std::vector<TextChunk> chunk_text(std::string_view text, std::span<const ByteSpan> sentences,
                                  const TokenCounter& count_tokens, const ChunkerOptions& options,
                                  std::span<const int64_t> page_starts = {});

/// The 1-based page containing code point `offset` (0 when page_starts is empty).
int32_t page_of(int64_t offset, std::span<const int64_t> page_starts);

}  // namespace atiende::ingest
