// Intent classifier accuracy: trains the own linear model on a train file and reports accuracy
// and macro-F1 on a test file (no threshold and with the model's threshold), plus training and
// prediction time. Compare with bench/intents_fasttext.sh (Debian's fastText CLI, same files).
//
//   build/bench_intents_accuracy [train.jsonl test.jsonl]   (defaults: data/demo/intents/)

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "agent/intent_classifier.h"

using namespace atiende::agent;

int main(int argc, char** argv) {
  const std::string dir = std::string(ATIENDE_SOURCE_DIR) + "/data/demo/intents/";
  const std::string train_path = argc > 2 ? argv[1] : dir + "train.jsonl";
  const std::string test_path = argc > 2 ? argv[2] : dir + "test.jsonl";
  auto train = load_intent_examples(train_path);
  auto test = load_intent_examples(test_path);
  if (!train.ok() || !test.ok()) {
    std::fprintf(stderr, "error: %s\n", (!train.ok() ? train.status() : test.status()).to_string().c_str());
    return 1;
  }
  IntentTrainOptions options;
  if (const char* e = std::getenv("EPOCHS")) options.epochs = std::atoi(e);
  if (const char* e = std::getenv("LR")) options.learning_rate = std::atof(e);
  if (const char* e = std::getenv("CMIN")) options.char_ngram_min = std::atoi(e);
  if (const char* e = std::getenv("CMAX")) options.char_ngram_max = std::atoi(e);
  if (const char* e = std::getenv("L2")) options.l2 = std::atof(e);
  const auto t0 = std::chrono::steady_clock::now();
  auto model = IntentClassifier::train(*train, options);
  const auto t1 = std::chrono::steady_clock::now();
  if (!model.ok()) {
    std::fprintf(stderr, "error: %s\n", model.status().to_string().c_str());
    return 1;
  }
  const auto plain = evaluate_intents(*model, *test, 0.0);
  const auto t2 = std::chrono::steady_clock::now();
  const auto thresholded = evaluate_intents(*model, *test, -1);
  const double train_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  const double eval_us = std::chrono::duration<double, std::micro>(t2 - t1).count() / test->size();
  std::printf("train=%zu test=%zu features=%zu train_ms=%.0f predict_us=%.1f\n", train->size(),
              test->size(), model->feature_count(), train_ms, eval_us);
  std::printf("accuracy=%.4f macro_f1=%.4f (no threshold)\n", plain.accuracy, plain.macro_f1);
  std::printf("accuracy=%.4f macro_f1=%.4f (threshold %.2f)\n", thresholded.accuracy,
              thresholded.macro_f1, model->threshold());
  if (std::getenv("ERRORS")) {
    for (const auto& e : *test) {
      const auto p = model->predict(e.text, 0.0);
      if (p.intent != e.intent) {
        std::printf("  %-20s -> %-20s %.2f  %s\n", e.intent.c_str(), p.intent.c_str(), p.confidence,
                    e.text.c_str());
      }
    }
  }
  return 0;
}
