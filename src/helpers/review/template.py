"""The assessment template for the experts' review of the RUS, read from one data file
(`data/reference/assessment_template.csv`) so that the agency's real template can replace it
without code changes.

Columns: fraga_id, del, del_namn, element_id (empty = none), fraga, skala. `skala` is either
`period` (a period given as `YYYY-YYYY`) or an ordinal scale written low to high as
`value=label;value=label;...`, e.g. `0=Nej / saknas;1=Delvis;2=Ja, tydligt`.
"""
from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..paths import REFERENCE_DIR, resolve
from ..reference import framework

TEMPLATE_FILE = REFERENCE_DIR / "assessment_template.csv"
COLUMNS = ("fraga_id", "del", "del_namn", "element_id", "fraga", "skala")
PERIOD = "period"
PERIOD_RE = re.compile(r"(\d{4})-(\d{4})")


class TemplateError(ValueError):
    """The template file does not hold what the review needs."""


@dataclass(frozen=True)
class Question:
    fraga_id: str
    del_: str
    del_namn: str
    element_id: str  # "" when the question maps to no element of the strategy
    fraga: str
    scale: tuple[tuple[str, str], ...]  # ((value, label), ...) low to high; () for a period

    @property
    def is_period(self) -> bool:
        return not self.scale

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(v for v, _ in self.scale)

    def check(self, value: str) -> str | None:
        """None when `value` is on this question's scale (empty = not assessable), else what
        was expected, for an error message."""
        if value == "":
            return None
        if self.is_period:
            m = PERIOD_RE.fullmatch(value)
            if m and int(m.group(1)) <= int(m.group(2)):
                return None
            return "a period YYYY-YYYY (start year not after end year) or empty"
        if value in self.values:
            return None
        return "one of " + ", ".join(self.values) + " or empty"


@dataclass(frozen=True)
class Template:
    questions: tuple[Question, ...]
    source: str

    @functools.cached_property
    def by_id(self) -> dict[str, Question]:
        return {q.fraga_id: q for q in self.questions}

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.fraga_id for q in self.questions)

    @property
    def parts(self) -> dict[str, str]:
        """Part letter -> part name, in template order."""
        out: dict[str, str] = {}
        for q in self.questions:
            out.setdefault(q.del_, q.del_namn)
        return out

    def ordinal(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if not q.is_period)

    def mapped(self) -> tuple[Question, ...]:
        """Ordinal questions mapped to an element of the strategy."""
        return tuple(q for q in self.questions if q.element_id and not q.is_period)


def parse_scale(text: str, where: str) -> tuple[tuple[str, str], ...]:
    text = text.strip()
    if text == PERIOD:
        return ()
    steps = []
    for part in text.split(";"):
        value, sep, label = part.partition("=")
        value, label = value.strip(), label.strip()
        if not sep or not re.fullmatch(r"\d+", value) or not label:
            raise TemplateError(
                f"{where}: skala {text!r} is not 'period' nor 'value=label;value=label;...' with integer values"
            )
        steps.append((value, label))
    if len(steps) < 2 or [int(v) for v, _ in steps] != sorted({int(v) for v, _ in steps}):
        raise TemplateError(f"{where}: skala {text!r} needs at least two distinct values written low to high")
    return tuple(steps)


def read_template(path: str | Path = TEMPLATE_FILE) -> Template:
    path = resolve(path)
    if not path.is_file():
        raise TemplateError(f"{path}: assessment template not found")
    try:
        text = path.read_bytes().decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a BOM
    except UnicodeDecodeError as exc:
        raise TemplateError(f"{path}: not UTF-8 text (byte {exc.start}); expected a CSV file saved as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise TemplateError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}")
    rows = list(reader)
    known = {e["id"] for e in framework()}
    questions, seen = [], set()
    for i, row in enumerate(rows, start=2):
        where = f"{path}, row {i}"
        qid = (row["fraga_id"] or "").strip()
        if not re.fullmatch(r"[A-Z]\d+", qid):
            raise TemplateError(f"{where}: fraga_id {qid!r} is not a part letter and a number, e.g. A1")
        if qid in seen:
            raise TemplateError(f"{where}: fraga_id {qid} appears twice")
        seen.add(qid)
        part = (row["del"] or "").strip()
        if part != qid[0]:
            raise TemplateError(f"{where}: del {part!r} does not match fraga_id {qid}")
        element = (row["element_id"] or "").strip()
        if element and element not in known:
            raise TemplateError(f"{where}: element_id {element!r} is not in the strategy framework")
        text = (row["fraga"] or "").strip()
        if not text:
            raise TemplateError(f"{where}: fraga is empty")
        questions.append(Question(qid, part, (row["del_namn"] or "").strip() or part, element, text,
                                  parse_scale(row["skala"] or "", where)))
    if not questions:
        raise TemplateError(f"{path}: the template has no questions")
    return Template(tuple(questions), str(path))


@functools.cache
def template() -> Template:
    return read_template(TEMPLATE_FILE)
