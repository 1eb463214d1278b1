# atiende_module(NAME <module> SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
# Builds the static library atiende_<module> from src/<module>. Public headers are included as
# "<module>/<file>.h" (the include root is src/).
function(atiende_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(atiende_${M_NAME} STATIC ${M_SOURCES})
  target_include_directories(atiende_${M_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(atiende_${M_NAME} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
endfunction()

# atiende_test(NAME <name> SOURCES ... DEPS ... [LABELS unit|conformance|e2e|web])
# One GoogleTest executable; each TEST becomes a CTest test carrying the labels.
function(atiende_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  set(T_REGISTER ON)
  if(ATIENDE_UNIT_TESTS_ONLY AND NOT "unit" IN_LIST T_LABELS)
    # Kept as a target (so add_dependencies() on it still works) but neither built nor registered.
    add_executable(${T_NAME} EXCLUDE_FROM_ALL ${T_SOURCES})
    set(T_REGISTER OFF)
  else()
    add_executable(${T_NAME} ${T_SOURCES})
  endif()
  target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} GTest::gmock GTest::gtest_main)
  target_compile_definitions(${T_NAME} PRIVATE
    ATIENDE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    ATIENDE_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(T_REGISTER)
    gtest_discover_tests(${T_NAME} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                         PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()
