#include "agent/intent_classifier.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include "common/clock.h"
#include "common/files.h"
#include "common/json.h"
#include "common/strings.h"
#include "text/analyzer.h"

namespace atiende::agent {
namespace {

bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

std::vector<std::string> words_of(std::string_view text) {
  const std::string folded = text::fold(text.substr(0, 4096));
  std::vector<std::string> words;
  std::string current;
  for (unsigned char c : folded) {
    if (is_word_byte(c)) {
      current.push_back(static_cast<char>(c));
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

/// Splits CSV text into records of fields (RFC 4180: quotes, doubled quotes, CRLF).
std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !field.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
      }
      row.clear();
      field.clear();
      any = false;
    } else {
      field.push_back(c);
      any = true;
    }
  }
  if (any || !field.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

std::vector<std::string> intent_features(std::string_view text, const IntentTrainOptions& options,
                                         size_t* char_start) {
  const auto words = words_of(text);
  std::vector<std::string> out;
  const auto& stemmer = text::Analyzer::for_language("es");
  for (const auto& w : words) {
    out.push_back("w:" + w);
    std::string stem = stemmer.term_of_word(w);
    if (!stem.empty() && stem != w) out.push_back("s:" + stem);
    if (std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      out.push_back("w:#num" + std::to_string(std::min<size_t>(w.size(), 6)));
    }
  }
  if (options.word_bigrams) {
    for (size_t i = 0; i + 1 < words.size(); ++i) out.push_back("b:" + words[i] + "_" + words[i + 1]);
    if (!words.empty()) {
      out.push_back("b:^_" + words.front());
    }
  }
  if (char_start) *char_start = out.size();
  for (const auto& w : words) {
    const std::string padded = "<" + w + ">";
    for (int n = options.char_ngram_min; n <= options.char_ngram_max; ++n) {
      if (static_cast<size_t>(n) > padded.size()) break;
      for (size_t i = 0; i + n <= padded.size(); ++i) {
        // Skip n-grams that cut a UTF-8 sequence (start on a continuation byte).
        if ((static_cast<unsigned char>(padded[i]) & 0xC0) == 0x80) continue;
        out.push_back("c:" + padded.substr(i, n));
      }
    }
  }
  return out;
}

IntentClassifier::SparseVector IntentClassifier::vectorize(std::string_view text) const {
  size_t char_start = 0;
  const auto feats = intent_features(text, options_, &char_start);
  std::map<uint32_t, float> word_part, char_part;
  for (size_t i = 0; i < feats.size(); ++i) {
    auto it = features_.find(feats[i]);
    if (it == features_.end()) continue;
    (i < char_start ? word_part : char_part)[it->second] += 1.0f;
  }
  SparseVector x;
  for (auto* part : {&word_part, &char_part}) {
    double norm = 0;
    for (const auto& [id, v] : *part) norm += v * v;
    if (norm <= 0) continue;
    const float scale = static_cast<float>(1.0 / std::sqrt(norm));
    for (const auto& [id, v] : *part) {
      x.ids.push_back(id);
      x.values.push_back(v * scale);
    }
  }
  return x;
}

void IntentClassifier::scores(const SparseVector& x, std::vector<double>& out) const {
  const size_t L = labels_.size();
  out.assign(L, 0.0);
  for (size_t l = 0; l < L; ++l) out[l] = bias_[l];
  for (size_t k = 0; k < x.ids.size(); ++k) {
    const float* row = &weights_[static_cast<size_t>(x.ids[k]) * L];
    for (size_t l = 0; l < L; ++l) out[l] += row[l] * x.values[k];
  }
  const double mx = *std::max_element(out.begin(), out.end());
  double sum = 0;
  for (auto& v : out) {
    v = std::exp(v - mx);
    sum += v;
  }
  for (auto& v : out) v /= sum;
}

Result<IntentClassifier> IntentClassifier::train(const std::vector<IntentExample>& examples,
                                                 const IntentTrainOptions& options) {
  if (options.epochs <= 0 || options.learning_rate <= 0 || options.char_ngram_min < 1 ||
      options.char_ngram_max < options.char_ngram_min) {
    return Status::invalid_argument("bad intent training options");
  }
  IntentClassifier model;
  model.options_ = options;
  std::set<std::string> label_set;
  for (size_t i = 0; i < examples.size(); ++i) {
    if (trim(examples[i].text).empty() || trim(examples[i].intent).empty()) {
      return Status::invalid_argument("example " + std::to_string(i + 1) + " has an empty text or intent");
    }
    label_set.insert(examples[i].intent);
  }
  if (label_set.size() < 2) return Status::invalid_argument("training needs at least 2 intents");
  model.labels_.assign(label_set.begin(), label_set.end());
  std::map<std::string, size_t> label_index;
  for (size_t l = 0; l < model.labels_.size(); ++l) label_index[model.labels_[l]] = l;
  // Vocabulary: every feature seen in training, ids in sorted order for determinism.
  std::set<std::string> vocab;
  for (const auto& e : examples) {
    for (auto& f : intent_features(e.text, options)) vocab.insert(std::move(f));
  }
  uint32_t next = 0;
  for (const auto& f : vocab) model.features_[f] = next++;
  const size_t L = model.labels_.size();
  model.weights_.assign(static_cast<size_t>(next) * L, 0.0f);
  model.bias_.assign(L, 0.0f);
  std::vector<SparseVector> xs;
  std::vector<size_t> ys;
  for (const auto& e : examples) {
    xs.push_back(model.vectorize(e.text));
    ys.push_back(label_index[e.intent]);
  }
  std::vector<size_t> order(examples.size());
  std::iota(order.begin(), order.end(), 0);
  SeededRandom random(options.seed);
  std::vector<double> p;
  const double total_steps = static_cast<double>(options.epochs) * static_cast<double>(examples.size());
  double step = 0;
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[random.next_u64() % i]);
    for (size_t idx : order) {
      const double lr = options.learning_rate * (1.0 - step / total_steps) + 1e-4;
      step += 1;
      const SparseVector& x = xs[idx];
      model.scores(x, p);
      p[ys[idx]] -= 1.0;  // gradient of cross-entropy w.r.t. logits
      for (size_t l = 0; l < L; ++l) model.bias_[l] -= static_cast<float>(lr * p[l] * 0.1);
      const float decay = static_cast<float>(1.0 - lr * options.l2);
      for (size_t k = 0; k < x.ids.size(); ++k) {
        float* row = &model.weights_[static_cast<size_t>(x.ids[k]) * L];
        const double xv = x.values[k];
        for (size_t l = 0; l < L; ++l) row[l] = row[l] * decay - static_cast<float>(lr * p[l] * xv);
      }
    }
  }
  return model;
}

std::vector<double> IntentClassifier::probabilities(std::string_view text) const {
  std::vector<double> p;
  if (labels_.empty()) return p;
  scores(vectorize(text), p);
  return p;
}

IntentPrediction IntentClassifier::predict(std::string_view text, double threshold) const {
  IntentPrediction out;
  if (labels_.empty()) {
    out.intent = std::string(kOutOfScopeLabel);
    return out;
  }
  const auto p = probabilities(text);
  const size_t best = static_cast<size_t>(std::max_element(p.begin(), p.end()) - p.begin());
  out.top_label = labels_[best];
  out.confidence = p[best];
  const double t = threshold < 0 ? options_.oos_threshold : threshold;
  out.intent = (out.confidence < t || words_of(text).empty()) ? std::string(kOutOfScopeLabel)
                                                               : out.top_label;
  return out;
}

Status IntentClassifier::save(const std::filesystem::path& path) const {
  std::ostringstream out;
  out << "atiende-intents 1\n";
  Json header = {{"labels", labels_},
                 {"bias", bias_},
                 {"features", features_.size()},
                 {"oos_threshold", options_.oos_threshold},
                 {"char_ngram_min", options_.char_ngram_min},
                 {"char_ngram_max", options_.char_ngram_max},
                 {"word_bigrams", options_.word_bigrams}};
  out << dump_json(header) << "\n";
  std::vector<std::pair<std::string, uint32_t>> sorted(features_.begin(), features_.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  const size_t L = labels_.size();
  char buf[32];
  for (const auto& [name, id] : sorted) {
    out << name << '\t';
    for (size_t l = 0; l < L; ++l) {
      std::snprintf(buf, sizeof buf, "%.6g", weights_[static_cast<size_t>(id) * L + l]);
      out << (l ? " " : "") << buf;
    }
    out << '\n';
  }
  return write_file_atomic(path, out.str());
}

Result<IntentClassifier> IntentClassifier::load(const std::filesystem::path& path) {
  ATIENDE_ASSIGN_OR_RETURN(std::string content, read_file(path));
  const std::string where = path.string();
  std::istringstream in(content);
  std::string line;
  if (!std::getline(in, line) || line != "atiende-intents 1") {
    return Status::invalid_argument(where + ": not an atiende intent model (line 1)");
  }
  if (!std::getline(in, line)) return Status::invalid_argument(where + ": missing header (line 2)");
  auto header = parse_json(line);
  if (!header.ok() || !header->is_object()) return Status::invalid_argument(where + ": bad header (line 2)");
  IntentClassifier model;
  try {
    model.labels_ = (*header).at("labels").get<std::vector<std::string>>();
    model.bias_ = (*header).at("bias").get<std::vector<float>>();
    model.options_.oos_threshold = (*header).at("oos_threshold").get<double>();
    model.options_.char_ngram_min = (*header).at("char_ngram_min").get<int>();
    model.options_.char_ngram_max = (*header).at("char_ngram_max").get<int>();
    model.options_.word_bigrams = (*header).at("word_bigrams").get<bool>();
  } catch (const std::exception& e) {
    return Status::invalid_argument(where + ": bad header (line 2): " + e.what());
  }
  const size_t L = model.labels_.size();
  if (L < 2 || model.bias_.size() != L || model.options_.char_ngram_min < 1 ||
      model.options_.char_ngram_max < model.options_.char_ngram_min || model.options_.char_ngram_max > 10) {
    return Status::invalid_argument(where + ": inconsistent header (line 2)");
  }
  int64_t line_no = 2;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos || tab == 0) {
      return Status::invalid_argument(where + ": line " + std::to_string(line_no) + ": missing tab");
    }
    const auto parts = split(std::string_view(line).substr(tab + 1), ' ');
    if (parts.size() != L) {
      return Status::invalid_argument(where + ": line " + std::to_string(line_no) + ": expected " +
                                      std::to_string(L) + " weights");
    }
    const uint32_t id = static_cast<uint32_t>(model.features_.size());
    if (!model.features_.emplace(line.substr(0, tab), id).second) {
      return Status::invalid_argument(where + ": line " + std::to_string(line_no) + ": duplicate feature");
    }
    for (const auto& part : parts) {
      auto v = parse_double(part);
      if (!v) return Status::invalid_argument(where + ": line " + std::to_string(line_no) + ": bad weight");
      model.weights_.push_back(static_cast<float>(*v));
    }
  }
  return model;
}

