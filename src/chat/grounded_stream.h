#pragma once
/// GroundedRelay: passes a provider's streamed answer on to the customer as it arrives, but only
/// as far as it is grounded, so ungrounded text never reaches the customer and grounded text does
/// not wait for the end of the answer.
///
/// Release rule: text is held until a citation marker whose every number names a passage that
/// was given; then everything up to the end of that marker is released (one on_token call).
/// A marker naming a passage that was not given ("unknown citation") stops all further release.
/// When the stream ends, the held tail is released if the whole answer passes check_grounding()
/// (the same rule as for a buffered answer). So an answer that never cites a given passage shows
/// nothing and the engine answers with the abstain message instead.

#include <string>
#include <string_view>
#include <vector>

#include "chat/citations.h"
#include "llm/llm_client.h"

namespace atiende::chat {

class TurnSink;

class GroundedRelay final : public llm::StreamSink {
 public:
  /// `customer` and `passages` must outlive the relay.
  GroundedRelay(TurnSink& customer, const std::vector<Passage>& passages);

  void on_text(std::string_view delta) override;
  void on_tool_call(const llm::ToolCall& call) override { tool_calls_.push_back(call); }
  void on_usage(const llm::Usage& usage) override { usage_ = usage; }
  /// Also true when the customer went away.
  bool cancel_requested() const override;

  /// Call once after the stream ended successfully: releases the held tail when the whole answer
  /// is grounded. Returns the grounding of what the customer was shown (grounded = false and
  /// nothing shown means: abstain).
  Grounding finish();

  /// Everything the customer was shown so far.
  std::string_view shown() const { return std::string_view(received_).substr(0, released_); }
  /// Everything the provider sent (never shown as such).
  const std::string& received() const { return received_; }
  /// True once the answer cited a passage that was not given.
  bool cited_unknown() const { return cited_unknown_; }
  const std::vector<llm::ToolCall>& tool_calls() const { return tool_calls_; }
  const llm::Usage& usage() const { return usage_; }

 private:
  bool is_given(int number) const;
  void release_to(size_t end);

  TurnSink& customer_;
  const std::vector<Passage>& passages_;
  std::vector<int> given_;  ///< the passages' numbers (checked for every marker as it streams)
  std::string received_;
  size_t released_ = 0;   ///< bytes of received_ shown
  size_t scan_from_ = 0;  ///< markers before this offset were already handled
  bool cited_unknown_ = false;
  std::vector<llm::ToolCall> tool_calls_;
  llm::Usage usage_;
};

}  // namespace atiende::chat
