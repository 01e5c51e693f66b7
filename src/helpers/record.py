"""The stage record: what a stage tells the runner and the index — whether its data are
synthetic, and its key figures with units — written as the last step of the notebook."""
from __future__ import annotations

import json
from pathlib import Path

from .files import write_text_atomic


def write_stage_record(path: Path, *, stage: str, synthetic: bool, key_figures: list[dict],
                       figure_titles: dict[str, str] | None = None, notes: list[str] = ()) -> Path:
    """key_figures: [{"namn": ..., "varde": ..., "enhet": ...}] in the order the index shows them;
    figure_titles: the registry's output key of a figure's PNG -> its Swedish title."""
    record = {"steg": stage, "syntetisk": bool(synthetic), "nyckeltal": list(key_figures),
              "figurer": dict(figure_titles or {}), "noteringar": list(notes)}
    return write_text_atomic(path, json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def read_stage_record(path: Path) -> dict | None:
    path = Path(path)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
