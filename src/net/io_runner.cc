#include <utility>  // before Asio (Boost 1.74)

#include "net/io_runner.h"

#include <exception>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "common/log.h"

namespace atiende::net {

namespace asio = boost::asio;

struct IoRunner::Impl {
  explicit Impl(int concurrency) : ioc(concurrency), work(asio::make_work_guard(ioc)) {}
  // With one thread the io_context is told so (concurrency hint 1): Asio then skips some locking.
  asio::io_context ioc;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  std::vector<std::thread> threads;
};

namespace {

/// The after_ready_handlers() hooks of the current runner thread (null on other threads).
thread_local std::vector<std::function<void()>>* t_hooks = nullptr;

/// Handlers run in one burst at most, so hooks (e.g. batched socket writes) wait ~1-2 ms at most.
constexpr int kMaxBurst = 512;

/// A runner thread: runs a burst of ready handlers, then the hooks they queued, then waits.
void run_in_bursts(asio::io_context& ioc) {
  std::vector<std::function<void()>> hooks;
  std::vector<std::function<void()>> running;
  t_hooks = &hooks;
  while (ioc.run_one() > 0) {
    for (int i = 1; i < kMaxBurst && ioc.poll_one() > 0; ++i) {
    }
    while (!hooks.empty()) {
      running.swap(hooks);
      for (auto& hook : running) hook();
      running.clear();
    }
  }
  t_hooks = nullptr;
}

}  // namespace

IoRunner::IoRunner(int threads) : impl_(std::make_unique<Impl>(std::max(1, threads))) {
  for (int i = 0; i < std::max(1, threads); ++i) {
    impl_->threads.emplace_back([impl = impl_.get()] { run_in_bursts(impl->ioc); });
  }
}

bool IoRunner::after_ready_handlers(std::function<void()> hook) {
  if (t_hooks == nullptr) return false;
  t_hooks->push_back(std::move(hook));
  return true;
}

IoRunner::~IoRunner() {
  impl_->work.reset();
  impl_->ioc.stop();
  for (auto& thread : impl_->threads) thread.join();
}

void IoRunner::spawn(std::function<Awaitable<void>()> make) {
  // One thread already runs handlers one at a time: a strand would only add a dispatch per step.
  Executor executor = impl_->threads.size() == 1 ? Executor(impl_->ioc.get_executor())
                                                 : Executor(asio::make_strand(impl_->ioc));
  asio::co_spawn(executor,
                 [make = std::move(make)]() -> Awaitable<void> { co_await make(); },
                 [](std::exception_ptr error) {
                   if (!error) return;
                   try {
                     std::rethrow_exception(error);
                   } catch (const std::exception& e) {
                     spdlog::error("io runner: coroutine failed: {}", e.what());
                   } catch (...) {
                     spdlog::error("io runner: coroutine failed with an unknown exception");
                   }
                 });
}

int IoRunner::threads() const { return static_cast<int>(impl_->threads.size()); }

}  // namespace atiende::net
