"""Code paragraphs for the elements of the national strategy with the lexicon.

How a paragraph is read:
1. Normalised (Unicode NFKC, soft hyphens dropped, words hyphenated over a line break joined
   again, "gles– och" read as "gles- och") and lowercased.
2. Tokenised by spaCy's blank Swedish pipeline; each distinct token is lemmatised with
   spaCy's lookup table (spacy-lookups-data) once and cached, together with its compound
   analysis.
3. A token is compared with the lexicon's words in three ways:
   - *exact*: the word in some inflection: the token, its lookup lemma, the token minus a
     Swedish inflectional ending ("regionerna" -> "region", "klyftor" -> "klyfta"), or the
     token with its last part lemmatised ("landsbygderna" -> "landsbygd");
   - *head*: the word is the last part of a compound ("analyskapaciteten" -> kapacitet);
   - *part*: the word is any part of a compound ("bredbandsutbyggnaden" -> bredband,
     "innovationssystemet" -> innovation, innovationssystem).
   A part inside a longer word counts only at a plausible boundary: the text on its left is
   a Swedish word (the lookup table's vocabulary), possibly with the linking -s-, or ends with
   a hyphen; the text on its right is an inflectional ending, a hyphen, or a Swedish word of
   at least three letters (linking -s- allowed) that is not a derivational suffix
   ("regionalt" is not region + alt, "bostad" is not bo + stad, "stadion" not stad + ion).
4. A lexicon row matches when its term matches and, within its scope (the sentence or the
   paragraph), one of its `requires` items occurs (if it has any) and none of its `excludes`.
5. A paragraph coded with a priority is also coded with its strategic area.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from .lexicon import ELEMENT_IDS, MIN_HEAD, MIN_PART, Entry, Lexicon, load_lexicon

PARAGRAPH_KEY = ("dokument_id", "sida", "stycke_nr")
CODE_COLUMNS = ("dokument_id", "sida", "stycke_nr", "element_id", "traffar")
SCORE_COLUMNS = ("dokument_id", "element_id", "stycken", "andel")
EVIDENCE_COLUMNS = ("dokument_id", "sida", "stycke_nr", "text", "traffar")

# Swedish inflectional endings (nouns, adjectives, verbs), longest first when stripping.
INFLECTIONS: tuple[str, ...] = tuple(sorted({
    "s", "n", "t", "a", "e", "r",
    "en", "et", "na", "er", "ar", "or", "ns", "ts", "as", "es", "de", "te", "ad", "at",
    "ens", "ets", "nas", "ers", "ars", "ors", "rna", "ade", "des", "tes", "ats",
    "erna", "arna", "orna", "rnas", "ades",
    "ernas", "arnas", "ornas",
}, key=lambda e: (-len(e), e)))
_INFLECTION_SET = frozenset(INFLECTIONS)
_VERB_ENDINGS = frozenset({"s", "er", "de", "te", "t", "ts", "des", "tes"})

# Right-hand rests that are derivational suffixes, not the next word of a compound, although
# some of them are words in the lookup vocabulary ("alt", "era", "ion").
SUFFIX_BLOCK = frozenset({
    "al", "ala", "alt", "alas", "ell", "ella", "ellt", "ellas", "era", "erar", "erat", "erade",
    "ering", "eringen", "eringar", "isera", "iserar", "iserad", "ism", "ismen", "ist", "isten",
    "ister", "isk", "iska", "iskt", "itet", "iteten", "ion", "ionen", "ium", "ier", "ig", "iga",
    "igt", "lig", "liga", "ligt", "ning", "het", "heten", "else", "skap", "ande", "ende", "are",
    "ara", "ast", "aste", "ade", "iv", "iva", "ivt", "ant", "ent", "ans", "ens", "ers", "ör", "ös",
    "ett", "ina", "ine", "ik", "ika",
})

# Forms the lookup table gets wrong or lacks that matter for regional-policy text:
# umlaut plurals (also as the head of a compound).
IRREGULAR_HEADS: tuple[tuple[str, str], ...] = (
    ("städernas", "stad"), ("städerna", "stad"), ("städer", "stad"),
    ("ländernas", "land"), ("länderna", "land"), ("länder", "land"),
    ("böndernas", "bonde"), ("bönderna", "bonde"), ("bönder", "bonde"),
    ("bostäder", "bostad"), ("bostäderna", "bostad"),
)

# Function words whose lookup lemma is another word ("ska" -> skola, "när" -> nära,
# "del" -> dela, "vill" -> villa): for these only the word itself is used.
LOOKUP_STOP = frozenset({
    "ska", "skall", "skulle", "har", "hade", "med", "får", "fick", "bör", "borde", "vill", "för",
    "en", "ett", "den", "det", "de", "dom", "men", "sin", "sina", "sitt", "man", "mot", "hela",
    "del", "fler", "mer", "bland", "hos", "redan", "när", "lika", "god", "finns", "andra", "sätt",
    "år", "åren", "bo", "bor", "var", "vars", "alla", "kan", "kunde", "är", "mest", "flera",
})

_SENTENCE_END = frozenset({".", "!", "?", "…", "...", ";"})
_HYPHEN_BREAK = re.compile(r"(\w+)-[ \t]*\r?\n[ \t]*(\w+)")
_SUSPENDED_DASH = re.compile(r"(?<=\w)[–—](?=\s+(?:och|eller|samt|till|resp)\b)", re.IGNORECASE)
_CONJUNCTIONS = frozenset({"och", "eller", "samt", "till", "resp", "respektive", "som"})


def normalise_text(text: object) -> str:
    """The text as the coder reads it (see the module docstring), lowercased."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    s = unicodedata.normalize("NFKC", str(text)).replace("\u00ad", "")
    s = re.sub(r"[\u2010\u2011\u2212]", "-", s)

    def join(m: re.Match) -> str:
        prev, nxt = m.group(1), m.group(2)
        if nxt.lower() in _CONJUNCTIONS:  # "klimat-\noch miljö": a suspended compound
            return f"{prev}- {nxt}"
        if prev.isupper() or any(c.isdigit() for c in prev) or nxt[0].isupper():  # "EU-\nprojekt"
            return f"{prev}-{nxt}"
        return f"{prev}{nxt}"  # "kompetens-\nförsörjning"

    s = _HYPHEN_BREAK.sub(join, s)
    s = _SUSPENDED_DASH.sub("-", s)
    return " ".join(s.split()).lower()


