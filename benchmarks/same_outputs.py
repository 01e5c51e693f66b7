"""Are two output folders byte-identical? For performance work: run
benchmarks/nyps_end_to_end.py with --work A before a change and --work B after it, then

    python benchmarks/same_outputs.py A B

lists every file that differs or exists on one side only, and exits 1 if there is any (0 when
every file, processed data, tables, workbook, figures and quality reports, has the same bytes)."""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path


def digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    a, b = (Path(x) for x in argv)
    for folder in (a, b):
        if not folder.is_dir():
            print(f"{folder}: not a folder", file=sys.stderr)
            return 2
    left, right = digests(a), digests(b)
    differ = [name for name in sorted(left.keys() & right.keys()) if left[name] != right[name]]
    only = sorted(left.keys() ^ right.keys())
    for name in differ:
        print(f"differs: {name}")
    for name in only:
        print(f"only in {a if name in left else b}: {name}")
    print(f"{len(left.keys() & right.keys()) - len(differ)} files identical, {len(differ)} differ, "
          f"{len(only)} on one side only")
    return 1 if differ or only else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
