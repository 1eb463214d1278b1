#include <utility>  // before Asio (Boost 1.74)

#include "net/io_runner.h"

#include <atomic>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "common/log.h"
#include "common/threads.h"

namespace atiende::net {

namespace asio = boost::asio;

/// One io_context per thread: a coroutine stays on the thread it was given, so its handlers never
/// run concurrently (no strand), and an event wakes only the thread that owns its socket.
struct IoRunner::Impl {
  struct Lane {
    // Concurrency hint 1: one thread runs this io_context, Asio then skips waking others.
    asio::io_context ioc{1};
    asio::executor_work_guard<asio::io_context::executor_type> work{asio::make_work_guard(ioc)};
    std::thread thread;
  };
  explicit Impl(int count) {
    for (int i = 0; i < count; ++i) lanes.push_back(std::make_unique<Lane>());
  }
  std::vector<std::unique_ptr<Lane>> lanes;
  std::atomic<size_t> next{0};  ///< round-robin over lanes
  Lane& next_lane() { return *lanes[next.fetch_add(1) % lanes.size()]; }
};

namespace {

/// The after_ready_handlers() hooks of the current runner thread (null on other threads).
thread_local std::vector<std::weak_ptr<IoRunner::BurstHook>>* t_hooks = nullptr;

/// Handlers run in one burst at most. A token read early in a burst is written only when the
/// burst's hooks run, so a long burst holds it back: on saturated CPUs 512 handlers took tens of
/// milliseconds of wall time. With 64, p99 at 2,000 chats was lower in 8 of 8 interleaved pairs
/// (docs/PERFORMANCE.md); 16 and 32 gave nothing more.
constexpr int kMaxBurst = 64;

/// A runner thread: runs a burst of ready handlers, then the hooks they queued, then waits.
void run_in_bursts(asio::io_context& ioc) {
  std::vector<std::weak_ptr<IoRunner::BurstHook>> hooks;
  std::vector<std::weak_ptr<IoRunner::BurstHook>> running;
  t_hooks = &hooks;
  while (ioc.run_one() > 0) {
    for (int i = 1; i < kMaxBurst && ioc.poll_one() > 0; ++i) {
    }
    while (!hooks.empty()) {
      running.swap(hooks);
      for (auto& weak : running) {
        if (auto hook = weak.lock()) hook->after_burst();
      }
      running.clear();
    }
  }
  t_hooks = nullptr;
}

}  // namespace

IoRunner::IoRunner(int threads, std::string_view name, int nice)
    : impl_(std::make_unique<Impl>(std::max(1, threads))) {
  int index = 0;
  for (auto& lane : impl_->lanes) {
    lane->thread = std::thread([ioc = &lane->ioc, name = std::string(name), index, nice] {
      name_this_thread(name, index);
      if (!lower_this_thread_priority(nice)) {
        spdlog::warn("io runner: cannot lower the priority of thread {}-{} by {}", name, index, nice);
      }
      run_in_bursts(*ioc);
    });
    ++index;
  }
}

bool IoRunner::after_ready_handlers(std::weak_ptr<BurstHook> hook) {
  if (t_hooks == nullptr) return false;
  t_hooks->push_back(std::move(hook));
  return true;
}

IoRunner::~IoRunner() {
  for (auto& lane : impl_->lanes) {
    lane->work.reset();
    lane->ioc.stop();
  }
  for (auto& lane : impl_->lanes) lane->thread.join();
}

void IoRunner::spawn(std::function<Awaitable<void>()> make) {
  // The lane's one thread runs its handlers one at a time: no strand needed.
  auto& lane = impl_->next_lane();
  asio::co_spawn(lane.ioc.get_executor(),
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

void IoRunner::post(std::function<void()> work) {
  auto& lane = impl_->next_lane();
  asio::post(lane.ioc, std::move(work));
}

int IoRunner::threads() const { return static_cast<int>(impl_->lanes.size()); }

}  // namespace atiende::net
