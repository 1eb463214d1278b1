// The server's ingest path (POST /v1/documents) anonymizes tickets, chats and transcripts before
// anything is stored, like `atiende ingest` does: the stored text holds tokens, not the values,
// and no raw value is found anywhere in the data dir. Runs the real binary on loopback.

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

// Values that pass their checksums / formats (synthetic, not real people).
constexpr const char* kEmail = "lucia.fernandez.prueba@correo-ejemplo.es";
constexpr const char* kPhone = "+34 612 345 678";
constexpr const char* kDni = "12345678Z";
constexpr const char* kIban = "ES91 2100 0418 4502 0005 1332";

TEST(PrivacyDocumentsRoute, TicketsPostedToTheServerAreAnonymizedBeforeStorage) {
  ServedBinary served;
  TestClient client(served.port());
  const std::string ticket_text = std::string("Hola, soy Lucía Fernández. Mi correo es ") + kEmail +
                                  ", mi móvil " + kPhone + " y mi DNI " + kDni +
                                  ". Quiero domiciliar la factura en la cuenta " + kIban + ".";
  const Json record = {{"id", "ticket-http-1"}, {"type", "ticket"}, {"title", "Domiciliación"},
                       {"text", ticket_text}};
  auto added = client.request("POST", "/v1/documents", dump_json(record),
                              {{"Content-Type", "application/json"}});
  ASSERT_LT(added.status, 300) << added.body;

  auto stored = client.request("GET", "/v1/documents/ticket-http-1");
  ASSERT_EQ(stored.status, 200) << stored.body;
  for (const char* raw : {kEmail, kPhone, kDni, kIban, "12345678", "612 345 678"}) {
    EXPECT_EQ(stored.body.find(raw), std::string::npos) << "raw value returned by GET";
  }
  EXPECT_NE(stored.body.find("<EMAIL"), std::string::npos) << stored.body;

  // A plain FAQ is not a customer record: it is stored as written.
  const Json faq = {{"id", "faq-correo"}, {"type", "faq"}, {"title", "¿Cuál es el correo de soporte?"},
                    {"text", "Escríbenos a soporte@unaempresa.example."}};
  auto faq_added = client.request("POST", "/v1/documents", dump_json(faq),
                                  {{"Content-Type", "application/json"}});
  ASSERT_LT(faq_added.status, 300) << faq_added.body;
  auto faq_stored = client.request("GET", "/v1/documents/faq-correo");
  EXPECT_NE(faq_stored.body.find("soporte@unaempresa.example"), std::string::npos);

  ASSERT_TRUE(served.terminate().has_value());
  const size_t files =
      testing::expect_no_raw_values_in(served.data_dir(), {kEmail, kDni, "ES9121000418"});
  EXPECT_GE(files, 1u);
}

}  // namespace
}  // namespace atiende::privacy
