"""Time the NYPS intake (read, tidy, write) on one export and print the figures.

    python benchmarks/intake.py PATH [--out DIR]

Run it under /usr/bin/time -v for peak memory (see benchmarks/run.sh)."""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from helpers.nyps import intake, read


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="intake-bench-"))
    t0 = time.perf_counter()
    export = read.read_export(args.path)
    t1 = time.perf_counter()
    result = intake.tidy_export(export, 2014, 2026)
    t2 = time.perf_counter()
    intake.write_outputs(result, out / "nyps_projects.parquet", out / "nyps_quarantine.parquet", out / "nyps_intake.json")
    t3 = time.perf_counter()
    size = args.path.stat().st_size / 1e6
    print(f"export: {args.path} ({size:.1f} MB, {len(export.frame):,} data rows)")
    print(f"read   {t1 - t0:6.2f} s")
    print(f"tidy   {t2 - t1:6.2f} s  ({result.summary['rader_godkanda']:,} accepted, {result.summary['rader_karantan']:,} quarantined)")
    print(f"write  {t3 - t2:6.2f} s")
    print(f"total  {t3 - t0:6.2f} s")


if __name__ == "__main__":
    main()
