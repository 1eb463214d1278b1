#pragma once
/// IoRunner: a few threads, each running its own io_context, for coroutines that must not hold the caller's
/// thread (e.g. an LLM answer streaming for seconds while the HTTP worker that started it goes
/// back to serving requests). Asio stays in io_runner.cc; callers pass a coroutine factory.

#include <functional>
#include <memory>
#include <string_view>

#include "net/async.h"

namespace atiende::net {

class IoRunner {
 public:
  /// Starts `threads` (>= 1) threads, each with its own io_context, named `name`-0, `name`-1, ...
  /// `nice` > 0 lowers their priority by that much (see lower_this_thread_priority).
  explicit IoRunner(int threads = 1, std::string_view name = "io", int nice = 0);
  /// Stops the io_context and joins the threads. Coroutines still suspended are destroyed without
  /// resuming (their frames' destructors run), so whatever they own is released.
  ~IoRunner();
  IoRunner(const IoRunner&) = delete;
  IoRunner& operator=(const IoRunner&) = delete;

  /// Runs the coroutine made by `make` on one of the threads (round-robin), where it stays, so its
  /// handlers never run concurrently with each other (as net/http_stream.h requires). An
  /// exception escaping the coroutine is logged and swallowed. Thread-safe.
  void spawn(std::function<Awaitable<void>()> make);

  /// Runs `work` on one of the threads (round-robin). Thread-safe. Dropped unrun if the runner
  /// is destroyed first.
  void post(std::function<void()> work);

  int threads() const;

  /// Work a producer defers to the end of a burst of events (see after_ready_handlers).
  class BurstHook {
   public:
    virtual ~BurstHook() = default;
    /// Runs on the runner thread once the handlers that were ready have run.
    virtual void after_burst() = 0;
  };

  /// On a runner thread: queues `hook` to run once the handlers that are ready now have run
  /// (before the thread waits for more events) and returns true; a hook that expired by then is
  /// skipped. On any other thread: returns false and drops `hook`. Lets a producer batch
  /// per-event work over a burst of events, e.g. many streamed tokens written to their socket
  /// with one send. A weak pointer, not a callable: queuing one allocates nothing (it happens
  /// for every streamed token).
  static bool after_ready_handlers(std::weak_ptr<BurstHook> hook);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace atiende::net
