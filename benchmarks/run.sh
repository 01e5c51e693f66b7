#!/usr/bin/env bash
# Timings of the study on this machine, printed, never asserted (see benchmarks/README.md).
#   1. a cold run of the whole study (environment already installed)
#   2. a no-op rerun (every stage up to date), with hyperfine when installed
#   3. stages 01 + 02 on a generated 1,000,000-row NYPS export: the notebooks' helper calls
#      (benchmarks/nyps_end_to_end.py), then a cProfile of that run
#   4. the real stages 01 and 02 on the same export through the runner, one command (kernels,
#      papermill, nbconvert, the report and its PDF included), with papermill's per-cell
#      durations, then the peak memory of all the run's processes together
#   5. growth with size: 10,000, 100,000 and 1,000,000 rows (benchmarks/scaling.py)
#   6. the text analysis (read + code) of 21 RUS of 200 pages each, then a profile of it
# Every figure is measured RUNS times (default 2; other work on the machine only slows a run
# down, so read the lower figure). Big inputs are generated once into benchmarks/out/ (ignored
# by git) and kept. Run from the project root after `make setup`: `make benchmark`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
OUT=benchmarks/out
RUNS=${RUNS:-2}
mkdir -p "$OUT"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

summary() {  # wall time and peak resident memory (the largest process of the tree) of a time -v file
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
              /Maximum resident set size/ { kb = $2 }
              END { printf "wall %7.2f s   peak RSS %6.0f MB\n", s, kb * 1024 / 1e6 }' "$1"
}

measure() {  # measure NAME COMMAND...: RUNS runs under time -v; output kept in $OUT/NAME.<run>.log
  local name=$1; shift
  for run in $(seq 1 "$RUNS"); do
    "$TIME" -v -o "$OUT/$name.$run.time" "$@" >"$OUT/$name.$run.log" 2>&1 \
      || { echo "    run $run failed; see $OUT/$name.$run.log" >&2; tail -n 20 "$OUT/$name.$run.log" >&2; exit 1; }
    echo "    run $run: $(summary "$OUT/$name.$run.time")"
  done
}

echo "== machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB, $($PY --version), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"

# ------------------------------------------------------------------------------------ inputs
for rows in 10000 100000 1000000; do
  name=$([ "$rows" = 1000000 ] && echo 1m || echo "$((rows / 1000))k")
  [ -f "$OUT/nyps_$name.csv" ] || $PY -m helpers.sample.nyps --rows "$rows" --out "$OUT/nyps_$name.csv" \
    --truth "$OUT/nyps_$name.truth.json" >/dev/null
done
big="$OUT/nyps_1m.csv"
corpus="$OUT/corpus_rus200"
[ -f "$corpus/manifest.csv" ] || $PY -m helpers.sample.corpus --out "$corpus" --only-rus --rus-pages 200 >/dev/null

# ------------------------------------------------------------------------------ whole study
echo "== 1. cold study run, all stages on the sample (fresh output folders; install excluded)"
for run in $(seq 1 "$RUNS"); do
  "$TIME" -v -o "$OUT/cold.$run.time" $PY -m helpers.study run -p "processed_dir=$work/cold$run/processed" \
    -p "output_dir=$work/cold$run/outputs" >"$OUT/cold.$run.log" 2>&1
  echo "    run $run: $(summary "$OUT/cold.$run.time")"
done
grep -E "done in|skipped|up to date" "$OUT/cold.$RUNS.log" | sed 's/^/      /' || true

echo "== 2. no-op rerun (nothing changed)"
noop=(-p "processed_dir=$work/cold$RUNS/processed" -p "output_dir=$work/cold$RUNS/outputs")
measure noop $PY -m helpers.study run "${noop[@]}"
tail -n 1 "$OUT/noop.1.log" | sed 's/^/      /'
if [ -x /usr/bin/hyperfine ] || command -v hyperfine >/dev/null; then
  hyperfine --style basic --warmup 1 --runs 5 "$PY -m helpers.study run ${noop[*]}" 2>&1 | sed 's/^/    /'
fi

# -------------------------------------------------------------------------- NYPS, 1M rows
echo "== 3. stages 01 + 02 on 1,000,000 rows: the notebooks' helper calls (target < 30 s, < 2 GB)"
measure nyps_1m_e2e $PY benchmarks/nyps_end_to_end.py "$big" --work "$work/e2e"
sed 's/^/    /' "$OUT/nyps_1m_e2e.$RUNS.log"
echo "  -- profile of that run (cProfile: own time per package, then the top 25 functions by cumulative time; the profiler adds overhead)"
$PY benchmarks/nyps_end_to_end.py "$big" --work "$work/e2e-profile" --profile 25 >"$OUT/nyps_1m_profile.log" 2>&1
sed -n '/^cProfile/,$p' "$OUT/nyps_1m_profile.log" | cut -c1-160 | sed 's/^/    /'

echo "== 4. the real stages on 1,000,000 rows through the runner (kernel, papermill, nbconvert)"
stages=(-p "nyps_path=$PWD/$big" -p "processed_dir=$work/stages/processed" -p "output_dir=$work/stages/outputs")
echo "  -- python -m helpers.study run --only 01,02 (one command: intake and analysis, pages, report and PDF)"
measure stages_1m $PY -m helpers.study run --only 01,02 --force "${stages[@]}"
grep -E "done in|complete" "$OUT/stages_1m.$RUNS.log" | sed 's/^/      /'
$PY benchmarks/notebook_cells.py "$work/stages/outputs/notebooks/01_data_intake.ipynb" \
  "$work/stages/outputs/notebooks/02_nyps_analysis.ipynb" | sed 's/^/    /'
echo "  -- the same, with the memory of every process of the run added up (kernels, quality checks, Chromium)"
$PY benchmarks/tree_memory.py -- $PY -m helpers.study run --only 01,02 --force "${stages[@]}" 2>&1 \
  | grep -v -E "IPKernelApp|^\[" | sed 's/^/    /'

echo "== 5. growth with size (each size in a fresh process; fastest of $RUNS runs)"
$PY benchmarks/scaling.py "$OUT/nyps_10k.csv" "$OUT/nyps_100k.csv" "$big" --runs "$RUNS" | sed 's/^/    /'

# ------------------------------------------------------------------------------------ text
echo "== 6. text analysis of 21 RUS x 200 pages: read + code (target < 90 s)"
measure text_rus200 $PY benchmarks/text_coding.py "$corpus/manifest.csv"
sed 's/^/    /' "$OUT/text_rus200.$RUNS.log"
echo "  -- profile (cProfile: own time per package, then the top 25 functions by cumulative time)"
$PY benchmarks/text_coding.py "$corpus/manifest.csv" --profile 25 >"$OUT/text_rus200_profile.log" 2>&1
sed -n '/^cProfile/,$p' "$OUT/text_rus200_profile.log" | cut -c1-160 | sed 's/^/    /'