@functools.cache
def _nlp():
    """spaCy's blank Swedish pipeline with the lookup lemmatizer (offline)."""
    import spacy

    nlp = spacy.blank("sv")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


@functools.cache
def _lookup():
    table = _nlp().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    return table, frozenset(table.values())


@dataclass(frozen=True)
class _Row:
    element: int
    term: str
    main: int
    requires: tuple[int, ...]
    excludes: tuple[int, ...]
    paragraph_scope: bool


class _Patterns:
    """Every word and phrase the lexicon uses, as the main term or as context, numbered."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str], int] = {}
        self.phrases: dict[int, tuple[str, ...]] = {}
        self.by_word: dict[str, list[tuple[str, int]]] = {}  # word -> [(mode, pattern id)]

    def add(self, mode: str, text: str) -> int:
        key = (mode, text)
        if key in self.ids:
            return self.ids[key]
        pid = len(self.ids)
        self.ids[key] = pid
        if mode == "phrase":
            self.phrases[pid] = tuple(text.split(" "))
        else:
            self.by_word.setdefault(text, []).append((mode, pid))
        return pid

    def add_item(self, item: str) -> int:
        """A context item: 'word' (alone or as a compound head), 'word*' (any compound part)
        or 'several words' (a phrase)."""
        if " " in item:
            return self.add("phrase", item)
        if item.endswith("*"):
            return self.add("part", item[:-1])
        return self.add("head", item)


def _mode_of(kind: str) -> str:
    return {"lemma": "exact", "head": "head", "compound_part": "part", "phrase": "phrase"}[kind]


class _TokenAnalyser:
    """Exact, head and part matches of one token against the lexicon's words, cached."""

    def __init__(self, words: Iterable[str]):
        self.words = frozenset(words)
        self.scan_words = frozenset(w for w in self.words if len(w) >= MIN_HEAD)
        self.prefixes = frozenset(w[:k] for w in self.scan_words for k in range(1, len(w) + 1))
        self.table, self.lemmas = _lookup()
        self._is_word: dict[str, bool] = {}
        self.cache: dict[str, tuple[frozenset, frozenset, frozenset]] = {}

    # -- vocabulary -------------------------------------------------------------------
    def known(self, x: str) -> bool:
        return x in self.lemmas or x in self.words or x in self.table

    def is_word(self, x: str) -> bool:
        """A Swedish word, or a compound of two (linking -s- allowed)."""
        hit = self._is_word.get(x)
        if hit is None:
            hit = len(x) >= 3 and (self.known(x) or self._splits(x))
            self._is_word[x] = hit
        return hit

    def _splits(self, x: str) -> bool:
        if len(x) < 6:
            return False
        for k in range(3, len(x) - 2):
            left, right = x[:k], x[k:]
            if right in SUFFIX_BLOCK or not self.known(right):
                continue
            if self.known(left) or (left.endswith("s") and len(left) >= 4 and self.known(left[:-1])):
                return True
        return False

    def valid_left(self, x: str) -> bool:
        if x.endswith("-"):
            return len(x) >= 2
        if len(x) < 3:
            return False
        return self.is_word(x) or (x.endswith("s") and len(x) >= 4 and self.is_word(x[:-1]))

    def valid_right(self, x: str) -> bool:
        if x.startswith("-"):
            return len(x) >= 2
        if x in SUFFIX_BLOCK or x.startswith("skap"):  # not "entreprenör" + s + "kap"
            return False
        for rest in ((x, x[1:]) if x.startswith("s") else (x,)):
            if len(rest) >= 3 and rest not in SUFFIX_BLOCK and self.is_word(rest):
                return True
        return False

    # -- forms --------------------------------------------------------------------------
    def lemma(self, w: str) -> str:
        return w if w in LOOKUP_STOP else self.table.get(w, w)

    def compound_lemma(self, w: str) -> str | None:
        """The word with its last part lemmatised: the longest known tail of four letters or
        more, after a left part of at least three ("landsbygderna" -> "landsbygd")."""
        for i in range(3, len(w) - 3):
            tail = w[i:]
            if tail in self.table:
                return w[:i] + self.table[tail]
        return None

    def head_forms(self, w: str) -> set[str]:
        """A word as itself, its lemma, its compound lemma and its irregular plural's singular."""
        out = {w, self.lemma(w)}
        cl = self.compound_lemma(w)
        if cl:
            out.add(cl)
        for plural, singular in IRREGULAR_HEADS:
            if w.endswith(plural):
                out.add(w[: len(w) - len(plural)] + singular)
        return out

    def bases(self, w: str) -> set[str]:
        """Candidate base forms of a word: its head forms and the word minus an inflectional
        ending."""
        out = self.head_forms(w)
        for e in INFLECTIONS:
            if w.endswith(e) and len(w) - len(e) >= 3:
                stem = w[: -len(e)]
                out.add(stem)
                if e in ("or", "orna", "ornas", "ors"):  # klyftor -> klyfta
                    out.add(stem + "a")
                elif e in _VERB_ENDINGS:  # följs, följer -> följa
                    out.add(stem + "a")
        return out

    # -- analysis -------------------------------------------------------------------------
    def analyse(self, token: str) -> tuple[frozenset, frozenset, frozenset]:
        """(exact, head, part): the lexicon words this token is, ends with, contains."""
        got = self.cache.get(token)
        if got is not None:
            return got
        core = token.strip("-")
        exact: set[str] = set()
        head: set[str] = set()
        part: set[str] = set()
        if core:
            forms = self.bases(core)
            exact |= forms & self.words
            pieces = [p for p in re.split(r"[-/]", core) if p]
            if len(pieces) > 1:
                for i, piece in enumerate(pieces):
                    found = self.bases(piece) & self.words
                    exact |= found  # "ai-system" is also "ai" and "system"
                    part |= found
                    if i == len(pieces) - 1:
                        head |= found
            if ":" in core:  # "rus:en", "eu:s"
                exact |= self.bases(core.split(":", 1)[0]) & self.words
            for form in self.head_forms(core):
                self._scan(form, head, part)
        head |= exact
        part |= head
        got = (frozenset(exact), frozenset(head), frozenset(part))
        self.cache[token] = got
        return got

    def _scan(self, b: str, head: set[str], part: set[str]) -> None:
        n = len(b)
        prefixes, scan_words = self.prefixes, self.scan_words
        for i in range(n - MIN_HEAD + 1):
            if b[i:i + MIN_HEAD] not in prefixes:
                continue
            left_ok: bool | None = None if i > 0 else True
            for j in range(i + MIN_HEAD, n + 1):
                piece = b[i:j]
                if piece not in prefixes:
                    break
                if piece not in scan_words:
                    continue
                if left_ok is None:
                    left_ok = self.valid_left(b[:i])
                if not left_ok:
                    break
                right = b[j:]
                if right == "" or right in _INFLECTION_SET:
                    if i > 0:
                        head.add(piece)
                    part.add(piece)
                elif j - i >= MIN_PART and self.valid_right(right):
                    part.add(piece)


