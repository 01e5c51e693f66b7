"""How the time of stages 01 + 02 grows with the size of the export: runs
benchmarks/nyps_end_to_end.py on each export in a fresh process (so each size has its own
peak memory and its own cold imports) and prints, per size, the total and the data-dependent
steps, the time per row, and the ratio of each size's time to the previous size's.

    python benchmarks/scaling.py EXPORT [EXPORT ...] [--runs N]    (e.g. 10k, 100k and 1M rows)

--runs N  measure each size N times and keep the fastest run (other work on the machine
          only ever slows a run down)

Linear growth means the time ratio equals the row ratio (10 for 10k -> 100k); below it, fixed
costs (imports, the twelve figures) are still being spread over more rows."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Steps whose work does not depend on the number of rows: imports and drawing (the figures
# plot at most 21 counties x 5 areas x a few years, whatever the export's size).
FIXED_STEPS = ("01 import", "01 by year: table + figure", "01 stage record",
               "02 import", "02 twelve figures", "02 workbook", "02 key findings + stage record",
               "02 CSV tables", "02 checks (GX, 2 suites)")


def measure(path: Path, work: Path, run: int) -> dict:
    out = work / f"{path.stem}-{run}.json"
    subprocess.run([sys.executable, str(HERE / "nyps_end_to_end.py"), str(path), "--work", str(work / f"{path.stem}-{run}"),
                    "--json", str(out)], check=True, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("exports", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=1, metavar="N", help="runs per size; the fastest is kept")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nyps-scaling-") as tmp:
        results = []
        for path in args.exports:
            runs = []
            for run in range(max(1, args.runs)):
                runs.append(measure(path, Path(tmp), run))
                print(f"  {path}: run {run + 1}, {runs[-1]['total']:.2f} s", flush=True)
            results.append(min(runs, key=lambda r: r["total"]))
    results.sort(key=lambda r: r["rows"])
    print(f"{'rows':>10} {'total s':>8} {'µs/row':>8} {'ratio':>6} | {'data s':>7} {'µs/row':>8} {'ratio':>6} | {'peak MB':>8}")
    previous = None
    for r in results:
        data = sum(t for name, t in r["steps"].items() if name not in FIXED_STEPS)
        row = f"{r['rows']:>10,} {r['total']:>8.2f} {r['total'] / r['rows'] * 1e6:>8.2f} "
        if previous:
            rows_ratio = r["rows"] / previous["rows"]
            row += f"{r['total'] / previous['total']:>6.2f} | {data:>7.2f} {data / r['rows'] * 1e6:>8.2f} "
            row += f"{data / previous['data']:>6.2f} | {r['peak_mb']:>8,.0f}   (rows x{rows_ratio:g})"
        else:
            row += f"{'–':>6} | {data:>7.2f} {data / r['rows'] * 1e6:>8.2f} {'–':>6} | {r['peak_mb']:>8,.0f}"
        print(row)
        previous = {**r, "data": data}
    print("data s = every step except imports, figures, workbook and the small tables' checks "
          "(fixed costs); ratio = this size's time / the previous size's")
    print("per step (s):")
    names = list(results[-1]["steps"])
    print(f"  {'step':<38}" + "".join(f"{r['rows']:>11,}" for r in results))
    for name in names:
        print(f"  {name:<38}" + "".join(f"{r['steps'].get(name, 0.0):>11.2f}" for r in results))


if __name__ == "__main__":
    main()
