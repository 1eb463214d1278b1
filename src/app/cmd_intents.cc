// `atiende intents train|eval|predict`: the built-in provider's intent classifier (own
// multinomial logistic regression over word and character n-grams; see agent/intent_classifier.h).

#include <iomanip>
#include <iostream>
#include <string>

#include "agent/intent_classifier.h"
#include "app/command.h"
#include "common/json.h"

namespace atiende::app {
namespace {

struct IntentArgs {
  std::string examples, model;
  double threshold = -1;
  int epochs = 40;
  uint64_t seed = 42;
};

int run_train(const IntentArgs& a, const GlobalOptions& globals) {
  auto examples = agent::load_intent_examples(a.examples);
  if (!examples.ok()) return report_error(examples.status(), globals);
  agent::IntentTrainOptions options;
  options.epochs = a.epochs;
  options.seed = a.seed;
  if (a.threshold >= 0) options.oos_threshold = a.threshold;
  auto model = agent::IntentClassifier::train(*examples, options);
  if (!model.ok()) return report_error(model.status(), globals);
  if (Status s = model->save(a.model); !s.ok()) return report_error(s, globals);
  if (globals.json) {
    std::cout << dump_json({{"model", a.model},
                            {"examples", examples->size()},
                            {"labels", model->labels()},
                            {"features", model->feature_count()},
                            {"oos_threshold", model->threshold()}})
              << "\n";
  } else {
    std::cout << "trained " << model->labels().size() << " intents on " << examples->size()
              << " examples (" << model->feature_count() << " features) -> " << a.model << "\n";
  }
  return kExitOk;
}

int run_eval(const IntentArgs& a, const GlobalOptions& globals) {
  auto model = agent::IntentClassifier::load(a.model);
  if (!model.ok()) return report_error(model.status(), globals);
  auto examples = agent::load_intent_examples(a.examples);
  if (!examples.ok()) return report_error(examples.status(), globals);
  const auto ev = agent::evaluate_intents(*model, *examples, a.threshold);
  if (globals.json) {
    Json per_label = Json::object();
    for (size_t i = 0; i < ev.labels.size(); ++i) per_label[ev.labels[i]] = {{"f1", ev.f1[i]}};
    std::cout << dump_json({{"examples", ev.examples},
                            {"accuracy", ev.accuracy},
                            {"macro_f1", ev.macro_f1},
                            {"oos_threshold", a.threshold >= 0 ? a.threshold : model->threshold()},
                            {"labels", ev.labels},
                            {"confusion_matrix", ev.confusion},
                            {"per_label", per_label}})
              << "\n";
  } else {
    std::cout << std::fixed << std::setprecision(4) << "examples: " << ev.examples
              << "\naccuracy: " << ev.accuracy << "\nmacro-F1: " << ev.macro_f1
              << "\n\nper-label F1 (rows of the confusion matrix are gold labels):\n";
    for (size_t i = 0; i < ev.labels.size(); ++i) {
      std::cout << "  " << std::left << std::setw(22) << ev.labels[i] << ev.f1[i] << "  [";
      for (size_t j = 0; j < ev.labels.size(); ++j) std::cout << (j ? " " : "") << ev.confusion[i][j];
      std::cout << "]\n";
    }
  }
  return kExitOk;
}

int run_predict(const IntentArgs& a, const GlobalOptions& globals) {
  auto model = agent::IntentClassifier::load(a.model);
  if (!model.ok()) return report_error(model.status(), globals);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto p = model->predict(line, a.threshold);
    if (globals.json) {
      std::cout << dump_json({{"text", line}, {"intent", p.intent}, {"confidence", p.confidence}}) << "\n";
    } else {
      std::cout << p.intent << "\t" << std::fixed << std::setprecision(3) << p.confidence << "\t"
                << line << "\n";
    }
  }
  return kExitOk;
}

std::function<int()> setup_intents(CLI::App& app, GlobalOptions& globals) {
  app.description(
      "Train, evaluate and run the intent classifier of the built-in provider.\n"
      "  atiende intents train --examples data/demo/intents/train.jsonl --model intents.model\n"
      "  atiende intents eval --model intents.model --examples data/demo/intents/test.jsonl --json\n"
      "  echo 'quiero más datos 5G' | atiende intents predict --model intents.model --json\n"
      "Examples: JSONL {\"text\",\"intent\"} or CSV text,label. Below --oos-threshold the prediction is\n"
      "\"out_of_scope\"; the label fuera_de_alcance is learned from out-of-scope examples.");
  app.require_subcommand(1);
  auto args = std::make_shared<IntentArgs>();
  auto* train = app.add_subcommand("train", "Train a model from labelled examples");
  train->add_option("--examples", args->examples, "JSONL or CSV examples")->required()->check(CLI::ExistingFile);
  train->add_option("--model", args->model, "Output model file")->required();
  train->add_option("--oos-threshold", args->threshold, "Default out-of-scope threshold stored in the model (0..1, default 0.25)")
      ->check(CLI::Range(0.0, 1.0));
  train->add_option("--epochs", args->epochs, "SGD epochs (default 40)")->check(CLI::Range(1, 1000));
  train->add_option("--seed", args->seed, "Shuffle seed (default 42)");
  auto* eval = app.add_subcommand("eval", "Accuracy, macro-F1 and confusion matrix on labelled examples");
  eval->add_option("--model", args->model, "Model file")->required()->check(CLI::ExistingFile);
  eval->add_option("--examples", args->examples, "JSONL or CSV examples")->required()->check(CLI::ExistingFile);
  eval->add_option("--oos-threshold", args->threshold, "Out-of-scope threshold (default: the model's)")
      ->check(CLI::Range(0.0, 1.0));
  auto* predict = app.add_subcommand("predict", "Classify lines read from stdin");
  predict->add_option("--model", args->model, "Model file")->required()->check(CLI::ExistingFile);
  predict->add_option("--oos-threshold", args->threshold, "Out-of-scope threshold (default: the model's)")
      ->check(CLI::Range(0.0, 1.0));
  return [&globals, args, train, eval, predict]() {
    if (train->parsed()) return run_train(*args, globals);
    if (eval->parsed()) return run_eval(*args, globals);
    if (predict->parsed()) return run_predict(*args, globals);
    return kExitUsage;
  };
}

}  // namespace
ATIENDE_REGISTER_COMMAND("intents", setup_intents);
}  // namespace atiende::app
