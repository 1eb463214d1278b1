#!/usr/bin/env bash
# Sets everything up, builds, loads the UnaEmpresa demo knowledge base and starts the server on
# http://127.0.0.1:8080 (override with PORT). Leaves the CLI at build/atiende.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
DATA=${ATIENDE_DATA:-./atiende-data}
# The knowledge base (FAQs, catalog prose, manuals) plus the anonymized support history; the
# golden sets, intents and catalog JSON under data/demo are inputs for other commands.
KB=(data/demo/faq data/demo/kb data/demo/manuals)
for extra in data/demo/tickets.jsonl data/demo/chats.jsonl; do [ -f "$extra" ] && KB+=("$extra"); done
./build/atiende --data "$DATA" ingest "${KB[@]}"
exec ./build/atiende --data "$DATA" serve --port "${PORT:-8080}"
