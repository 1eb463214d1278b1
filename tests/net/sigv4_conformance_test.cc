// Runs every case of the aws-c-auth SigV4 suite in ../shared/conformance/sigv4/v4 through our
// signer, in header mode and in query (presign) mode, and checks byte equality of the canonical
// request, the string to sign, the signature and the rendered signed request.

#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "common/files.h"
#include "common/json.h"
#include "net/sigv4.h"

namespace atiende::net {
namespace {

namespace fs = std::filesystem;

fs::path suite_dir() { return fs::path(ATIENDE_SOURCE_DIR) / ".." / "shared" / "conformance" / "sigv4" / "v4"; }

std::vector<std::string> list_cases() {
  std::vector<std::string> names;
  std::error_code ec;
  if (!fs::is_directory(suite_dir(), ec)) return names;
  for (const auto& entry : fs::directory_iterator(suite_dir(), ec)) {
    if (entry.is_directory() && fs::exists(entry.path() / "request.txt")) names.push_back(entry.path().filename());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string slurp(const fs::path& p) {
  auto text = read_file(p);
  EXPECT_TRUE(text.ok()) << p << ": " << text.status().to_string();
  return text.ok() ? *text : std::string();
}

// A request as written in request.txt, with the raw header lines kept for re-rendering.
struct ParsedRequest {
  std::string method, target, version;
  std::vector<std::string> raw_header_lines;  // a folded header keeps its continuation lines
  SigV4Request request;
};

ParsedRequest parse_request(const std::string& text) {
  ParsedRequest out;
  size_t pos = text.find('\n');
  const std::string first = text.substr(0, pos);
  const size_t sp1 = first.find(' ');
  const size_t sp2 = first.rfind(' ');
  out.method = first.substr(0, sp1);
  out.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
  out.version = first.substr(sp2 + 1);
  out.request.method = out.method;
  const size_t q = out.target.find('?');
  out.request.path = out.target.substr(0, q);
  if (q != std::string::npos) out.request.query = out.target.substr(q + 1);
  size_t at = pos == std::string::npos ? text.size() : pos + 1;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(at, end - at);
    at = end + 1;
    if (line.empty()) {
      if (at <= text.size()) out.request.body = text.substr(std::min(at, text.size()));
      break;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !out.request.headers.empty()) {
      out.raw_header_lines.back() += "\n" + line;
      out.request.headers.back().value += "\n" + line;
      continue;
    }
    out.raw_header_lines.push_back(line);
    const size_t colon = line.find(':');
    out.request.headers.push_back({line.substr(0, colon), line.substr(colon + 1)});
  }
  return out;
}

std::chrono::system_clock::time_point parse_time(const std::string& iso) {
  std::tm tm{};
  strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

struct Case {
  ParsedRequest parsed;
  AwsCredentials credentials;
  SigV4Params params;
};

Case load_case(const std::string& name) {
  Case c;
  c.parsed = parse_request(slurp(suite_dir() / name / "request.txt"));
  auto json = parse_json(slurp(suite_dir() / name / "context.json"));
  EXPECT_TRUE(json.ok()) << json.status().to_string();
  const Json& ctx = *json;
  c.credentials.access_key_id = ctx["credentials"]["access_key_id"].get<std::string>();
  c.credentials.secret_access_key = ctx["credentials"]["secret_access_key"].get<std::string>();
  c.credentials.session_token = ctx["credentials"].value("token", "");
  c.params.region = ctx["region"].get<std::string>();
  c.params.service = ctx["service"].get<std::string>();
  c.params.time = parse_time(ctx["timestamp"].get<std::string>());
  c.params.normalize_path = ctx.value("normalize", true);
  c.params.sign_body = ctx.value("sign_body", false);
  c.params.omit_session_token = ctx.value("omit_session_token", false);
  c.params.expires = std::chrono::seconds(ctx.value("expiration_in_seconds", 3600));
  return c;
}

std::string render_headers_and_body(const ParsedRequest& p, const Headers& added) {
  std::string out;
  for (const auto& line : p.raw_header_lines) out += line + "\n";
  for (const auto& h : added) out += h.name + ":" + h.value + "\n";
  out += "\n" + p.request.body;
  return out;
}

class SigV4Conformance : public ::testing::TestWithParam<std::string> {};

TEST_P(SigV4Conformance, HeaderSigning) {
  const Case c = load_case(GetParam());
  const fs::path dir = suite_dir() / GetParam();
  auto signed_result = sigv4_sign_headers(c.parsed.request, c.credentials, c.params);
  ASSERT_TRUE(signed_result.ok()) << signed_result.status().to_string();
  EXPECT_EQ(signed_result->canonical_request, slurp(dir / "header-canonical-request.txt"));
  EXPECT_EQ(signed_result->string_to_sign, slurp(dir / "header-string-to-sign.txt"));
  EXPECT_EQ(signed_result->signature, slurp(dir / "header-signature.txt"));
  const std::string rendered = c.parsed.method + " " + c.parsed.target + " " + c.parsed.version + "\n" +
                               render_headers_and_body(c.parsed, signed_result->added_headers);
  EXPECT_EQ(rendered, slurp(dir / "header-signed-request.txt"));
}

TEST_P(SigV4Conformance, QuerySigning) {
  const Case c = load_case(GetParam());
  const fs::path dir = suite_dir() / GetParam();
  auto signed_result = sigv4_presign_query(c.parsed.request, c.credentials, c.params);
  ASSERT_TRUE(signed_result.ok()) << signed_result.status().to_string();
  EXPECT_EQ(signed_result->canonical_request, slurp(dir / "query-canonical-request.txt"));
  EXPECT_EQ(signed_result->string_to_sign, slurp(dir / "query-string-to-sign.txt"));
  EXPECT_EQ(signed_result->signature, slurp(dir / "query-signature.txt"));
  const std::string rendered = c.parsed.method + " " + c.parsed.request.path + "?" + signed_result->signed_query +
                               " " + c.parsed.version + "\n" + render_headers_and_body(c.parsed, {});
  EXPECT_EQ(rendered, slurp(dir / "query-signed-request.txt"));
}

INSTANTIATE_TEST_SUITE_P(V4, SigV4Conformance, ::testing::ValuesIn(list_cases()),
                         [](const auto& param_info) {
                           std::string n = param_info.param;
                           for (char& ch : n) if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SigV4Conformance);

TEST(SigV4ConformanceSuite, IsPresentAndComplete) {
  ASSERT_TRUE(fs::is_directory(suite_dir()))
      << "SigV4 conformance suite missing at " << suite_dir() << " (expected ../shared/conformance/sigv4/v4)";
  EXPECT_GE(list_cases().size(), 38u);
}

}  // namespace
}  // namespace atiende::net
