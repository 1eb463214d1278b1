#pragma once
// A StreamSink that records everything, and can cancel after N text pieces.

#include <string>
#include <vector>

#include "llm/llm_client.h"

namespace atiende::llm {

class RecordingSink : public StreamSink {
 public:
  void on_text(std::string_view delta) override {
    text += delta;
    pieces.emplace_back(delta);
    if (cancel_after_pieces > 0 && static_cast<int>(pieces.size()) >= cancel_after_pieces) request_cancel();
  }
  void on_tool_call_delta(int index, std::string_view id, std::string_view name, std::string_view args) override {
    tool_deltas.push_back(std::to_string(index) + "|" + std::string(id) + "|" + std::string(name) + "|" +
                          std::string(args));
  }
  void on_tool_call(const ToolCall& call) override { calls.push_back(call); }
  void on_usage(const Usage& u) override {
    usage = u;
    got_usage = true;
  }
  void on_finish(FinishReason r, std::string_view m) override {
    finish = r;
    model = m;
    finished = true;
  }

  int cancel_after_pieces = 0;
  std::string text;
  std::vector<std::string> pieces;
  std::vector<std::string> tool_deltas;
  std::vector<ToolCall> calls;
  Usage usage;
  bool got_usage = false;
  FinishReason finish = FinishReason::kUnknown;
  std::string model;
  bool finished = false;
};

}  // namespace atiende::llm
