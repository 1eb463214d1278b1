// Scheduled retention in `atiende serve`: with retention.days > 0 the server applies the same
// policy as `atiende retention apply` (governance/governance.h) when it starts and then every
// retention.interval_hours, each run recorded in the audit log with actor "schedule".
//   retention.days            0 (off) | 1..36500: conversations not updated for this many days
//   retention.anonymize       false: delete them; true: detach them from their customer
//   retention.interval_hours  24 (1..8760)

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

#include "app/chat_runtime.h"
#include "app/serve.h"
#include "common/clock.h"
#include "governance/governance.h"

namespace atiende::app {
namespace {

struct RetentionPolicy {
  int64_t days = 0;
  governance::RetentionMode mode = governance::RetentionMode::kDelete;
  std::chrono::hours interval{24};
};

/// retention.* from the config; errors name the key and the allowed range.
Result<RetentionPolicy> retention_policy_from(const Config& config) {
  RetentionPolicy policy;
  ATIENDE_ASSIGN_OR_RETURN(policy.days, config.get_int("retention.days", 0));
  if (policy.days < 0 || policy.days > 36500) {
    return Status::invalid_argument("retention.days must be 0 (off) or 1..36500; it is " +
                                    std::to_string(policy.days));
  }
  ATIENDE_ASSIGN_OR_RETURN(bool anonymize, config.get_bool("retention.anonymize", false));
  policy.mode = anonymize ? governance::RetentionMode::kDetach : governance::RetentionMode::kDelete;
  ATIENDE_ASSIGN_OR_RETURN(int64_t hours, config.get_int("retention.interval_hours", 24));
  if (hours < 1 || hours > 8760) {
    return Status::invalid_argument("retention.interval_hours must be 1..8760; it is " +
                                    std::to_string(hours));
  }
  policy.interval = std::chrono::hours(hours);
  return policy;
}

/// A thread that applies the policy now and then every interval, until destroyed (the server's
/// shutdown: the destructor wakes it and joins).
class RetentionSchedule {
 public:
  RetentionSchedule(std::shared_ptr<ChatRuntime> runtime, RetentionPolicy policy)
      : runtime_(std::move(runtime)), policy_(policy), thread_([this] { run(); }) {}
  ~RetentionSchedule() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  RetentionSchedule(const RetentionSchedule&) = delete;
  RetentionSchedule& operator=(const RetentionSchedule&) = delete;

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      apply_once();
      lock.lock();
      wake_.wait_for(lock, policy_.interval, [this] { return stopping_; });
    }
  }

  void apply_once() {
    const governance::GovernanceDeps deps{runtime_->conversations.get(), runtime_->audit.get(),
                                          runtime_->agent.get(), &system_clock()};
    auto report = governance::apply_retention(deps, policy_.days, policy_.mode, "schedule");
    if (!report.ok()) {
      spdlog::error("retention: the scheduled run failed: {}", report.status().to_string());
      return;
    }
    spdlog::info("retention: {} {} conversation(s) not updated for {} days ({} ticket(s) removed)",
                 policy_.mode == governance::RetentionMode::kDelete ? "deleted" : "anonymized",
                 report->sessions, policy_.days, report->tickets_removed);
  }

  std::shared_ptr<ChatRuntime> runtime_;
  const RetentionPolicy policy_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  ///< guarded by mutex_
  std::thread thread_;     ///< last: starts once the members above exist
};

Status install_retention_schedule(http::Router&, ServeContext& context) {
  ATIENDE_ASSIGN_OR_RETURN(RetentionPolicy policy, retention_policy_from(context.config));
  if (policy.days == 0) return {};
  ATIENDE_ASSIGN_OR_RETURN(std::shared_ptr<ChatRuntime> runtime, shared_chat_runtime(context));
  if (!runtime->conversations || !runtime->audit) {
    return Status::failed_precondition("retention.days is set but the conversation store or the audit log is not open");
  }
  context.keep_alive.push_back(std::make_shared<RetentionSchedule>(std::move(runtime), policy));
  return {};
}

}  // namespace
ATIENDE_REGISTER_ROUTES("retention_schedule", install_retention_schedule);
}  // namespace atiende::app
