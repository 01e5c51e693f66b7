"""Command line for the experts' review of the RUS.

    python -m helpers.review forms --experts E1,E2 --out DIR [--processed data/processed]
        Blank rating forms, one workbook per expert, with the best evidence passages from the
        text analysis (stage 03 must have run) beside each question.
    python -m helpers.review collect FORM.xlsx [FORM.xlsx ...] --out rus_bedomningar.csv
        Read filled forms back and write the ratings file the study reads (ratings_path).

Errors name the file, the row and the value, and exit with status 1; usage errors exit 2."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from .. import stages
from ..paths import resolve
from .evidence import best_evidence
from .forms import read_forms, write_form
from .ratings import RatingsError, write_ratings
from .template import TemplateError, template


def _forms(args) -> int:
    # stage 03's tables, where the registry says stage 03 writes them
    written = stages.paths("text_analysis", resolve(args.processed), resolve("outputs"))
    needed = {key: written[key] for key in ("paragraphs", "codes", "documents")}
    missing = [str(p) for p in needed.values() if not p.is_file()]
    evidence = None
    if missing:
        print(f"note: no evidence passages, the text analysis has not run ({', '.join(missing)} missing)",
              file=sys.stderr)
    else:
        evidence = best_evidence(pd.read_parquet(needed["paragraphs"]), pd.read_parquet(needed["codes"]),
                                 pd.read_parquet(needed["documents"]), template())
    out = Path(args.out)
    experts = [e.strip() for e in args.experts.split(",") if e.strip()]
    if not experts or len(set(experts)) != len(experts):
        print("error: --experts must list distinct expert ids, e.g. E1,E2", file=sys.stderr)
        return 2
    for expert in experts:
        path = write_form(out / f"bedomningsformular_{expert}.xlsx", expert, template(), evidence=evidence)
        print(path)
    return 0


def _collect(args) -> int:
    ratings = read_forms([Path(p) for p in args.forms], template())
    path = write_ratings(ratings, Path(args.out))
    print(f"{path}: {len(ratings)} ratings by {ratings['bedomare'].nunique()} expert(s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.review", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    forms = sub.add_parser("forms", help="write blank rating forms, one per expert")
    forms.add_argument("--experts", required=True, help="comma-separated expert ids, e.g. E1,E2")
    forms.add_argument("--out", required=True, help="folder for the forms")
    forms.add_argument("--processed", default="data/processed", help="processed-data folder of the study")
    collect = sub.add_parser("collect", help="read filled forms into the ratings file")
    collect.add_argument("forms", nargs="+", help="filled form workbooks")
    collect.add_argument("--out", required=True, help="ratings file to write (CSV)")
    args = parser.parse_args(argv)
    try:
        return _forms(args) if args.command == "forms" else _collect(args)
    except (RatingsError, TemplateError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
