#pragma once
/// The Porter stemmer exactly as NLTK's `PorterStemmer()` in its default NLTK_EXTENSIONS mode,
/// which is what Google's rouge-score uses for `use_stemmer=True`. Input is one lower-case ASCII
/// word; other bytes pass through the rules as consonants. Pure function, thread-safe.

#include <string>
#include <string_view>

namespace atiende::eval {

/// Stems one word (lower-cases ASCII first, like NLTK's stem(word, to_lowercase=True)).
std::string porter_stem(std::string_view word);

}  // namespace atiende::eval
