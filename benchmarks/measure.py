"""Small measuring helpers shared by the benchmark scripts: peak memory and cProfile reports."""
from __future__ import annotations

import io
import pstats
import re
import resource
from collections import defaultdict

_SITE = re.compile(r"site-packages/([^/]+)")
_HELPERS = re.compile(r"src/(helpers/.+)\.py$")


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, MB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def top_functions(profiler, n: int) -> str:
    """cProfile's top n functions by cumulative time, as pstats prints them."""
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(n)
    text = out.getvalue()
    return text[text.find("   ncalls"):].rstrip()


def _owner(filename: str) -> str:
    if filename == "~":
        return "C built-ins (numpy, re, hashlib, ... called from anywhere)"
    if filename.startswith("<frozen"):
        return "importing modules"
    m = _HELPERS.search(filename)
    if m:
        return m.group(1).replace("/", ".")
    m = _SITE.search(filename)
    if m:
        return m.group(1).split(".")[0]
    if filename.endswith((".pyx", ".pxd")):  # compiled Cython, e.g. spacy/tokens/doc.pyx
        return filename.split("/")[0]
    return filename.rsplit("/", 1)[-1]


def by_package(profiler, n: int = 12) -> str:
    """Own time (tottime) summed per package or study module: where the time is spent, not
    who called it. A C built-in's time (a regex search, a numpy copy) goes to the packages
    that called it, in proportion to the time spent on each caller's behalf."""
    stats = pstats.Stats(profiler).stats
    own: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, callers) in stats.items():
        if filename != "~" or not callers:
            own[_owner(filename)] += tottime
            continue
        for (caller_file, _l, _n), (_ccc, _cnc, caller_tt, _cct) in callers.items():
            own[_owner(caller_file)] += caller_tt
    total = sum(own.values()) or 1.0
    rows = sorted(own.items(), key=lambda kv: -kv[1])[:n]
    return "\n".join(f"  {seconds:7.2f} s {seconds / total * 100:5.1f} %  {name}" for name, seconds in rows)
