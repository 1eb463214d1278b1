#include "net/sse.h"

#include "common/strings.h"

namespace atiende::net {

Status SseParser::feed(std::string_view bytes, std::vector<SseEvent>& out) {
  if (!error_.ok()) return error_;
  if (!bom_checked_ && !bytes.empty()) {
    // A UTF-8 BOM at the very start of the stream is skipped (servers send it whole).
    bom_checked_ = true;
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  }
  size_t i = 0;
  if (pending_cr_ && !bytes.empty()) {
    pending_cr_ = false;
    if (bytes[0] == '\n') i = 1;
  }
  while (i < bytes.size()) {
    const size_t end = bytes.find_first_of("\r\n", i);
    if (end == std::string_view::npos) {
      line_.append(bytes.substr(i));
      if (line_.size() > limits_.max_line_bytes) {
        error_ = Status::resource_exhausted("SSE line exceeds " + std::to_string(limits_.max_line_bytes) +
                                            " bytes");
        return error_;
      }
      break;
    }
    line_.append(bytes.substr(i, end - i));
    if (line_.size() > limits_.max_line_bytes) {
      error_ = Status::resource_exhausted("SSE line exceeds " + std::to_string(limits_.max_line_bytes) + " bytes");
      return error_;
    }
    process_line(line_, out);
    line_.clear();
    if (!error_.ok()) return error_;
    if (bytes[end] == '\r') {
      if (end + 1 < bytes.size()) {
        i = bytes[end + 1] == '\n' ? end + 2 : end + 1;
      } else {
        pending_cr_ = true;
        i = end + 1;
      }
    } else {
      i = end + 1;
    }
  }
  return Status{};
}

Result<std::vector<SseEvent>> SseParser::feed(std::string_view bytes) {
  std::vector<SseEvent> out;
  Status s = feed(bytes, out);
  if (!s.ok()) return s;
  return out;
}

void SseParser::process_line(std::string_view line, std::vector<SseEvent>& out) {
  if (line.empty()) {
    dispatch(out);
    return;
  }
  if (line.front() == ':') {
    ++comments_;
    return;
  }
  std::string_view field = line;
  std::string_view value;
  if (const size_t colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (data_.size() + value.size() + 1 > limits_.max_event_bytes) {
      error_ = Status::resource_exhausted("SSE event data exceeds " + std::to_string(limits_.max_event_bytes) +
                                          " bytes");
      return;
    }
    data_.append(value);
    data_.push_back('\n');
    has_data_ = true;
  } else if (field == "event") {
    event_ = std::string(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_ = std::string(value);
  } else if (field == "retry") {
    if (auto ms = parse_int64(value); ms && *ms >= 0 && value.find_first_not_of("0123456789") == std::string_view::npos) {
      retry_ = *ms;
    }
  }
  // Unknown fields are ignored, per spec.
}

void SseParser::dispatch(std::vector<SseEvent>& out) {
  if (has_data_) {
    SseEvent ev;
    ev.event = std::move(event_);
    ev.data = std::move(data_);
    if (!ev.data.empty() && ev.data.back() == '\n') ev.data.pop_back();
    ev.id = last_id_;
    ev.retry_ms = retry_;
    out.push_back(std::move(ev));
  }
  data_.clear();
  has_data_ = false;
  event_.clear();
  retry_.reset();
}

std::optional<SseEvent> SseParser::finish() {
  if (!error_.ok()) return std::nullopt;
  std::vector<SseEvent> out;
  if (!line_.empty()) {
    process_line(line_, out);
    line_.clear();
  }
  dispatch(out);
  if (out.empty()) return std::nullopt;
  return std::move(out.front());
}

}  // namespace atiende::net
