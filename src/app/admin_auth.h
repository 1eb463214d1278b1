#pragma once
/// Protection of the admin surface (/admin pages' APIs under /v1/admin/...): one admin API key.
///
/// The key is config `admin.api_key` (env ATIENDE_ADMIN_API_KEY) when set, otherwise the contents
/// of "<data_dir>/keys/admin.key", created on first use (64 hex characters, mode 0600). Requests
/// present it as `Authorization: Bearer <key>` or `X-Admin-Key: <key>`. The admin web pages ask
/// for it once and keep it in the browser's sessionStorage.

#include <filesystem>
#include <string>
#include <string_view>

#include "common/config.h"
#include "common/status.h"
#include "http/types.h"

namespace atiende::audit {
class AuditLog;
}

namespace atiende::app {

/// The admin API key (see the file comment). Errors name the config key or the key file.
Result<std::string> load_admin_key(const Config& config, const std::filesystem::path& data_dir);

/// True for addresses only this machine can reach: 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(std::string_view host);

/// OK when `request` carries `key` (constant-time comparison); otherwise unauthenticated
/// ("admin API key required" / "admin API key is wrong"), which the router turns into a 401.
Status check_admin(const http::Request& request, std::string_view key);

/// check_admin() that leaves an audit record of its decision in `log` (skipped when null):
/// action "admin_request", actor "admin" when allowed (else "unknown"), decision "allow"/"deny",
/// reason_code "ok"/"missing_key"/"wrong_key", details {"method", "path"} (no query string, no
/// key). Fails closed for changes: when the record cannot be written, a request other than GET is
/// refused (internal); a GET goes on with a warning in the log.
Status check_admin_audited(const http::Request& request, std::string_view key, audit::AuditLog* log);

/// For admin routes left open on a loopback bind (the KB's /v1/documents): a change (any method
/// but GET) leaves the same "admin_request" record, actor "local", decision "allow", reason_code
/// "loopback", and is refused (internal) when the record cannot be written. GET and a null `log`:
/// OK, nothing written.
Status audit_local_admin_request(const http::Request& request, audit::AuditLog* log);

}  // namespace atiende::app
