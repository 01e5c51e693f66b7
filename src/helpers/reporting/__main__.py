"""Command line of the report format.

    python -m helpers.reporting validate FILE_OR_FOLDER...

Checks report files against rapportformat/1. A folder means every *.json in it (sorted;
truth.json of the synthetic sample is skipped). Prints "OK <file>" for a valid file and one
line per problem for an invalid one. Exit code 0 if every file is valid, 1 if any is invalid,
2 for a usage error (bad arguments, a path that does not exist, a folder without reports).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from ..reference import ReferenceError
from .intake import report_files
from .schema import ReportFormatError, load_report


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers.reporting", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check report files against rapportformat/1")
    validate.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER", help="report files or folders of them")
    return parser


def validate_paths(paths: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Validate the files; print OK lines and problem lines to `out`, usage problems to `err`."""
    out = out or sys.stdout
    err = err or sys.stderr
    files: list[Path] = []
    usage = False
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = report_files(path)
            if not found:
                print(f"error: {raw}: no report files (*.json) in this folder", file=err)
                usage = True
            files += found
        elif path.is_file():
            files.append(path)
        else:
            print(f"error: {raw}: no such file or folder", file=err)
            usage = True
    if usage:
        return 2
    invalid = False
    for path in files:
        try:
            load_report(path)
        except ReportFormatError as exc:
            invalid = True
            for line in exc.problems:
                print(line, file=out)
        else:
            print(f"OK {path}", file=out)
    return 1 if invalid else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return validate_paths(args.paths)
    except ReferenceError as exc:  # the schema file itself is broken: not the reports' fault
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