Result<std::vector<IntentExample>> load_intent_examples(const std::filesystem::path& path) {
  ATIENDE_ASSIGN_OR_RETURN(std::string content, read_file(path));
  std::vector<IntentExample> out;
  const std::string where = path.string();
  std::string ext = ascii_lower(path.extension().string());
  const std::string_view first = trim(content);
  const bool jsonl = ext == ".jsonl" || ext == ".json" || (!first.empty() && first[0] == '{');
  if (jsonl) {
    int64_t line_no = 0;
    for (auto line : split(content, '\n')) {
      ++line_no;
      line = trim(line);
      if (line.empty()) continue;
      auto obj = parse_json(line);
      if (!obj.ok() || !obj->is_object()) {
        return Status::invalid_argument(where + ":" + std::to_string(line_no) + ": not a JSON object");
      }
      IntentExample e;
      if (!(*obj).contains("text") || !(*obj)["text"].is_string()) {
        return Status::invalid_argument(where + ":" + std::to_string(line_no) + ": missing string 'text'");
      }
      e.text = (*obj)["text"].get<std::string>();
      for (const char* key : {"intent", "label"}) {
        if ((*obj).contains(key) && (*obj)[key].is_string()) e.intent = (*obj)[key].get<std::string>();
      }
      if (e.intent.empty()) {
        return Status::invalid_argument(where + ":" + std::to_string(line_no) + ": missing string 'intent'");
      }
      out.push_back(std::move(e));
    }
  } else {
    auto rows = parse_csv(content);
    for (size_t i = 0; i < rows.size(); ++i) {
      const auto& row = rows[i];
      if (i == 0 && row.size() >= 2 && ascii_lower(trim(row[0])) == "text") continue;
      if (row.size() < 2) {
        return Status::invalid_argument(where + ": CSV record " + std::to_string(i + 1) +
                                        ": expected text,label");
      }
      IntentExample e{std::string(trim(row[0])), std::string(trim(row[1]))};
      if (e.text.empty() || e.intent.empty()) {
        return Status::invalid_argument(where + ": CSV record " + std::to_string(i + 1) + ": empty field");
      }
      out.push_back(std::move(e));
    }
  }
  if (out.empty()) return Status::invalid_argument(where + ": no examples");
  return out;
}

