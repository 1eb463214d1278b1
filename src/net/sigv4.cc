#include "net/sigv4.h"

#include <algorithm>
#include <ctime>
#include <map>

#include "common/strings.h"
#include "common/crypto.h"
#include "net/url.h"

namespace atiende::net {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

// Headers never signed: they are added or changed by proxies and transports.
bool skip_header(const std::string& lower_name) {
  return lower_name == "authorization" || lower_name == "user-agent" || lower_name == "x-amzn-trace-id" ||
         lower_name == "expect" || lower_name == "connection" || lower_name == "transfer-encoding";
}

std::string canonical_header_value(std::string_view value) {
  std::string out;
  bool in_space = false;
  for (char c : trim(value)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      in_space = true;
      continue;
    }
    if (in_space && !out.empty()) out.push_back(' ');
    in_space = false;
    out.push_back(c);
  }
  return out;
}

struct CanonicalHeaders {
  std::string block;   // "name:value\n" per header
  std::string signed_names;  // "a;b;c"
};

CanonicalHeaders canonicalize_headers(const Headers& headers) {
  std::map<std::string, std::string> grouped;
  for (const auto& h : headers) {
    std::string name = ascii_lower(trim(h.name));
    if (skip_header(name)) continue;
    std::string value = canonical_header_value(h.value);
    auto [it, inserted] = grouped.emplace(name, value);
    if (!inserted) it->second += "," + value;
  }
  CanonicalHeaders out;
  for (const auto& [name, value] : grouped) {
    out.block += name + ":" + value + "\n";
    if (!out.signed_names.empty()) out.signed_names += ";";
    out.signed_names += name;
  }
  return out;
}

std::string signing_key(const AwsCredentials& credentials, std::string_view date, const SigV4Params& params) {
  std::string k = hmac_sha256("AWS4" + credentials.secret_access_key, date);
  k = hmac_sha256(k, params.region);
  k = hmac_sha256(k, params.service);
  return hmac_sha256(k, "aws4_request");
}

Status validate(const SigV4Request& request, const AwsCredentials& credentials, const SigV4Params& params) {
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return Status::invalid_argument("SigV4: access key id and secret access key are required");
  }
  if (params.region.empty() || params.service.empty()) {
    return Status::invalid_argument("SigV4: region and service are required");
  }
  if (request.method.empty()) return Status::invalid_argument("SigV4: method is empty");
  if (!find_header(request.headers, "host")) return Status::invalid_argument("SigV4: the request has no Host header");
  return Status{};
}

struct Scope {
  std::string date_time;  // 20150830T123600Z
  std::string date;       // 20150830
  std::string scope;      // 20150830/us-east-1/service/aws4_request
};

Scope make_scope(const SigV4Params& params) {
  Scope s;
  s.date_time = amz_date(params.time);
  s.date = s.date_time.substr(0, 8);
  s.scope = s.date + "/" + params.region + "/" + params.service + "/aws4_request";
  return s;
}

void finish(SigV4Result& result, const AwsCredentials& credentials, const SigV4Params& params, const Scope& scope) {
  result.string_to_sign = std::string(kAlgorithm) + "\n" + scope.date_time + "\n" + scope.scope + "\n" +
                          sha256_hex(result.canonical_request);
  result.signature = to_hex(hmac_sha256(signing_key(credentials, scope.date, params), result.string_to_sign));
}

}  // namespace

std::string amz_date(std::chrono::system_clock::time_point time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string sigv4_canonical_uri(std::string_view path, bool normalize) {
  if (path.empty()) return "/";
  std::string p(path);
  if (normalize) {
    std::vector<std::string_view> segments;
    for (std::string_view seg : split(path, '/')) {
      if (seg.empty() || seg == ".") continue;
      if (seg == "..") {
        if (!segments.empty()) segments.pop_back();
        continue;
      }
      segments.push_back(seg);
    }
    p = "/";
    for (size_t i = 0; i < segments.size(); ++i) {
      if (i > 0) p += "/";
      p += segments[i];
    }
    if (!segments.empty() && path.back() == '/') p += "/";
  }
  return uri_encode(p, /*keep_slash=*/true);
}

std::string sigv4_canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  if (!query.empty()) {
    for (std::string_view part : split(query, '&')) {
      if (part.empty()) continue;
      const size_t eq = part.find('=');
      std::string key = uri_encode(uri_decode(part.substr(0, eq)));
      std::string value = eq == std::string_view::npos ? "" : uri_encode(uri_decode(part.substr(eq + 1)));
      params.emplace_back(std::move(key), std::move(value));
    }
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += "&";
    out += k + "=" + v;
  }
  return out;
}

