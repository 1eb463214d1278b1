#!/usr/bin/env bash
# Sets everything up, builds, and runs every test (unit, conformance, e2e, web). Leaves build/atiende.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
bash scripts/with-postgres.sh ctest --test-dir build --output-on-failure -j2 --timeout 600
