#!/usr/bin/env bash
# Timings of the study on this machine, printed, never asserted (see benchmarks/README.md).
#   1. a cold run of the whole study (environment already installed)
#   2. a no-op rerun (every stage up to date)
#   3. the intake of a generated 1,000,000-row NYPS export
# Run from the project root after `make setup`: `make benchmark` or `bash benchmarks/run.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
OUT=benchmarks/out
mkdir -p "$OUT"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }

summary() {  # the two lines of /usr/bin/time -v that matter here
  grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$1" | sed 's/^[[:space:]]*/    /'
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
overrides=(-p "processed_dir=$work/processed" -p "output_dir=$work/outputs")

echo "== 1. cold study run (fresh output folders; install excluded)"
$TIME -v -o "$OUT/cold.time" $PY -m helpers.study run "${overrides[@]}" >"$OUT/cold.log"
summary "$OUT/cold.time"

echo "== 2. no-op rerun (nothing changed)"
$TIME -v -o "$OUT/noop.time" $PY -m helpers.study run "${overrides[@]}" >"$OUT/noop.log"
summary "$OUT/noop.time"
tail -n 1 "$OUT/noop.log" | sed 's/^/    /'
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs 5 "$PY -m helpers.study run ${overrides[*]}" | sed 's/^/    /'
fi

echo "== 3. intake of a 1,000,000-row export"
big="$OUT/nyps_1m.csv"
[ -f "$big" ] || $PY -m helpers.sample.nyps --rows 1000000 --out "$big" --truth "$OUT/nyps_1m.truth.json" >/dev/null
$TIME -v -o "$OUT/intake_1m.time" $PY benchmarks/intake.py "$big" --out "$work/intake" | sed 's/^/    /'
summary "$OUT/intake_1m.time"

echo "== 4. text analysis of 21 RUS of 100 pages each (read + code)"
corpus="$OUT/corpus_rus100"
[ -f "$corpus/manifest.csv" ] || $PY -m helpers.sample.corpus --out "$corpus" --only-rus --rus-pages 100 >/dev/null
$TIME -v -o "$OUT/text_coding.time" $PY benchmarks/text_coding.py "$corpus/manifest.csv" | sed 's/^/    /'
summary "$OUT/text_coding.time"
