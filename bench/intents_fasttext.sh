#!/usr/bin/env bash
# fastText baseline for the intent classifier (Debian's `fasttext` CLI), on the same files as
# bench_intents_accuracy. Prints the accuracy (P@1) of fastText supervised, averaged over seeds,
# with default settings and with settings tuned for small data; text is lower-cased and, in the
# "folded" rows, accent-folded too (what our model sees), so fastText is not handicapped.
#
#   bench/intents_fasttext.sh [train.jsonl test.jsonl]   (defaults: data/demo/intents/)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
train="${1:-$root/data/demo/intents/train.jsonl}"
test="${2:-$root/data/demo/intents/test.jsonl}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
convert() {  # $1 jsonl, $2 out, $3 fold(0/1)
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys, unicodedata, re
src, dst, fold = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
def f(t):
    t = t.lower()
    if fold:
        t = "".join(c for c in unicodedata.normalize("NFD", t.replace("ñ", "\0")) if unicodedata.category(c) != "Mn").replace("\0", "ñ")
    t = re.sub(r"([^\w\s])", r" \1 ", t)
    return " ".join(t.split())
with open(dst, "w") as out:
    for line in open(src, encoding="utf-8"):
        if line.strip():
            d = json.loads(line)
            out.write("__label__" + d.get("intent", d.get("label")) + " " + f(d["text"]) + "\n")
PY
}
for fold in 0 1; do
  convert "$train" "$work/train$fold.txt" $fold
  convert "$test" "$work/test$fold.txt" $fold
done
run() {  # $1 name, $2 fold, rest: fasttext args
  local name="$1" fold="$2"; shift 2
  local sum=0 n=0
  for seed in 1 2 3 4 5; do
    fasttext supervised -input "$work/train$fold.txt" -output "$work/m" -thread 1 -seed "$seed" "$@" >/dev/null 2>&1
    acc=$(fasttext test "$work/m.bin" "$work/test$fold.txt" | awk '/^P@1/ {print $2}')
    sum=$(python3 -c "print($sum + $acc)"); n=$((n + 1))
  done
  printf '%-40s fold=%s accuracy=%.4f (mean of %d seeds)\n' "$name" "$fold" "$(python3 -c "print($sum / $n)")" "$n"
}
for fold in 0 1; do
  run "fasttext defaults" $fold
  run "fasttext epoch50 lr0.5 wordNgrams2 char2-5" $fold -epoch 50 -lr 0.5 -wordNgrams 2 -minn 2 -maxn 5 -dim 50 -bucket 200000
  run "fasttext epoch100 lr1.0 wordNgrams2 char3-6" $fold -epoch 100 -lr 1.0 -wordNgrams 2 -minn 3 -maxn 6 -dim 100 -bucket 200000
done