class Coder:
    """Codes texts for the strategy's elements with a lexicon (default: the study's)."""

    def __init__(self, lexicon: Lexicon | None = None, batch_size: int = 256):
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        self.batch_size = batch_size
        self.parents = {ELEMENT_IDS.index(k): ELEMENT_IDS.index(v) for k, v in self.lexicon.parent_of().items()}
        pats = _Patterns()
        rows: list[_Row] = []
        for e in self.lexicon.entries:
            rows.append(self._compile(e, pats))
        self.patterns = pats
        self.rows_by_main: dict[int, list[_Row]] = {}
        for r in rows:
            self.rows_by_main.setdefault(r.main, []).append(r)
        words = set(pats.by_word)
        for ph in pats.phrases.values():
            words.update(ph)
        self.analyser = _TokenAnalyser(words)
        self.phrases_by_first: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for pid, ph in pats.phrases.items():
            self.phrases_by_first.setdefault(ph[0], []).append((pid, ph))
        self._token_cache: dict[str, tuple[frozenset, frozenset]] = {}
        self._nlp = _nlp()

    @staticmethod
    def _compile(e: Entry, pats: _Patterns) -> _Row:
        return _Row(
            element=ELEMENT_IDS.index(e.element_id),
            term=e.term,
            main=pats.add(_mode_of(e.kind), e.term),
            requires=tuple(pats.add_item(i) for i in e.requires),
            excludes=tuple(pats.add_item(i) for i in e.excludes),
            paragraph_scope=e.scope == "paragraph",
        )

    def _token(self, token: str) -> tuple[frozenset, frozenset]:
        """(single-word pattern ids, exact words) of a token, cached."""
        got = self._token_cache.get(token)
        if got is None:
            exact, head, part = self.analyser.analyse(token)
            ids = set()
            for w in part:
                for mode, pid in self.patterns.by_word.get(w, ()):
                    if mode == "part" or (mode == "head" and w in head) or (mode == "exact" and w in exact):
                        ids.add(pid)
            got = (frozenset(ids), exact)
            self._token_cache[token] = got
        return got

    def _code_doc(self, doc) -> dict[str, list[str]]:
        tokens: list[str] = []
        sentences: list[int] = []
        sent = 0
        for t in doc:
            text = t.text
            if text in _SENTENCE_END:
                sent += 1
                continue
            if t.is_punct or t.is_space:
                continue
            if len(text) > 1 and text.endswith(".") and "." not in text[:-1]:
                text = text[:-1]  # "5 g." at the end of a sentence is read as 5 + g
            tokens.append(text)
            sentences.append(sent)
        hits: dict[int, set[int]] = {}
        infos = [self._token(t) for t in tokens]
        for k, (ids, exact) in enumerate(infos):
            s = sentences[k]
            for pid in ids:
                hits.setdefault(pid, set()).add(s)
            for w in exact:
                for pid, words in self.phrases_by_first.get(w, ()):
                    m = len(words)
                    if k + m > len(tokens) or sentences[k + m - 1] != s:
                        continue
                    if all(words[i] in infos[k + i][1] for i in range(1, m)):
                        hits.setdefault(pid, set()).add(s)
        found: dict[int, set[str]] = {}
        for pid, sents in hits.items():
            for row in self.rows_by_main.get(pid, ()):
                if self._row_holds(row, sents, hits):
                    found.setdefault(row.element, set()).add(row.term)
        for child, parent in self.parents.items():
            if child in found:
                found.setdefault(parent, set()).update(found[child])
        return {ELEMENT_IDS[i]: sorted(found[i]) for i in sorted(found)}

    @staticmethod
    def _row_holds(row: _Row, sents: set[int], hits: dict[int, set[int]]) -> bool:
        if not row.requires and not row.excludes:
            return True
        if row.paragraph_scope:
            if row.requires and not any(r in hits for r in row.requires):
                return False
            return not any(x in hits for x in row.excludes)
        for s in sents:
            if row.requires and not any(s in hits.get(r, ()) for r in row.requires):
                continue
            if any(s in hits.get(x, ()) for x in row.excludes):
                continue
            return True
        return False

    def code(self, texts: list[str]) -> list[dict[str, list[str]]]:
        """Per text: element id -> sorted matched lexicon terms, only for elements that matched."""
        normalised = (normalise_text(t) for t in texts)
        return [self._code_doc(doc) for doc in self._nlp.pipe(normalised, batch_size=self.batch_size,
                                                              disable=["lemmatizer"])]


