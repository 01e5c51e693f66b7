"""Tables a reader opens: CSV in UTF-8 with a fixed float format, written whole or not at all."""
from __future__ import annotations

from pathlib import Path

from .files import write_atomic


def write_csv(frame, path: Path) -> Path:
    """CSV with '.' decimals and fixed line endings, so reruns give the same bytes."""
    return write_atomic(
        Path(path),
        lambda tmp: frame.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n", float_format="%.2f"),
    )
