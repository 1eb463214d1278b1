#!/usr/bin/env bash
# Batch search throughput and latency of `atiende search --queries` on the generated 100k-chunk
# corpus, for each mode, next to Xapian on the same corpus. Run from the repo root after a build:
#
#   bash bench/search_speed.sh            # BIN=build/atiende, BENCH=build/bench
#
# Prints one JSON line per mode: {"queries","seconds","qps","p50_ms","p99_ms","threads"}.
set -euo pipefail
BIN=${BIN:-build/atiende}
BENCH=${BENCH:-build/bench}
DATA=${DATA:-bench/out/search-data}
CORPUS=bench/out/corpus.jsonl
QUERIES=bench/out/queries.jsonl
THREADS=${THREADS:-0}
[ -f "$CORPUS" ] && [ -f "$QUERIES" ] || python3 bench/gen_corpus.py
if [ ! -f "$DATA/atiende.db" ]; then
  echo "loading $CORPUS into $DATA" >&2
  "$BENCH/bench_search_load" --data "$DATA" --corpus "$CORPUS"
fi
for mode in bm25 vector hybrid; do
  # The first run warms the OS page cache (index files, SQLite pages): report the second.
  "$BIN" --data "$DATA" search --queries "$QUERIES" --k 10 --mode "$mode" --threads "$THREADS" \
    --json > /dev/null 2>&1 || true
  printf '%s ' "$mode"
  "$BIN" --data "$DATA" search --queries "$QUERIES" --k 10 --mode "$mode" --threads "$THREADS" \
    --json --stats 2>&1 > /dev/null | tail -1
done
if [ "${XAPIAN:-1}" = 1 ]; then
  /usr/bin/python3 bench/xapian_speed.py --corpus "$CORPUS" --queries "$QUERIES" --k 10
fi