@functools.cache
def default_coder() -> Coder:
    """One coder with the study's lexicon per process (building it loads spaCy's tables)."""
    return Coder()


def _check_columns(frame: pd.DataFrame, needed: Iterable[str], what: str) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks the columns {', '.join(missing)}")


def code_paragraphs(paragraphs: pd.DataFrame, coder: Coder | None = None) -> pd.DataFrame:
    """Code every paragraph. Returns one row per (paragraph, element) coded:
    dokument_id, sida, stycke_nr, element_id, traffar (the matched terms, sorted, joined by ', '),
    in the paragraphs' order and the elements' order."""
    _check_columns(paragraphs, (*PARAGRAPH_KEY, "text"), "paragraphs")
    dup = paragraphs.duplicated(list(PARAGRAPH_KEY))
    if dup.any():
        first = paragraphs.loc[dup, list(PARAGRAPH_KEY)].iloc[0].tolist()
        raise ValueError(f"paragraphs: {int(dup.sum())} repeated keys (dokument_id, sida, stycke_nr), first {first}")
    coder = coder or default_coder()
    codes = coder.code(paragraphs["text"].tolist())
    records = []
    keys = paragraphs[list(PARAGRAPH_KEY)].itertuples(index=False, name=None)
    for (doc, page, nr), coded in zip(keys, codes):
        for element_id, terms in coded.items():
            records.append((doc, page, nr, element_id, ", ".join(terms)))
    out = pd.DataFrame.from_records(records, columns=list(CODE_COLUMNS))
    for col in PARAGRAPH_KEY:
        out[col] = out[col].astype(paragraphs[col].dtype)
    out["element_id"] = out["element_id"].astype(object)
    out["traffar"] = out["traffar"].astype(object)
    return out


