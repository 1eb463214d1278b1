#!/usr/bin/env bash
# Wall time of `atiende eval run` over the demo golden set (65 Spanish questions) with the two demo
# configs and the built-in provider: ingests data/demo into a scratch data dir once, then runs the
# evaluation RUNS times and prints one JSON line per run plus the median. Run from the repo root
# after a build:
#
#   bash bench/eval_run.sh          # BIN=build/atiende RUNS=5
#
# Each run answers 65 x 2 questions through the full chat pipeline (retrieval, agent routing,
# built-in responder, grounding), scores every metric and writes report.json and report.html.
set -euo pipefail
BIN=${BIN:-build/atiende}
RUNS=${RUNS:-5}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
env -u ATIENDE_CONFIG -u ATIENDE_LLM_PROVIDER "$BIN" --data "$WORK/data" ingest data/demo > /dev/null 2>&1
QUESTIONS=$(grep -c . data/demo/golden/qa.jsonl)
TIMES=()
for run in $(seq 1 "$RUNS"); do
  start=$(date +%s.%N)
  env -u ATIENDE_CONFIG -u ATIENDE_LLM_PROVIDER "$BIN" --data "$WORK/data" eval run \
    --golden data/demo/golden/qa.jsonl \
    --config data/demo/configs/a.toml --config data/demo/configs/b.toml \
    --out "$WORK/out" --json > "$WORK/summary.json"
  end=$(date +%s.%N)
  seconds=$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')
  TIMES+=("$seconds")
  printf '{"run":%d,"questions":%d,"configs":2,"seconds":%.3f}\n' "$run" "$QUESTIONS" "$seconds"
done
median=$(printf '%s\n' "${TIMES[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
printf '{"median_seconds":%.3f,"answers_per_run":%d}\n' "$median" "$((QUESTIONS * 2))"
