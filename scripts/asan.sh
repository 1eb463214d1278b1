#!/usr/bin/env bash
# Builds the unit tests (only: ATIENDE_UNIT_TESTS_ONLY skips the binary, e2e, web and conformance
# targets) with AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/ and runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=build-asan BUILD_TYPE=Debug bash scripts/build.sh -DATIENDE_SANITIZE=ON -DATIENDE_BUILD_BENCH=OFF -DATIENDE_UNIT_TESTS_ONLY=ON
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure -j2 -L unit --timeout 900
