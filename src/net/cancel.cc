#include "net/cancel.h"

#include <atomic>
#include <map>
#include <mutex>

namespace atiende::net {

struct CancellationToken::State {
  std::recursive_mutex mutex;  // held while callbacks run, so remove() waits for a running one
  std::atomic<bool> cancelled{false};  ///< written under `mutex`, read without it
  uint64_t next_id = 1;
  std::map<uint64_t, std::function<void()>> callbacks;
};

CancellationToken::CancellationToken() : state_(std::make_shared<State>()) {}

void CancellationToken::cancel() const {
  std::lock_guard lock(state_->mutex);
  if (state_->cancelled) return;
  state_->cancelled = true;
  auto callbacks = std::move(state_->callbacks);
  state_->callbacks.clear();
  for (auto& [id, cb] : callbacks) {
    if (cb) cb();
  }
}

bool CancellationToken::cancelled() const { return state_->cancelled.load(std::memory_order_acquire); }

uint64_t CancellationToken::on_cancel(std::function<void()> callback) const {
  std::unique_lock lock(state_->mutex);
  if (state_->cancelled) {
    lock.unlock();
    if (callback) callback();
    return 0;
  }
  const uint64_t id = state_->next_id++;
  state_->callbacks.emplace(id, std::move(callback));
  return id;
}

void CancellationToken::remove(uint64_t id) const {
  std::lock_guard lock(state_->mutex);
  state_->callbacks.erase(id);
}

}  // namespace atiende::net
