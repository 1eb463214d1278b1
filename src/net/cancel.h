#pragma once
/// A thread-safe cancellation flag shared between the party that cancels (a disconnecting
/// client, a sink) and the operation that is cancelled (an in-flight HTTP call).

#include <cstdint>
#include <functional>
#include <memory>

namespace atiende::net {

/// Copies share one state. A default-constructed token is live (can be cancelled).
class CancellationToken {
 public:
  CancellationToken();

  /// Marks cancelled and runs every registered callback once (on the calling thread).
  /// Idempotent; safe from any thread.
  void cancel() const;
  bool cancelled() const;

  /// Registers `callback` to run on cancel(); runs it at once if already cancelled. Returns an id
  /// for remove(). Callbacks must be cheap and must not call back into this token.
  uint64_t on_cancel(std::function<void()> callback) const;
  /// Unregisters; after it returns the callback is not running and will not run.
  void remove(uint64_t id) const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace atiende::net
