"""The findings file: each stage's key results as values with their unit, the table and
figure they come from and the notebook cell that shows them, so the conclusions stage can cite
numbers without retyping them."""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

from .files import write_text_atomic
from .render import notebook_pages
from .stages import OUTPUT, Stage, find

QUESTIONS = ("1", "2a", "2b", "3", "4")


@dataclass(frozen=True)
class Finding:
    id: str  # stable, e.g. "nyps.annat_andel_riket"
    fraga: str  # the follow-up question it answers: 1, 2a, 2b, 3 or 4
    text: str  # one Swedish sentence stating the finding
    varde: float | int | str
    enhet: str
    cell: str  # id of the notebook cell that shows the number
    tabell: str | None = None  # the registry's output key of the table
    figur: str | None = None  # the registry's output key of the figure (PNG)


def _output_path(stage: Stage, key: str | None) -> str | None:
    if key is None:
        return None
    if key not in stage.outputs or stage.outputs[key][0] != OUTPUT:
        raise ValueError(f"stage {stage.slug} declares no output '{key}'")
    return stage.outputs[key][1]


def write_findings(path: Path, stage: str | Stage, findings: list[Finding], synthetic: bool) -> Path:
    """Check and write the findings; paths are relative to the output folder."""
    stage = find(stage) if isinstance(stage, str) else stage
    ids = [f.id for f in findings]
    if len(set(ids)) != len(ids):
        raise ValueError(f"finding ids are not unique: {sorted({i for i in ids if ids.count(i) > 1})}")
    records = []
    for f in findings:
        if f.fraga not in QUESTIONS:
            raise ValueError(f"finding {f.id}: fraga must be one of {', '.join(QUESTIONS)}, got {f.fraga!r}")
        if isinstance(f.varde, float) and not math.isfinite(f.varde):
            raise ValueError(f"finding {f.id}: value {f.varde} is not a number")
        record = asdict(f)
        if hasattr(f.varde, "item"):
            record["varde"] = f.varde.item()
        record["tabell"] = _output_path(stage, f.tabell)
        record["figur"] = _output_path(stage, f.figur)
        record["sida"] = f"{notebook_pages(stage.slug)['reader']}#cell-id={f.cell}"
        records.append(record)
    payload = {"steg": stage.slug, "syntetisk": bool(synthetic), "fynd": records}
    return write_text_atomic(path, json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def read_findings(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))
