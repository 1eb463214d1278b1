#pragma once
/// Intent classifier: multinomial logistic regression over word uni/bi-grams and character
/// 2..5-grams of accent-folded words (text::fold keeps ñ), trained with deterministic SGD.
/// Out-of-scope: the training label `fuera_de_alcance` (learned from OOS examples), plus a
/// confidence threshold under which predict() answers "out_of_scope".
///
/// Model file: text, first line "atiende-intents 1", then a JSON header line (labels, options,
/// threshold), then one line per feature "<feature>\t<w_1> ... <w_L>". Loading checks every line
/// and names the first bad one.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace atiende::agent {

inline constexpr std::string_view kOutOfScopeLabel = "out_of_scope";
inline constexpr std::string_view kOutOfScopeTrainingLabel = "fuera_de_alcance";

struct IntentExample {
  std::string text;
  std::string intent;
};

/// Reads JSONL {"text","intent"} (also accepts "label") or CSV "text,label" (a header line
/// "text,label"/"text,intent" is skipped; RFC 4180 quotes). Errors name the file and line.
Result<std::vector<IntentExample>> load_intent_examples(const std::filesystem::path& path);

struct IntentTrainOptions {
  int epochs = 40;
  double learning_rate = 0.5;
  double l2 = 1e-5;
  int char_ngram_min = 2;
  int char_ngram_max = 5;
  bool word_bigrams = true;
  double oos_threshold = 0.25;  ///< stored in the model; predict() may override
  uint64_t seed = 42;
};

struct IntentPrediction {
  std::string intent;      ///< a training label, or "out_of_scope" below the threshold
  double confidence = 0;   ///< softmax probability of the best label
  std::string top_label;   ///< best label before the threshold was applied
};

/// Immutable after training/loading; predict() is thread-safe.
class IntentClassifier {
 public:
  /// invalid_argument when fewer than 2 labels or an example has empty text/label.
  static Result<IntentClassifier> train(const std::vector<IntentExample>& examples,
                                        const IntentTrainOptions& options = {});
  static Result<IntentClassifier> load(const std::filesystem::path& path);
  Status save(const std::filesystem::path& path) const;

  /// `threshold` < 0 means the model's stored threshold.
  IntentPrediction predict(std::string_view text, double threshold = -1) const;
  /// Probabilities per label (same order as labels()).
  std::vector<double> probabilities(std::string_view text) const;

  const std::vector<std::string>& labels() const { return labels_; }
  double threshold() const { return options_.oos_threshold; }
  size_t feature_count() const { return features_.size(); }

 private:
  struct SparseVector {
    std::vector<uint32_t> ids;
    std::vector<float> values;
  };
  SparseVector vectorize(std::string_view text) const;
  void scores(const SparseVector& x, std::vector<double>& out) const;
  IntentTrainOptions options_;
  std::vector<std::string> labels_;
  std::unordered_map<std::string, uint32_t> features_;
  std::vector<float> weights_;  ///< features × labels, row-major
  std::vector<float> bias_;     ///< labels
};

/// Feature strings of a text (exposed for tests): "w:<word>", "b:<w1>_<w2>", "c:<ngram>".
/// Word features (unigrams, bigrams) come first, then `char_start` marks the character n-grams.
std::vector<std::string> intent_features(std::string_view text, const IntentTrainOptions& options,
                                         size_t* char_start = nullptr);

struct IntentEvaluation {
  int64_t examples = 0;
  double accuracy = 0;
  double macro_f1 = 0;
  std::vector<std::string> labels;               ///< gold and predicted labels, sorted
  std::vector<std::vector<int64_t>> confusion;   ///< [gold][predicted]
  std::vector<double> f1;                        ///< per label
};

/// Evaluates `classifier` on `examples` with `threshold` (< 0: the model's). A gold
/// `fuera_de_alcance` and a predicted `out_of_scope` count as the same label (`out_of_scope`).
IntentEvaluation evaluate_intents(const IntentClassifier& classifier,
                                  const std::vector<IntentExample>& examples, double threshold);

}  // namespace atiende::agent
