"""The coding lexicon: which words, compound parts and phrases signal which element of the
national strategy, kept as data in ``data/reference/lexicon.csv`` so that an analyst can read
and edit it (columns documented in the file's header and in ``data/reference/lexicon.md``).

This module only reads and checks the file; ``helpers.text.coding`` does the matching.
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .. import reference
from ..paths import REFERENCE_DIR, resolve

LEXICON_FILE = REFERENCE_DIR / "lexicon.csv"

# The elements the text coding assigns, in the order tables and figures show them.
ELEMENT_IDS: tuple[str, ...] = (
    "SO1", "SO1.1", "SO1.2", "SO1.3",
    "SO2", "SO2.1", "SO2.2",
    "SO3", "SO3.1", "SO3.2", "SO3.3", "SO3.4", "SO3.5",
    "SO4", "SO4.1", "SO4.2",
    "GF1", "GF2", "GF3",
    "SU1", "SU2", "SU3",
    "HB-EK", "HB-SO", "HB-MI",
    "TP",
)

# lemma: the word itself in any inflection; head: the word alone or as the last part (head)
# of a compound; compound_part: the word alone or as any part of a compound; phrase: words
# in sequence, each in any inflection.
KINDS = ("lemma", "head", "compound_part", "phrase")
SCOPES = ("sentence", "paragraph")
COLUMNS = ("element_id", "term", "kind", "requires", "excludes", "scope", "comment")
REQUIRED_COLUMNS = ("element_id", "term", "kind")

MIN_HEAD = 3  # a head shorter than this is matched only as a whole word
MIN_PART = 4  # a compound part must be at least this long (short parts split falsely)


class LexiconError(ValueError):
    """The lexicon file does not hold a valid lexicon."""


@dataclass(frozen=True)
class Entry:
    """One row of the lexicon. ``requires`` and ``excludes`` are context items: a single word
    (matched alone or as the head of a compound), ``word*`` (also as a leading or inner part
    of a compound) or several words (a phrase)."""

    element_id: str
    term: str
    kind: str
    requires: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    scope: str = "sentence"
    comment: str = ""
    line: int = 0


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[Entry, ...]
    path: Path | None = None
    # priority -> its strategic area (a paragraph coded SO2.1 is also coded SO2)
    parents: tuple[tuple[str, str], ...] = ()

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def terms(self, element_id: str) -> tuple[Entry, ...]:
        if element_id not in ELEMENT_IDS:
            raise KeyError(element_id)
        return tuple(e for e in self.entries if e.element_id == element_id)

    def sizes(self) -> dict[str, int]:
        """Number of rows per element, every element included."""
        counts = Counter(e.element_id for e in self.entries)
        return {i: counts.get(i, 0) for i in ELEMENT_IDS}

    def parent_of(self) -> dict[str, str]:
        return dict(self.parents)


def normalise_term(text: str) -> str:
    """Terms are compared lowercased with single spaces."""
    return " ".join(str(text).replace("\u00ad", "").lower().split())


def split_items(text: str) -> tuple[str, ...]:
    return tuple(normalise_term(t) for t in str(text or "").split("|") if normalise_term(t))


def _check_item(item: str, where: str) -> None:
    words = item.split(" ")
    for w in words:
        bare = w.rstrip("*")
        if not bare or "*" in bare:
            raise LexiconError(f"{where}: context item {item!r} is malformed")
    if len(words) > 1 and "*" in item:
        raise LexiconError(f"{where}: context item {item!r}: a phrase cannot hold '*' (its words match in any inflection)")
    if len(words) == 1 and item.endswith("*") and len(item) - 1 < MIN_PART:
        raise LexiconError(
            f"{where}: context item {item!r}: a compound part must have at least {MIN_PART} letters"
        )


def _check_entry(e: Entry, where: str) -> None:
    if e.element_id not in ELEMENT_IDS:
        raise LexiconError(f"{where}: unknown element_id {e.element_id!r} (expected one of {', '.join(ELEMENT_IDS)})")
    if e.kind not in KINDS:
        raise LexiconError(f"{where}: unknown kind {e.kind!r} (expected one of {', '.join(KINDS)})")
    if not e.term:
        raise LexiconError(f"{where}: empty term")
    if "*" in e.term or "|" in e.term:
        raise LexiconError(f"{where}: term {e.term!r} may not contain '*' or '|'")
    n_words = len(e.term.split(" "))
    if e.kind == "phrase" and n_words < 2:
        raise LexiconError(f"{where}: phrase {e.term!r} has one word; use kind lemma, head or compound_part")
    if e.kind != "phrase" and n_words > 1:
        raise LexiconError(f"{where}: term {e.term!r} has several words; use kind phrase")
    if e.kind == "compound_part" and len(e.term) < MIN_PART:
        raise LexiconError(
            f"{where}: compound_part {e.term!r} is shorter than {MIN_PART} letters and would split "
            "unrelated words; use kind lemma or head"
        )
    if e.kind == "head" and len(e.term) < MIN_HEAD:
        raise LexiconError(f"{where}: head {e.term!r} is shorter than {MIN_HEAD} letters; use kind lemma")
    if e.scope not in SCOPES:
        raise LexiconError(f"{where}: unknown scope {e.scope!r} (expected sentence or paragraph)")
    for item in (*e.requires, *e.excludes):
        _check_item(item, where)


def _element_parents() -> tuple[tuple[str, str], ...]:
    """Check ELEMENT_IDS against the strategy framework and return priority -> area."""
    by_id = {r["id"]: r for r in reference.framework()}
    missing = [i for i in ELEMENT_IDS if i not in by_id]
    if missing:
        raise LexiconError(f"{reference.FRAMEWORK_FILE}: lacks the coded elements {', '.join(missing)}")
    return tuple(
        (i, by_id[i]["overordnad"]) for i in ELEMENT_IDS if by_id[i]["typ"] == "prioritering"
    )


def parse_lexicon(text: str, source: str = "<lexicon>") -> Lexicon:
    """Parse lexicon CSV text. Lines starting with '#' are comments; errors name the source
    and the line number a text editor shows."""
    lines = text.splitlines()
    numbered = [(i, ln) for i, ln in enumerate(lines, start=1) if ln.strip() and not ln.lstrip().startswith("#")]
    if not numbered:
        raise LexiconError(f"{source}: no header line")
    reader = csv.reader(io.StringIO("\n".join(ln for _, ln in numbered)))
    rows = list(reader)
    header = [h.strip() for h in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise LexiconError(f"{source}, line {numbered[0][0]}: header lacks the columns {', '.join(missing)}")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise LexiconError(f"{source}, line {numbered[0][0]}: unknown columns {', '.join(unknown)}")
    if len(rows) != len(numbered):
        raise LexiconError(f"{source}: a quoted field spans several lines; keep every row on one line")
    entries: list[Entry] = []
    seen: dict[tuple[str, str, str], int] = {}
    for (line_no, _), row in zip(numbered[1:], rows[1:]):
        where = f"{source}, line {line_no}"
        if len(row) > len(header):
            raise LexiconError(f"{where}: {len(row)} fields, the header has {len(header)} (quote a field holding a comma)")
        values = dict(zip(header, [v.strip() for v in row]))
        entry = Entry(
            element_id=values.get("element_id", ""),
            term=normalise_term(values.get("term", "")),
            kind=values.get("kind", "").lower(),
            requires=split_items(values.get("requires", "")),
            excludes=split_items(values.get("excludes", "")),
            scope=(values.get("scope", "") or "sentence").lower(),
            comment=values.get("comment", ""),
            line=line_no,
        )
        _check_entry(entry, where)
        key = (entry.element_id, entry.term, entry.kind)
        if key in seen:
            raise LexiconError(f"{where}: repeats line {seen[key]} ({entry.element_id} {entry.term!r} {entry.kind})")
        seen[key] = line_no
        entries.append(entry)
    return Lexicon(entries=tuple(entries), path=None, parents=_element_parents())


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Load and check the lexicon (default ``data/reference/lexicon.csv``)."""
    p = resolve(path) if path is not None else resolve(LEXICON_FILE)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LexiconError(f"{p}: no such lexicon file") from None
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{p}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    lex = parse_lexicon(text, source=str(p))
    return Lexicon(entries=lex.entries, path=p, parents=lex.parents)
