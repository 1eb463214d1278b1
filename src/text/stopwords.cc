// Stopword lists for Spanish and English, written for atiende (based on the common function
// words of each language: articles, pronouns, prepositions, conjunctions, auxiliary verb forms,
// question words). Entries are stored folded (lower case, no accents, ñ kept), as fold() emits.

#include <string>
#include <string_view>
#include <unordered_set>

#include "text/analyzer.h"

namespace atiende::text {
namespace {

constexpr std::string_view kSpanish =
    "a al algo algun alguna algunas alguno algunos ante antes aquel aquella aquellas aquello "
    "aquellos aqui asi aun bajo bien cada casi como con contra cual cuales cualquier cuando "
    "cuanta cuantas cuanto cuantos de del desde donde dos durante e el ella ellas ello ellos en "
    "entre era erais eramos eran eras eres es esa esas ese eso esos esta estaba estabais "
    "estabamos estaban estabas estad estada estadas estado estados estais estamos estan estando "
    "estar estara estaran estaras estare estareis estaremos estaria estariais estariamos "
    "estarian estarias estas este esteis estemos esten estes esto estos estoy estuve estuviera "
    "estuvierais estuvieramos estuvieran estuvieras estuvieron estuviese estuvieseis "
    "estuviesemos estuviesen estuvieses estuvimos estuviste estuvisteis estuvo fue fuera "
    "fuerais fueramos fueran fueras fueron fuese fueseis fuesemos fuesen fueses fui fuimos "
    "fuiste fuisteis ha habeis habia habiais habiamos habian habias habida habidas habido "
    "habidos habiendo habra habran habras habre habreis habremos habria habriais habriamos "
    "habrian habrias han has hasta hay haya hayais hayamos hayan hayas he hemos hube hubiera "
    "hubierais hubieramos hubieran hubieras hubieron hubiese hubieseis hubiesemos hubiesen "
    "hubieses hubimos hubiste hubisteis hubo la las le les lo los me mi mia mias mientras mio "
    "mios mis mucho muchos muy nada ni no nos nosotras nosotros nuestra nuestras nuestro "
    "nuestros o os otra otras otro otros para pero poco por porque pues que quien quienes se "
    "sea seais seamos sean seas sera seran seras sere sereis seremos seria seriais seriamos "
    "serian serias si sido siendo sin sobre sois somos son soy su sus suya suyas suyo suyos "
    "tambien tanto te tendra tendran tendras tendre tendreis tendremos tendria tendriais "
    "tendriamos tendrian tendrias tened teneis tenemos tenga tengais tengamos tengan tengas "
    "tengo tenia teniais teniamos tenian tenias tenida tenidas tenido tenidos teniendo ti "
    "tiene tienen tienes todo todos tu tus tuve tuviera tuvierais tuvieramos tuvieran tuvieras "
    "tuvieron tuviese tuvieseis tuviesemos tuviesen tuvieses tuvimos tuviste tuvisteis tuvo "
    "tuya tuyas tuyo tuyos un una unas uno unos usted ustedes vosotras vosotros vuestra "
    "vuestras vuestro vuestros y ya yo";

constexpr std::string_view kEnglish =
    "a about above after again against all am an and any are as at be because been before "
    "being below between both but by can could did do does doing down during each few for "
    "from further had has have having he her here hers herself him himself his how i if in "
    "into is it its itself just me more most my myself no nor not of off on once only or "
    "other our ours ourselves out over own same she should so some such than that the their "
    "theirs them themselves then there these they this those through to too under until up "
    "very was we were what when where which while who whom why will with would you your "
    "yours yourself yourselves";

std::unordered_set<std::string_view> make_set(std::string_view words) {
  std::unordered_set<std::string_view> set;
  size_t pos = 0;
  while (pos < words.size()) {
    size_t end = words.find(' ', pos);
    if (end == std::string_view::npos) end = words.size();
    if (end > pos) set.insert(words.substr(pos, end - pos));
    pos = end + 1;
  }
  return set;
}

}  // namespace

bool is_stopword(std::string_view language, std::string_view folded) {
  static const auto* spanish = new std::unordered_set<std::string_view>(make_set(kSpanish));
  static const auto* english = new std::unordered_set<std::string_view>(make_set(kEnglish));
  const auto* set = language == "en" ? english : spanish;
  return set->count(folded) > 0;
}

}  // namespace atiende::text
