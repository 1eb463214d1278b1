#include "app/admin_auth.h"

#include <spdlog/spdlog.h>

#include "audit/audit_log.h"
#include "common/crypto.h"
#include "common/json.h"
#include "common/files.h"
#include "common/strings.h"
#include "http/limits.h"

namespace atiende::app {

Result<std::string> load_admin_key(const Config& config, const std::filesystem::path& data_dir) {
  ATIENDE_ASSIGN_OR_RETURN(std::string configured, config.get_string("admin.api_key", ""));
  if (!configured.empty()) {
    if (configured.size() < 16) {
      return Status::invalid_argument("admin.api_key must be at least 16 characters");
    }
    return configured;
  }
  ATIENDE_ASSIGN_OR_RETURN(std::string stored,
                           load_or_create_secret_file(data_dir / "keys" / "admin.key"));
  return std::string(trim(stored));
}

bool is_loopback_host(std::string_view host) {
  return host == "localhost" || host == "[::1]" || http::is_loopback_address(host);
}

Status check_admin(const http::Request& request, std::string_view key) {
  std::string_view presented;
  if (auto header = request.headers.get("X-Admin-Key")) {
    presented = trim(*header);
  } else if (auto auth = request.headers.get("Authorization")) {
    constexpr std::string_view kBearer = "Bearer ";
    if (auth->size() > kBearer.size() && auth->substr(0, kBearer.size()) == kBearer) {
      presented = trim(auth->substr(kBearer.size()));
    }
  }
  if (presented.empty()) return Status::unauthenticated("admin API key required");
  if (key.empty() || !constant_time_equals(presented, key)) {
    return Status::unauthenticated("admin API key is wrong");
  }
  return {};
}

namespace {

/// Writes the "admin_request" record of a decision already taken (`decided`: OK = allowed) and
/// returns it, or internal when an allowed change (not GET) could not be recorded.
Status record_admin_request(const http::Request& request, const Status& decided, std::string_view actor,
                            std::string_view reason_code, audit::AuditLog& log) {
  audit::AuditEvent event;
  event.action = "admin_request";
  event.actor = std::string(actor);
  event.decision = decided.ok() ? "allow" : "deny";
  event.reason_code = std::string(reason_code);
  event.details_json = dump_json({{"method", request.method}, {"path", request.path}});
  auto written = log.append(event);
  if (!written.ok()) {
    spdlog::warn("admin: audit record for {} {} not written: {}", request.method, request.path,
                 written.status().to_string());
    if (decided.ok() && request.method != "GET") {
      return Status::internal("the admin action was not done: its audit record could not be written");
    }
  }
  return decided;
}

}  // namespace

Status check_admin_audited(const http::Request& request, std::string_view key, audit::AuditLog* log) {
  const Status checked = check_admin(request, key);
  if (log == nullptr) return checked;
  const std::string_view reason = checked.ok()                                          ? "ok"
                                  : checked.message().find("required") != std::string::npos ? "missing_key"
                                                                                            : "wrong_key";
  return record_admin_request(request, checked, checked.ok() ? "admin" : "unknown", reason, *log);
}

Status audit_local_admin_request(const http::Request& request, audit::AuditLog* log) {
  if (log == nullptr || request.method == "GET") return {};
  return record_admin_request(request, Status{}, "local", "loopback", *log);
}

}  // namespace atiende::app
