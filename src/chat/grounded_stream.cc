#include "chat/grounded_stream.h"

#include <algorithm>

#include "chat/engine.h"

namespace atiende::chat {

GroundedRelay::GroundedRelay(TurnSink& customer, const std::vector<Passage>& passages)
    : customer_(customer), passages_(passages) {
  for (const Passage& p : passages_) given_.push_back(p.number);
}

bool GroundedRelay::cancel_requested() const {
  return llm::StreamSink::cancel_requested() || customer_.cancelled();
}

bool GroundedRelay::is_given(int number) const {
  return std::find(given_.begin(), given_.end(), number) != given_.end();
}

void GroundedRelay::release_to(size_t end) {
  if (end <= released_) return;
  customer_.on_token(std::string_view(received_).substr(released_, end - released_));
  released_ = end;
}

void GroundedRelay::on_text(std::string_view delta) {
  received_.append(delta);
  if (cited_unknown_) return;
  // Only the text after the last handled marker is scanned; a marker still being written stays
  // unhandled (citation_markers skips it) and is found again with the next delta.
  const std::string_view pending = std::string_view(received_).substr(scan_from_);
  size_t grounded_end = 0;
  for (const CitationMarker& marker : citation_markers(pending)) {
    if (!std::all_of(marker.numbers.begin(), marker.numbers.end(),
                     [this](int n) { return is_given(n); })) {
      cited_unknown_ = true;
      break;
    }
    grounded_end = scan_from_ + marker.end;
  }
  if (grounded_end > 0) {
    scan_from_ = grounded_end;
    release_to(grounded_end);
  }
}

Grounding GroundedRelay::finish() {
  if (!cited_unknown_) {
    Grounding whole = check_grounding(received_, passages_);
    if (whole.grounded) {
      release_to(received_.size());
      return whole;
    }
  }
  // Cut short by an unknown citation (or never grounded): what was shown is its own answer.
  if (released_ == 0) {
    Grounding none;
    none.reason = cited_unknown_ ? "unknown_citation" : "no_citations";
    if (received_.find_first_not_of(" \t\r\n") == std::string::npos) none.reason = "empty_answer";
    return none;
  }
  return check_grounding(shown(), passages_);
}

}  // namespace atiende::chat
