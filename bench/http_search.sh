#!/usr/bin/env bash
# HTTP POST /v1/search latency and throughput at 100k chunks: starts `atiende serve --port 0` on
# the data dir that bench/search_speed.sh loads, then runs bench_http_load at a few concurrency
# levels. Run from the repo root after a build:
#
#   bash bench/http_search.sh          # BIN=build/atiende BENCH=build/bench MODES="bm25 hybrid"
#
# Prints one JSON line per (mode, concurrency): {"qps","p50_ms","p90_ms","p99_ms",...}.
set -euo pipefail
BIN=${BIN:-build/atiende}
BENCH=${BENCH:-build/bench}
DATA=${DATA:-bench/out/search-data}
CORPUS=bench/out/corpus.jsonl
QUERIES=bench/out/queries.jsonl
MODES=${MODES:-"bm25 hybrid"}
LEVELS=${LEVELS:-"1 4 16"}
REQUESTS=${REQUESTS:-2000}
[ -f "$CORPUS" ] && [ -f "$QUERIES" ] || python3 bench/gen_corpus.py
if [ ! -f "$DATA/atiende.db" ]; then
  echo "loading $CORPUS into $DATA" >&2
  "$BENCH/bench_search_load" --data "$DATA" --corpus "$CORPUS"
fi
OUT=$(mktemp)
"$BIN" --data "$DATA" serve --port 0 > "$OUT" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -f "$OUT"' EXIT
for _ in $(seq 1 600); do
  grep -q "listening on" "$OUT" 2>/dev/null && break
  sleep 0.5
done
PORT=$(sed -n 's/^listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$OUT" | head -1)
[ -n "$PORT" ] || { echo "server did not start" >&2; exit 1; }
echo "server on port $PORT (pid $PID)" >&2
for c in $LEVELS; do  # the server's own cost: GET /healthz through the same stack
  printf 'healthz c=%s ' "$c"
  "$BENCH/bench_http_load" --port "$PORT" --path /healthz --concurrency "$c" \
    --requests "$REQUESTS" --warmup 200
done
for mode in $MODES; do
  for c in $LEVELS; do
    printf '%s c=%s ' "$mode" "$c"
    "$BENCH/bench_http_load" --port "$PORT" --queries "$QUERIES" --mode "$mode" \
      --concurrency "$c" --requests "$REQUESTS" --warmup 200
  done
done
