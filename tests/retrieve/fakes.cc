#include "retrieve/fakes.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>

#include "common/files.h"
#include "common/json.h"
#include "retrieve/filter.h"

namespace atiende::retrieve::testing {

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) {
      current += static_cast<char>(std::tolower(c));
    } else if (!current.empty()) {
      out.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

Status FakeLexicalIndex::upsert(std::span<const store::Chunk> chunks) {
  for (const auto& c : chunks) chunks_[c.id] = c;
  return {};
}

Status FakeLexicalIndex::remove(std::span<const int64_t> chunk_ids) {
  for (int64_t id : chunk_ids) chunks_.erase(id);
  return {};
}

Result<std::vector<index::ScoredChunk>> FakeLexicalIndex::search(
    std::string_view query, size_t k, const index::Filter& filter) const {
  ATIENDE_ASSIGN_OR_RETURN(const ChunkFilter compiled, ChunkFilter::compile(filter));
  const auto q = words(query);
  const std::set<std::string> terms(q.begin(), q.end());
  std::vector<index::ScoredChunk> out;
  for (const auto& [id, c] : chunks_) {
    if (!compiled.matches(c)) continue;
    const auto title = words(c.title);
    const auto body = words(c.text);
    const std::set<std::string> title_set(title.begin(), title.end());
    const std::set<std::string> body_set(body.begin(), body.end());
    float score = 0;
    for (const auto& t : terms) score += 2.0f * title_set.count(t) + body_set.count(t);
    if (score > 0) out.push_back({id, score});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.score != b.score ? a.score > b.score : a.chunk_id < b.chunk_id;
  });
  if (out.size() > k) out.resize(k);
  return out;
}

Status FakeLexicalIndex::save(const std::filesystem::path& path, int64_t generation) const {
  Json j = {{"generation", generation}, {"chunks", Json::array()}};
  for (const auto& [id, c] : chunks_) {
    j["chunks"].push_back({{"id", c.id}, {"doc_id", c.doc_id}, {"title", c.title},
                           {"text", c.text}, {"type", c.type}, {"language", c.language},
                           {"metadata", c.metadata_json}});
  }
  return write_file_atomic(path, dump_json(j));
}

Result<int64_t> FakeLexicalIndex::load(const std::filesystem::path& path) {
  ATIENDE_ASSIGN_OR_RETURN(const std::string text, read_file(path));
  ATIENDE_ASSIGN_OR_RETURN(const Json j, parse_json(text));
  try {
  std::map<int64_t, store::Chunk> chunks;
  for (const auto& item : j.at("chunks")) {
    store::Chunk c;
    c.id = item.at("id").get<int64_t>();
    c.doc_id = item.at("doc_id").get<std::string>();
    c.title = item.at("title").get<std::string>();
    c.text = item.at("text").get<std::string>();
    c.type = item.at("type").get<std::string>();
    c.language = item.at("language").get<std::string>();
    c.metadata_json = item.at("metadata").get<std::string>();
    chunks[c.id] = std::move(c);
  }
  chunks_ = std::move(chunks);
  return j.at("generation").get<int64_t>();
  } catch (const std::exception& e) {
    return Status::data_loss(path.string() + ": " + e.what());
  }
}

Result<std::vector<embed::Vector>> FakeEmbedder::embed(std::span<const std::string> texts,
                                                       embed::EmbedRole /*role*/) const {
  if (fail_) return Status::unavailable("fake embedder: told to fail");
  std::vector<embed::Vector> out;
  for (const auto& text : texts) {
    embed::Vector v(dimension_, 0.0f);
    for (const auto& w : words(text)) {
      const size_t h = std::hash<std::string>{}(w);
      v[h % dimension_] += (h >> 40) & 1 ? 1.0f : -1.0f;
    }
    float norm = 0;
    for (float x : v) norm += x * x;
    if (norm == 0) {
      v[0] = 1;
      norm = 1;
    }
    norm = std::sqrt(norm);
    for (float& x : v) x /= norm;
    out.push_back(std::move(v));
  }
  embedded_ += texts.size();
  return out;
}

}  // namespace atiende::retrieve::testing
