#include "privacy/anonymizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/json.h"

namespace atiende::privacy {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::unique_ptr<Anonymizer> make(AnonymizerOptions o = {}, std::map<std::string, std::string> env = {}) {
  auto a = Anonymizer::create(o, map_env(std::move(env)));
  EXPECT_TRUE(a.ok()) << a.status().to_string();
  return std::move(*a);
}

TEST(Anonymizer, ReplaceGivesTypedConsistentTokens) {
  auto a = make();
  PseudonymScope scope = a->new_scope();
  auto out = a->anonymize_text(
      "Soy Laura Gómez, mi celular es 300 123 4567. Repito: +57 300 123 4567, Laura Gómez.", scope);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  EXPECT_EQ(*out, "Soy <PERSON_1>, mi celular es <PHONE_1>. Repito: <PHONE_1>, <PERSON_1>.");
}

TEST(Anonymizer, PerTypeOperators) {
  AnonymizerOptions o;
  o.operators["CREDIT_CARD"] = {OperatorKind::kMask, 4};
  o.operators["EMAIL"] = {OperatorKind::kRedact, 4};
  auto a = make(o);
  PseudonymScope scope = a->new_scope();
  auto out = a->anonymize_text("tarjeta 4111 1111 1111 1111, correo ana@correo.com", scope);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "tarjeta **** **** **** 1111, correo ");
}

TEST(Anonymizer, MissingEncryptionKeyFailsAtStartup) {
  AnonymizerOptions o;
  o.operators["PERSON"] = {OperatorKind::kEncrypt, 4};
  auto a = Anonymizer::create(o, map_env({}));
  ASSERT_FALSE(a.ok());
  EXPECT_THAT(a.status().message(), HasSubstr("ATIENDE_PRIVACY_ENCRYPTION_KEY"));
}

TEST(Anonymizer, JsonRecordDeclaredFieldsAndTurns) {
  AnonymizerOptions o;
  o.pii_fields["customer_name"] = "PERSON";
  o.pii_fields["metadata.phone"] = "PHONE";
  auto a = make(o);
  PseudonymScope scope = a->new_scope();
  const std::string line =
      R"({"id":"T-1","type":"chat","customer_name":"Rigoberta Menchaca",)"
      R"("metadata":{"phone":"3001234567","channel":"web"},)"
      R"("text":"Rigoberta Menchaca reporta que el 3001234567 no tiene señal",)"
      R"("turns":[{"role":"customer","text":"Soy Menchaca, escribo por mi línea"},)"
      R"({"role":"agent","text":"Con gusto, señora"}]})";
  auto r = a->anonymize_record_json(line, scope);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  auto j = parse_json(r->json);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["id"], "T-1");
  EXPECT_EQ((*j)["customer_name"], "<PERSON_1>");
  EXPECT_EQ((*j)["metadata"]["phone"], "<PHONE_1>");
  EXPECT_EQ((*j)["metadata"]["channel"], "web");
  EXPECT_EQ((*j)["text"], "<PERSON_1> reporta que el <PHONE_1> no tiene señal");
  EXPECT_EQ((*j)["turns"][0]["role"], "customer");
  EXPECT_EQ((*j)["turns"][0]["text"], "Soy <PERSON_1>, escribo por mi línea");
  EXPECT_THAT(r->json, Not(HasSubstr("Menchaca")));
  bool saw_turn = false;
  for (const auto& f : r->fields) saw_turn |= f.field == "turns[0].text";
  EXPECT_TRUE(saw_turn);
}

TEST(Anonymizer, DetectOnlyLeavesTextAlone) {
  auto a = make();
  PseudonymScope scope = a->new_scope();
  auto r = a->anonymize_record_json(R"({"text":"correo ana@correo.com"})", scope, false, true);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->json, HasSubstr("ana@correo.com"));
  ASSERT_EQ(r->fields.size(), 1u);
  EXPECT_EQ(r->fields[0].spans[0].type, "EMAIL");
  EXPECT_EQ(r->fields[0].spans[0].start, 7u);
}

TEST(Anonymizer, MalformedRecordIsAnError) {
  auto a = make();
  PseudonymScope scope = a->new_scope();
  EXPECT_FALSE(a->anonymize_record_json("{\"text\": ", scope).ok());
  EXPECT_FALSE(a->anonymize_record_json("[1,2]", scope).ok());
  EXPECT_FALSE(a->anonymize_record_json("{\"text\":\"\xC3\x28\"}", scope).ok());
}

TEST(Anonymizer, IngestHookCleansAndAnonymizesCoveredTypesOnly) {
  auto a = make();
  RecordView chat;
  chat.type = "chat";
  chat.metadata_json = R"({"customer_id":"CLI-0012345","channel":"whatsapp"})";
  chat.turns = {{"customer", "Hola, soy Pedro Alcántara, cédula 80123456"},
                {"customer", "ok"},
                {"agent", "Gracias Pedro, ya reviso tu línea"}};
  auto n = a->anonymize_record(chat);
  ASSERT_TRUE(n.ok()) << n.status().to_string();
  ASSERT_EQ(chat.turns.size(), 2u);
  EXPECT_EQ(chat.turns[0].text, "soy <PERSON_1>, cédula <CO_CC_1>");
  EXPECT_EQ(chat.turns[1].role, "agent");
  EXPECT_THAT(chat.turns[1].text, Not(HasSubstr("Pedro")));
  EXPECT_EQ(chat.metadata_json, R"({"channel":"whatsapp","customer_id":"<CUSTOMER_ID_1>"})");
  RecordView doc;
  doc.type = "doc";
  doc.text = "Manual escrito por Pedro Alcántara";
  ASSERT_TRUE(a->anonymize_record(doc).ok());
  EXPECT_EQ(doc.text, "Manual escrito por Pedro Alcántara");  // doc is not covered by default
}

}  // namespace
}  // namespace atiende::privacy
