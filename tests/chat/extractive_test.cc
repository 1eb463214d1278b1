#include "chat/extractive.h"

#include <gtest/gtest.h>

namespace atiende::chat {
namespace {

Passage passage(int n, const std::string& type, const std::string& title, const std::string& text) {
  Passage p{n, {}};
  p.hit.doc_id = "doc-" + std::to_string(n);
  p.hit.type = type;
  p.hit.title = title;
  p.hit.text = text;
  p.hit.language = "es";
  return p;
}

TEST(Extractive, AMatchingFaqQuestionAnswersWithTheFaq) {
  std::vector<Passage> passages = {
      passage(1, "faq", "¿Cómo activo la eSIM en mi teléfono?",
              "Ve a Ajustes y escanea el código QR que te enviamos por correo. La activación "
              "tarda unos minutos."),
      passage(2, "doc", "Guía", "Otra cosa distinta sobre facturas."),
  };
  ExtractiveAnswer a = answer_extractively("como activo la esim", "es", passages, {});
  EXPECT_FALSE(a.abstained);
  EXPECT_EQ(a.strategy, "faq");
  EXPECT_NE(a.text.find("código QR"), std::string::npos);
  EXPECT_NE(a.text.find("[1]"), std::string::npos);
  EXPECT_EQ(a.text.find("[2]"), std::string::npos);
}

TEST(Extractive, ComposesCitedSentencesFromDocuments) {
  std::vector<Passage> passages = {
      passage(1, "doc", "Router Fibra X1",
              "El router tiene cuatro puertos. Para reiniciar el router mantén presionado el botón "
              "Reset durante diez segundos. Las luces parpadean al arrancar."),
      passage(2, "doc", "Velocidad",
              "Si el internet está lento, reinicia el router y acércate al equipo."),
  };
  ExtractiveAnswer a = answer_extractively("¿cómo reinicio el router?", "es", passages, {});
  ASSERT_FALSE(a.abstained);
  EXPECT_EQ(a.strategy, "sentences");
  EXPECT_NE(a.text.find("Reset"), std::string::npos);
  EXPECT_NE(a.text.find("[1]"), std::string::npos);
}

TEST(Extractive, AbstainsWhenPassagesDoNotCoverTheQuestion) {
  std::vector<Passage> passages = {
      passage(1, "faq", "¿Cómo pago mi factura?", "Puedes pagar en línea con PSE o tarjeta."),
  };
  ExtractiveAnswer a =
      answer_extractively("¿cuál es la capital de Mongolia?", "es", passages, {});
  EXPECT_TRUE(a.abstained);
  EXPECT_TRUE(a.text.empty());
  EXPECT_LT(a.confidence, 0.4);
  EXPECT_TRUE(answer_extractively("hola", "es", {}, {}).abstained);
}

TEST(Extractive, EnglishQuestionsGetAnEnglishFrame) {
  std::vector<Passage> passages = {
      passage(1, "faq", "¿Qué incluye el roaming en Europa?",
              "El pasaporte Europa incluye 5 GB de datos 5G por 25.000 COP al día."),
  };
  ExtractiveAnswer a = answer_extractively("roaming Europa 5G datos", "en", passages, {});
  ASSERT_FALSE(a.abstained);
  EXPECT_EQ(a.text.rfind("Here is what", 0), 0u);
  EXPECT_NE(abstain_message("en").find("human agent"), std::string::npos);
  EXPECT_NE(abstain_message("es").find("agente humano"), std::string::npos);
}

}  // namespace
}  // namespace atiende::chat
