#include "http/types.h"

#include <algorithm>
#include <mutex>

namespace atiende::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [key, value] : fields_) {
    if (iequals(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::string> Headers::get_joined(std::string_view name) const {
  std::optional<std::string> joined;
  for (const auto& [key, value] : fields_) {
    if (!iequals(key, name)) continue;
    if (joined) {
      *joined += ',';
      *joined += value;
    } else {
      joined = value;
    }
  }
  return joined;
}

void Headers::set(std::string_view name, std::string_view value) {
  remove(name);
  add(name, value);
}

void Headers::add(std::string_view name, std::string_view value) {
  fields_.emplace_back(std::string(name), std::string(value));
}

void Headers::remove(std::string_view name) {
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                               [&](const auto& field) { return iequals(field.first, name); }),
                fields_.end());
}

struct ManualCancelSignal::State {
  mutable std::mutex mutex;
  bool cancelled = false;
  std::vector<std::function<void()>> callbacks;
};

ManualCancelSignal::ManualCancelSignal() : state_(std::make_unique<State>()) {}
ManualCancelSignal::~ManualCancelSignal() = default;

bool ManualCancelSignal::cancelled() const {
  std::lock_guard lock(state_->mutex);
  return state_->cancelled;
}

void ManualCancelSignal::on_cancel(std::function<void()> callback) {
  {
    std::lock_guard lock(state_->mutex);
    if (!state_->cancelled) {
      state_->callbacks.push_back(std::move(callback));
      return;
    }
  }
  callback();
}

void ManualCancelSignal::cancel() {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->cancelled) return;
    state_->cancelled = true;
    callbacks.swap(state_->callbacks);
  }
  for (auto& callback : callbacks) callback();
}

std::optional<std::string> Request::query(std::string_view name) const {
  for (const auto& [key, value] : query_params) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::string Request::param(std::string_view name) const {
  auto it = path_params.find(std::string(name));
  return it == path_params.end() ? std::string() : it->second;
}

Response Response::text(int status, std::string body, std::string_view content_type) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers.set("Content-Type", content_type);
  return response;
}

Response Response::stream(StreamStart start, std::string_view content_type) {
  Response response;
  response.stream_start = std::move(start);
  response.headers.set("Content-Type", content_type);
  return response;
}

Response Response::pull(StreamNext next, std::string_view content_type) {
  Response response;
  response.stream_next = std::move(next);
  response.headers.set("Content-Type", content_type);
  return response;
}

Response Response::sse(StreamStart start) {
  Response response = stream(std::move(start), "text/event-stream; charset=utf-8");
  response.headers.set("Cache-Control", "no-cache");
  response.headers.set("X-Accel-Buffering", "no");
  response.keepalive_ms = -1;
  return response;
}

}  // namespace atiende::http