def document_scores(paragraphs: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """Every document x every element: stycken (paragraphs coded with the element) and andel
    (stycken / the document's paragraphs). Documents in the paragraphs' order."""
    _check_columns(paragraphs, PARAGRAPH_KEY, "paragraphs")
    _check_columns(codes, (*PARAGRAPH_KEY, "element_id"), "codes")
    docs = list(dict.fromkeys(paragraphs["dokument_id"].tolist()))
    totals = paragraphs.drop_duplicates(list(PARAGRAPH_KEY)).groupby("dokument_id", sort=False).size()
    coded = codes.drop_duplicates([*PARAGRAPH_KEY, "element_id"]).groupby(["dokument_id", "element_id"]).size()
    coded_map = coded.to_dict()
    records = []
    for doc in docs:
        n = int(totals.get(doc, 0))
        for element_id in ELEMENT_IDS:
            k = int(coded_map.get((doc, element_id), 0))
            records.append((doc, element_id, k, (k / n) if n else 0.0))
    out = pd.DataFrame.from_records(records, columns=list(SCORE_COLUMNS))
    out["dokument_id"] = out["dokument_id"].astype(paragraphs["dokument_id"].dtype)
    out["stycken"] = out["stycken"].astype("int64")
    out["andel"] = out["andel"].astype("float64")
    return out


def evidence(paragraphs: pd.DataFrame, codes: pd.DataFrame, element_id: str,
             dokument_id=None, n: int = 3) -> pd.DataFrame:
    """The best passages for an element (optionally in one document): ranked by the number of
    distinct matched terms, ties in the paragraphs' order. Columns dokument_id, sida,
    stycke_nr, text, traffar."""
    if element_id not in ELEMENT_IDS:
        raise KeyError(f"unknown element_id {element_id!r}")
    _check_columns(paragraphs, (*PARAGRAPH_KEY, "text"), "paragraphs")
    _check_columns(codes, (*PARAGRAPH_KEY, "element_id", "traffar"), "codes")
    chosen = codes[codes["element_id"] == element_id]
    if dokument_id is not None:
        chosen = chosen[chosen["dokument_id"] == dokument_id]
    order = paragraphs[list(PARAGRAPH_KEY) + ["text"]].reset_index(drop=True)
    order["_order"] = range(len(order))
    merged = chosen[[*PARAGRAPH_KEY, "traffar"]].merge(order, on=list(PARAGRAPH_KEY), how="inner")
    merged["_terms"] = merged["traffar"].map(lambda s: len({t for t in str(s).split(", ") if t}))
    merged = merged.sort_values(["_terms", "_order"], ascending=[False, True], kind="stable")
    return merged.head(max(int(n), 0))[list(EVIDENCE_COLUMNS)].reset_index(drop=True)
