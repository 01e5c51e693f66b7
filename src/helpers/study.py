"""Command line of the study.

    python -m helpers.study run [--params FILE] [-p NAME=VALUE]... [--only STAGE[,STAGE...]] [--from STAGE] [--force] [--serial]
    python -m helpers.study stages
    python -m helpers.study params [--params FILE] [-p NAME=VALUE]...

`make study` calls `run`. A stage is named by its number or its name (01 or data_intake).
Stages that do not depend on each other run at the same time; --serial runs one at a time.
Exit status: 0 done, 1 a stage failed or the disk is full or a folder cannot be written,
2 the run could not start (bad parameter, another run in progress), 130 stopped.
"""
from __future__ import annotations

import argparse
import sys

from .params import ParamError
from .stages import STAGES, UnknownStage


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers.study", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p):
        p.add_argument("--params", metavar="FILE", help="parameters file (default params.yaml)")
        p.add_argument("-p", dest="overrides", metavar="NAME=VALUE", action="append", default=[],
                       help="override one parameter for this run (repeatable)")

    run = sub.add_parser("run", help="run the study (skips stages whose inputs are unchanged)")
    common(run)
    run.add_argument("--only", metavar="STAGE", help="run only this stage (or these: '01,02')")
    run.add_argument("--from", dest="start", metavar="STAGE", help="run this stage and all after it")
    run.add_argument("--force", action="store_true", help="run even stages that are up to date")
    run.add_argument("--serial", action="store_true",
                     help="run one stage at a time (by default independent stages run in parallel)")
    sub.add_parser("stages", help="list the stages")
    show = sub.add_parser("params", help="show the parameters after validation")
    common(show)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "stages":
            for s in STAGES:
                print(f"{s.number}  {s.name:<16} {s.notebook}  suites: {', '.join(s.suites) or '-'}")
            return 0
        if args.command == "params":
            from .params import load

            for name, value in load(args.params, args.overrides).items():
                print(f"{name}: {value}")
            return 0
        from .runner import RunError, run

        try:
            return run(args.params, args.overrides, only=args.only, start=args.start, force=args.force,
                       serial=args.serial, say=lambda message: print(message, flush=True))
        except RunError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    except (ParamError, UnknownStage) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: the outputs of the last complete run are unchanged", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
