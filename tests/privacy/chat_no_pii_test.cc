// What a customer types in the chat is anonymized before anything is stored: messages, feedback
// and survey comments. Runs the real binary on loopback with the demo customers, sends PII in
// every customer-writable field, then scans every file of the data dir for the raw values.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/json.h"
#include "e2e/served_binary.h"
#include "http/test_client.h"
#include "privacy/data_dir_scan.h"

namespace atiende::privacy {
namespace {

using atiende::testing::ServedBinary;
using atiende::testing::TestClient;

// Synthetic values that pass their format checks.
constexpr const char* kEmail = "lucia.fernandez.prueba@correo-ejemplo.co";
constexpr const char* kMobile = "310 555 0199";
constexpr const char* kCedula = "1.020.345.678";
constexpr const char* kCard = "4539 1488 0343 6467";

Json body_of(const atiende::testing::ClientResponse& r) {
  auto parsed = parse_json(r.body);
  return parsed.ok() ? *parsed : Json();
}

TEST(PrivacyChat, CustomerTextIsAnonymizedBeforeStorage) {
  ServedBinary served;
  TestClient client(served.port());
  const std::vector<std::pair<std::string, std::string>> json = {{"Content-Type", "application/json"}};
  auto created = client.request("POST", "/v1/chat/sessions", R"({"consent":true})", json);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string session = body_of(created).value("session_id", "");
  ASSERT_FALSE(session.empty());
  const std::string base = "/v1/chat/sessions/" + session;

  const std::string message = std::string("Hola, soy Lucía Fernández Ríos, cédula ") + kCedula +
                              ". Mi correo es " + kEmail + " y mi celular " + kMobile +
                              ". Me cobraron dos veces en la tarjeta " + kCard + ".";
  auto answered = client.request("POST", base + "/messages", dump_json(Json{{"text", message}}), json);
  ASSERT_EQ(answered.status, 200) << answered.body;
  const std::string message_id = body_of(answered).value("message_id", "");
  auto rated = client.request(
      "POST", base + "/feedback",
      dump_json(Json{{"message_id", message_id}, {"rating", "down"},
                     {"comment", std::string("escríbanme a ") + kEmail}}),
      json);
  EXPECT_LT(rated.status, 300) << rated.body;
  auto surveyed = client.request(
      "POST", base + "/survey",
      dump_json(Json{{"csat", 2}, {"resolved", false},
                     {"comment", std::string("llámenme al ") + kMobile + ", Lucía Fernández"}}),
      json);
  EXPECT_LT(surveyed.status, 300) << surveyed.body;

  // The transcript the API returns holds placeholders, not the values.
  auto transcript = client.request("GET", base);
  ASSERT_EQ(transcript.status, 200);
  EXPECT_EQ(transcript.body.find(kEmail), std::string::npos) << transcript.body;
  EXPECT_EQ(transcript.body.find("0199"), std::string::npos) << transcript.body;
  EXPECT_NE(transcript.body.find("<EMAIL"), std::string::npos) << transcript.body;

  client.close();
  ASSERT_TRUE(served.terminate().has_value());
  const size_t files = testing::expect_no_raw_values_in(
      served.data_dir(), {kEmail, kMobile, "3105550199", kCedula, "1020345678", kCard,
                          "4539148803436467", "Fernández Ríos"});
  EXPECT_GE(files, 1u);
}

}  // namespace
}  // namespace atiende::privacy
