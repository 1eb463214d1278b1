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

TEST(Extractive, AWellMatchingFaqTakesPriorityWhereverItRanks) {
  // Retrieval put a generic document and an unrelated FAQ first; the FAQ whose question is the
  // customer's question (with a greeting and a phone model around it) answers, alone.
  std::vector<Passage> passages = {
      passage(1, "doc", "Novedades",
              "La eSIM llegó a más teléfonos este año y activo el nuevo plan en tu iPhone es fácil."),
      passage(2, "faq", "¿Cómo pago mi factura?", "Puedes pagar en línea con PSE o tarjeta."),
      passage(3, "doc", "Cobertura", "La cobertura 5G llega a 40 ciudades."),
      passage(4, "faq", "¿Cómo activo la eSIM?",
              "Escanea el código QR desde Ajustes > Datos móviles > Añadir eSIM."),
  };
  ExtractiveAnswer a = answer_extractively("Hola, ¿cómo activo la eSIM en mi iPhone nuevo?", "es",
                                           passages, {});
  ASSERT_FALSE(a.abstained);
  EXPECT_EQ(a.strategy, "faq");
  EXPECT_EQ(a.text.rfind("Escanea el código QR", 0), 0u) << a.text;
  EXPECT_NE(a.text.find("[4]"), std::string::npos) << a.text;
  EXPECT_EQ(a.text.find("[1]"), std::string::npos) << a.text;
}

TEST(Extractive, AShortFaqQuestionInsideALongerQuestionDoesNotTakeOver) {
  std::vector<Passage> passages = {
      passage(1, "faq", "¿Qué es 5G?", "5G es la quinta generación de redes móviles."),
      passage(2, "doc", "Planes",
              "El plan 5G ilimitado cuesta 89.900 pesos al mes. Incluye llamadas ilimitadas."),
  };
  ExtractiveAnswer a = answer_extractively("¿Cuánto cuesta el plan 5G ilimitado?", "es", passages, {});
  ASSERT_FALSE(a.abstained);
  EXPECT_EQ(a.strategy, "sentences");
  EXPECT_EQ(a.text.rfind("El plan 5G ilimitado cuesta 89.900 pesos al mes. [2]", 0), 0u) << a.text;
}

TEST(Extractive, ComposedAnswersLeadWithTheMostRelevantPassage) {
  // The first passage only mentions billing in passing; the answer leads with (and keeps only)
  // the sentence that answers the question.
  std::vector<Passage> passages = {
      passage(1, "faq", "¿Cómo cambio mi plan?",
              "Puedes cambiar de plan desde la app. El cambio aplica en el siguiente ciclo de "
              "facturación."),
      passage(2, "doc", "Pagos",
              "La factura llega el día 5 de cada mes. Puedes pagar la factura con PSE, tarjeta de "
              "crédito o en efectivo en puntos aliados."),
  };
  ExtractiveAnswer a =
      answer_extractively("¿cómo puedo pagar la factura con tarjeta de crédito?", "es", passages, {});
  ASSERT_FALSE(a.abstained);
  EXPECT_EQ(a.strategy, "sentences");
  EXPECT_EQ(a.text.rfind("Puedes pagar la factura con PSE", 0), 0u) << a.text;
  EXPECT_EQ(a.text.find("[1]"), std::string::npos) << a.text;
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
