#pragma once
/// Status and Result<T>: the one error vocabulary of atiende.
/// Every expected failure (I/O, network, database, untrusted input) is returned as a Status;
/// no exception crosses a module's public API.

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace atiende {

/// Canonical error codes. `http_status_for` in http/ maps them to HTTP statuses.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     ///< bad input from the caller (names the bad field or line)
  kNotFound,            ///< the named thing does not exist
  kAlreadyExists,
  kPermissionDenied,    ///< authenticated but not allowed
  kUnauthenticated,     ///< missing or invalid credentials
  kFailedPrecondition,  ///< state does not allow the operation now
  kResourceExhausted,   ///< a limit or rate was exceeded
  kUnavailable,         ///< a dependency is down; retrying may help
  kDeadlineExceeded,
  kCancelled,
  kDataLoss,            ///< stored data is corrupt
  kUnimplemented,
  kInternal,            ///< a bug or an impossible state
};

/// Stable lower-case name of a code, e.g. "invalid_argument".
std::string_view status_code_name(StatusCode code);

/// An outcome: ok, or a code plus a human-readable message.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok_status() { return {}; }
  static Status invalid_argument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status not_found(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status already_exists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status permission_denied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
  static Status unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
  static Status failed_precondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status resource_exhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }
  static Status unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status deadline_exceeded(std::string m) {
    return {StatusCode::kDeadlineExceeded, std::move(m)};
  }
  static Status cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status data_loss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
  static Status unimplemented(std::string m) { return {StatusCode::kUnimplemented, std::move(m)}; }
  static Status internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  /// "invalid_argument: message" (or "ok").
  std::string to_string() const;

  /// Returns a copy whose message is "<context>: <message>"; ok stays ok.
  Status with_context(std::string_view context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

/// A value of type T or an error Status (never an ok Status). std::expected-like API.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design
    if (std::get<Status>(data_).ok()) {
      data_ = Status::internal("Result constructed from an ok Status without a value");
    }
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  bool has_value() const { return ok(); }
  explicit operator bool() const { return ok(); }

  /// Precondition: ok().
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// The error, or an ok Status when a value is held.
  Status status() const { return ok() ? Status{} : std::get<Status>(data_); }
  const Status& error() const { return std::get<Status>(data_); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Status> data_;
};

}  // namespace atiende

#define ATIENDE_CONCAT_INNER(a, b) a##b
#define ATIENDE_CONCAT(a, b) ATIENDE_CONCAT_INNER(a, b)

/// Returns the Status from the enclosing function when `expr` (a Status) is not ok.
#define ATIENDE_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::atiende::Status atiende_status_ = (expr);        \
    if (!atiende_status_.ok()) return atiende_status_; \
  } while (false)

/// `lhs = value of expr` (a Result<T>), or returns its error from the enclosing function.
#define ATIENDE_ASSIGN_OR_RETURN(lhs, expr) \
  ATIENDE_ASSIGN_OR_RETURN_IMPL(ATIENDE_CONCAT(atiende_result_, __LINE__), lhs, expr)
#define ATIENDE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.error();                  \
  lhs = std::move(tmp).value()
