#!/usr/bin/env bash
# Sets everything up, builds, loads the UnaEmpresa demo knowledge base and starts the server on
# http://127.0.0.1:8080 (override with PORT). Leaves the CLI at build/atiende.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
DATA=${ATIENDE_DATA:-./atiende-data}
./build/atiende --data "$DATA" ingest data/demo
exec ./build/atiende --data "$DATA" serve --port "${PORT:-8080}"
