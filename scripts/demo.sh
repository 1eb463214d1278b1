#!/usr/bin/env bash
# Sets everything up, builds, loads the UnaEmpresa demo knowledge base and starts the server on
# http://127.0.0.1:8080 (override with PORT). Leaves the CLI at build/atiende.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
DATA=${ATIENDE_DATA:-./atiende-data}
# data/demo/.atiendeignore keeps docs, golden sets, intents and catalog JSON out of the KB; the
# tickets and chats are anonymized by the privacy module before anything is stored.
./build/atiende --data "$DATA" ingest data/demo || echo "demo.sh: some files were not ingested (see above); serving the rest"
exec ./build/atiende --data "$DATA" serve --port "${PORT:-8080}"
