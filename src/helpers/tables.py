"""Tables a reader opens: CSV in UTF-8 with a fixed float format, written whole or not at all."""
from __future__ import annotations

import os
from pathlib import Path


def write_csv(frame, path: Path) -> Path:
    """CSV with '.' decimals and fixed line endings, so reruns give the same bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    frame.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n", float_format="%.2f")
    os.replace(tmp, path)
    return path