IntentEvaluation evaluate_intents(const IntentClassifier& classifier,
                                  const std::vector<IntentExample>& examples, double threshold) {
  auto norm = [](const std::string& label) {
    return label == kOutOfScopeTrainingLabel ? std::string(kOutOfScopeLabel) : label;
  };
  std::vector<std::pair<std::string, std::string>> pairs;
  std::set<std::string> labels;
  for (const auto& e : examples) {
    const auto pred = classifier.predict(e.text, threshold);
    pairs.emplace_back(norm(e.intent), norm(pred.intent));
    labels.insert(pairs.back().first);
    labels.insert(pairs.back().second);
  }
  IntentEvaluation ev;
  ev.examples = static_cast<int64_t>(examples.size());
  ev.labels.assign(labels.begin(), labels.end());
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < ev.labels.size(); ++i) index[ev.labels[i]] = i;
  ev.confusion.assign(ev.labels.size(), std::vector<int64_t>(ev.labels.size(), 0));
  int64_t correct = 0;
  for (const auto& [gold, pred] : pairs) {
    ++ev.confusion[index[gold]][index[pred]];
    correct += gold == pred;
  }
  ev.accuracy = examples.empty() ? 0 : static_cast<double>(correct) / static_cast<double>(examples.size());
  double f1_sum = 0;
  int64_t gold_labels = 0;
  for (size_t i = 0; i < ev.labels.size(); ++i) {
    int64_t tp = ev.confusion[i][i], fp = 0, fn = 0;
    for (size_t j = 0; j < ev.labels.size(); ++j) {
      if (j == i) continue;
      fp += ev.confusion[j][i];
      fn += ev.confusion[i][j];
    }
    const double prec = tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0;
    const double rec = tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0;
    const double f1 = prec + rec > 0 ? 2 * prec * rec / (prec + rec) : 0;
    ev.f1.push_back(f1);
    // Macro-F1 averages over labels that occur in the gold set.
    if (tp + fn > 0) {
      f1_sum += f1;
      ++gold_labels;
    }
  }
  ev.macro_f1 = gold_labels ? f1_sum / static_cast<double>(gold_labels) : 0;
  return ev;
}

}  // namespace atiende::agent
