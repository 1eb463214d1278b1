# Run with cmake -P: embeds data/privacy/*.txt into a header of raw string literals.
# Inputs: SRC_DIR (data/privacy), OUT (the header to write).
set(files given_names surnames ambiguous_names places stop_words person_cues place_prefixes)
set(vars kGivenNames kSurnames kAmbiguousNames kPlaces kStopWords kPersonCues kPlacePrefixes)
set(content "#pragma once\n// Generated from data/privacy/*.txt by embed_gazetteers.cmake. Do not edit.\n")
string(APPEND content "#include <string_view>\nnamespace atiende::privacy::gazetteer_data {\n")
foreach(file var IN ZIP_LISTS files vars)
  file(READ "${SRC_DIR}/${file}.txt" text)
  string(APPEND content "inline constexpr std::string_view ${var} = R\"gz(${text})gz\";\n")
endforeach()
string(APPEND content "}  // namespace atiende::privacy::gazetteer_data\n")
file(WRITE "${OUT}.tmp" "${content}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