Result<AwsCredentials> aws_credentials_from_env(
    const std::function<std::optional<std::string>(const std::string&)>& env) {
  AwsCredentials c;
  auto get = [&](const char* name) { auto v = env(name); return v ? *v : std::string(); };
  c.access_key_id = get("AWS_ACCESS_KEY_ID");
  c.secret_access_key = get("AWS_SECRET_ACCESS_KEY");
  c.session_token = get("AWS_SESSION_TOKEN");
  if (c.access_key_id.empty()) return Status::unauthenticated("AWS_ACCESS_KEY_ID is not set");
  if (c.secret_access_key.empty()) return Status::unauthenticated("AWS_SECRET_ACCESS_KEY is not set");
  return c;
}

Result<SigV4Result> sigv4_sign_headers(const SigV4Request& request, const AwsCredentials& credentials,
                                       const SigV4Params& params) {
  ATIENDE_RETURN_IF_ERROR(validate(request, credentials, params));
  const Scope scope = make_scope(params);
  const std::string payload_hash = sha256_hex(request.body);

  SigV4Result result;
  Headers to_sign = request.headers;
  if (!credentials.session_token.empty()) {
    result.added_headers.push_back({"X-Amz-Security-Token", credentials.session_token});
    if (!params.omit_session_token) to_sign.push_back({"x-amz-security-token", credentials.session_token});
  }
  result.added_headers.push_back({"X-Amz-Date", scope.date_time});
  to_sign.push_back({"x-amz-date", scope.date_time});
  if (params.sign_body) {
    result.added_headers.push_back({"x-amz-content-sha256", payload_hash});
    to_sign.push_back({"x-amz-content-sha256", payload_hash});
  }
  const CanonicalHeaders canonical = canonicalize_headers(to_sign);
  result.canonical_request = request.method + "\n" + sigv4_canonical_uri(request.path, params.normalize_path) +
                             "\n" + sigv4_canonical_query(request.query) + "\n" + canonical.block + "\n" +
                             canonical.signed_names + "\n" + payload_hash;
  finish(result, credentials, params, scope);
  result.added_headers.push_back(
      {"Authorization", std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" + scope.scope +
                            ", SignedHeaders=" + canonical.signed_names + ", Signature=" + result.signature});
  return result;
}

Result<SigV4Result> sigv4_presign_query(const SigV4Request& request, const AwsCredentials& credentials,
                                        const SigV4Params& params) {
  ATIENDE_RETURN_IF_ERROR(validate(request, credentials, params));
  const Scope scope = make_scope(params);
  const CanonicalHeaders canonical = canonicalize_headers(request.headers);

  SigV4Result result;
  result.added_query = {
      {"X-Amz-Algorithm", std::string(kAlgorithm)},
      {"X-Amz-Credential", credentials.access_key_id + "/" + scope.scope},
      {"X-Amz-Date", scope.date_time},
      {"X-Amz-SignedHeaders", canonical.signed_names},
      {"X-Amz-Expires", std::to_string(params.expires.count())},
  };
  std::string canonical_input(request.query);
  for (const auto& [k, v] : result.added_query) {
    canonical_input += (canonical_input.empty() ? "" : "&") + uri_encode(k) + "=" + uri_encode(v);
  }
  if (!credentials.session_token.empty()) {
    result.added_query.emplace_back("X-Amz-Security-Token", credentials.session_token);
    if (!params.omit_session_token) {
      canonical_input += "&X-Amz-Security-Token=" + uri_encode(credentials.session_token);
    }
  }
  result.canonical_request = request.method + "\n" + sigv4_canonical_uri(request.path, params.normalize_path) +
                             "\n" + sigv4_canonical_query(canonical_input) + "\n" + canonical.block + "\n" +
                             canonical.signed_names + "\n" + sha256_hex(request.body);
  finish(result, credentials, params, scope);
  result.added_query.emplace_back("X-Amz-Signature", result.signature);
  result.signed_query = request.query;
  for (const auto& [k, v] : result.added_query) {
    result.signed_query += (result.signed_query.empty() ? "" : "&") + uri_encode(k) + "=" + uri_encode(v);
  }
  return result;
}

}  // namespace atiende::net
