"""Where the time of a stage run goes inside its notebook: papermill's duration of each code
cell of executed notebooks (the runner keeps them under <output_dir>/notebooks/).

    python benchmarks/notebook_cells.py NOTEBOOK.ipynb [...]"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def main(paths: list[str]) -> None:
    for path in paths:
        cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
        total = 0.0
        print(f"{Path(path).name}:")
        for number, cell in enumerate(cells):
            duration = cell.get("metadata", {}).get("papermill", {}).get("duration")
            if cell["cell_type"] != "code" or duration is None:
                continue
            total += duration
            first = next((line for line in "".join(cell["source"]).splitlines() if line.strip()), "")
            print(f"  cell {number:2d} {duration:7.2f} s  {first[:72]}")
        print(f"  cells together {total:7.2f} s (the rest of the stage's time is kernel start-up, "
              f"papermill and nbconvert)")


if __name__ == "__main__":
    main(sys.argv[1:])
