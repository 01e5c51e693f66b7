"""Peak memory of a command and every process it starts, together (kernels, the process for
the quality checks, Chromium): /usr/bin/time -v reports only the largest single process.

    python benchmarks/tree_memory.py [--every SECONDS] -- COMMAND...

Samples the proportional set size (PSS: shared pages divided among the processes sharing
them, so nothing is counted twice) of the command's process tree from /proc (Linux), and
prints the command's wall time, the peak of the sum, and the largest processes at that peak.
Exits with the command's exit status."""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from helpers.runner import live_processes


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for pid, ppid, _ in live_processes():
        tree.setdefault(ppid, []).append(pid)
    return tree


def _descendants(root: int) -> list[int]:
    tree, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, []))
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _name(pid: int) -> str:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    text = " ".join(a.decode(errors="replace") for a in args if a)
    return text[:90]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=float, default=0.1, help="seconds between samples (default 0.1)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    t0 = time.perf_counter()
    proc = subprocess.Popen(command)
    peak, at_peak = 0, []
    while proc.poll() is None:
        sizes = [(kb, pid) for pid in _descendants(proc.pid) if (kb := _pss_kb(pid))]
        total = sum(kb for kb, _ in sizes)
        if total > peak:
            peak, at_peak = total, [(kb, _name(pid)) for kb, pid in sorted(sizes, reverse=True)[:5]]
        time.sleep(args.every)
    wall = time.perf_counter() - t0
    print(f"wall {wall:.2f} s; peak memory of the whole process tree {peak / 1024:,.0f} MB (PSS, sampled every "
          f"{args.every:g} s); at the peak:", file=sys.stderr)
    for kb, name in at_peak:
        print(f"  {kb / 1024:7,.0f} MB  {name}", file=sys.stderr)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
