"""The synthetic document corpus: reproducible, complete, synthetic on its face, and its
truth file agrees with what an independent reading of the documents finds."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from pathlib import Path

import docx
import pypdf
import pytest

from helpers import reference
from helpers.paths import project_root
from helpers.sample import corpus

COMMITTED = project_root() / "data" / "raw" / "sample" / "corpus"
MANIFEST = COMMITTED / "manifest.csv"
TRUTH = COMMITTED / "truth.json"
ID_PATTERN = re.compile(r"rus-\d{2}|rua-\d{2}-20\d\d|smm-[a-z]+-20\d\d|tvv-ar-20\d\d")

# The keyword each kind of distractor uses in another sense (stems, lower case).
DISTRACTOR_WORDS = {
    "GF1": ("kapacitet",), "GF2": ("samverkan",), "GF3": ("lärande",), "HB-MI": ("hållbar",),
    "HB-EK": ("ekonomisk",), "HB-SO": ("social",), "SU1": ("klimat",), "SU2": ("befolkning", "åldrande"),
    "SU3": ("klyftor",), "SO1.1": ("planering",), "SO1.2": ("service",), "SO1.3": ("livsmiljö",),
    "SO2": ("kompetens",), "SO3": ("innovation",), "SO3.3": ("cirkulär",), "SO3.4": ("digitaliser",),
    "SO3.5": ("export",), "SO4": ("tillgänglighet",), "SO4.1": ("bredband",), "SO4.2": ("transport",),
    "TP": ("gränsöverskridande",),
}
# Words that would give an element away: a filler paragraph has none of them.
FILLER_TABOO = ("kompetens", "innovation", "bredband", "klimat", "hållbar", "samverk", "kapacitet",
                "landsbygd", "glesbygd", "transport", "digital", "service", "livsmiljö", "export",
                "klyft", "befolkning", "uppföljning", "utvärder", "lärande", "tillgänglig", "cirkulär")


def spaced(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def manifest() -> list[dict]:
    with MANIFEST.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads(TRUTH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def truth_by_id(truth) -> dict:
    return {d["dokument_id"]: d for d in truth["documents"]}


def first_of_each_format() -> list[str]:
    """One report of each format (and one RUS), taken from the specs, not from the files."""
    specs = corpus.document_specs()
    ids = ["rus-09"]
    for fmt in corpus.FORMATS:
        ids.append(next(s.dokument_id for s in specs if s.fmt == fmt and s.dokumenttyp != "rus"))
    return ids


# --- reproducibility ---------------------------------------------------------------------

def test_same_seed_gives_identical_bytes(tmp_path):
    ids = first_of_each_format()
    a = corpus.write_corpus(tmp_path / "a", ids=ids)
    corpus.write_corpus(tmp_path / "b", ids=ids)
    assert a["documents"] == len(ids)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b
    kinds = {p.suffix for p in files_a}
    assert {".pdf", ".docx", ".txt", ".md", ".csv", ".json"} <= kinds
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    # A subset has the same bytes as the same documents in the committed full corpus.
    for rel in files_a:
        if rel.parts[0] == corpus.DOC_DIR:
            assert (tmp_path / "a" / rel).read_bytes() == (COMMITTED / rel).read_bytes(), rel


def test_another_seed_gives_another_corpus():
    spec = next(s for s in corpus.document_specs() if s.dokument_id == "smm-vinnova-2024")
    one = corpus.truth_entry(corpus.build_document(spec, seed=corpus.DEFAULT_SEED))
    other = corpus.truth_entry(corpus.build_document(spec, seed=corpus.DEFAULT_SEED + 1))
    assert one["paragraphs"] != other["paragraphs"]


def test_committed_corpus_equals_a_fresh_generation(truth):
    docs = corpus.plan_corpus()
    assert corpus.manifest_text([d.spec for d in docs]) == MANIFEST.read_text(encoding="utf-8")
    assert corpus.truth_text(corpus.DEFAULT_SEED, docs) == TRUTH.read_text(encoding="utf-8")
    readme = corpus.readme_text(corpus.DEFAULT_SEED, corpus.DEFAULT_RUS_PAGES, False, None, docs)
    assert readme == (COMMITTED / "README.md").read_text(encoding="utf-8")
    by_id = {d.spec.dokument_id: d for d in docs}
    for did in first_of_each_format():
        doc = by_id[did]
        fresh = hashlib.sha256(corpus.render_document(doc)).hexdigest()
        stored = hashlib.sha256((COMMITTED / doc.spec.fil).read_bytes()).hexdigest()
        assert fresh == stored, did
    assert truth["seed"] == corpus.DEFAULT_SEED


# --- manifest and files ------------------------------------------------------------------

def test_manifest_rows_and_files_match(manifest):
    assert list(manifest[0].keys()) == list(corpus.MANIFEST_COLUMNS)
    ids = [r["dokument_id"] for r in manifest]
    assert len(ids) == len(set(ids)) == 21 + 21 * 4 + 13 * 3 + 4
    listed = set()
    for r in manifest:
        assert ID_PATTERN.fullmatch(r["dokument_id"]), r
        path = COMMITTED / r["fil"]
        assert path.is_file(), r["fil"]
        listed.add(path.resolve())
        assert r["aktorsgrupp"] in {"region", "statlig_myndighet", "tillvaxtverket"}
        assert r["dokumenttyp"] in {"rus", "regionalt_utvecklingsarbete", "myndigheters_medverkan", "arsredovisning"}
        assert re.fullmatch(r"20\d\d", r["ar"])
        if r["aktorsgrupp"] == "region":
            assert r["aktor"] in reference.county_codes()
            assert r["dokument_id"].split("-")[1] == r["aktor"]
    on_disk = {p.resolve() for p in (COMMITTED / corpus.DOC_DIR).iterdir() if p.is_file()}
    assert on_disk == listed
    types = defaultdict(set)
    for r in manifest:
        types[r["dokumenttyp"]].add(Path(r["fil"]).suffix)
    assert types["rus"] == {".pdf"}
    assert set().union(*(types[t] for t in types if t != "rus")) == {".pdf", ".docx", ".txt", ".md"}
    agencies = {r["aktor"] for r in manifest if r["aktorsgrupp"] == "statlig_myndighet"}
    assert len(agencies) == 13 and "Trafikverket" in agencies and "Vinnova" in agencies
    assert {r["ar"] for r in manifest if r["dokumenttyp"] == "myndigheters_medverkan"} == {"2022", "2023", "2024"}


def test_every_rus_has_at_least_30_pages(manifest, truth_by_id):
    rus = [r for r in manifest if r["dokumenttyp"] == "rus"]
    assert len(rus) == 21
    for r in rus:
        n = len(pypdf.PdfReader(COMMITTED / r["fil"]).pages)
        assert n >= 30, r["dokument_id"]
        assert truth_by_id[r["dokument_id"]]["sidor"] == n


def test_rus_pages_can_be_raised():
    spec = corpus.document_specs(only_rus=True)[3]
    assert len(corpus.document_specs(only_rus=True)) == 21
    doc = corpus.build_document(spec, rus_pages=45)
    assert doc.n_pages >= 45
    assert len(doc.paragraphs) > len(corpus.build_document(spec).paragraphs)


def document_text(path: Path) -> str:
    if path.suffix == ".pdf":
        return pypdf.PdfReader(path).pages[0].extract_text()
    if path.suffix == ".docx":
        return "\n".join(p.text for p in docx.Document(path).paragraphs)
    return path.read_text(encoding="utf-8")


def test_every_document_says_it_is_synthetic(manifest):
    for r in manifest:
        text = spaced(document_text(COMMITTED / r["fil"]))
        assert corpus.STATEMENT in text, r["dokument_id"]


# --- the truth ---------------------------------------------------------------------------

def test_truth_shape_and_elements(truth, manifest):
    assert [d["dokument_id"] for d in truth["documents"]] == [r["dokument_id"] for r in manifest]
    known = {r["id"] for r in reference.framework()}
    assert set(corpus.ELEMENT_IDS) <= known and len(corpus.ELEMENT_IDS) == 26
    seen = set()
    for d in truth["documents"]:
        assert [p["nr"] for p in d["paragraphs"]] == list(range(1, len(d["paragraphs"]) + 1))
        pages = [p["sida"] for p in d["paragraphs"]]
        assert pages == sorted(pages) and 1 <= min(pages) and max(pages) <= d["sidor"]
        union = set()
        for p in d["paragraphs"]:
            els = p["elements"]
            assert els == sorted(set(els)) and set(els) <= set(corpus.ELEMENT_IDS)
            for e in els:
                if "." in e:
                    assert e.split(".")[0] in els, (d["dokument_id"], p["nr"])
            assert "\n" not in p["text"] and p["text"] == spaced(p["text"]) and p["text"].endswith(".")
            union.update(els)
        assert d["elements"] == sorted(union)
        seen |= union
    assert seen == set(corpus.ELEMENT_IDS)


def test_distractors_are_about_five_per_cent_and_cover_nothing(truth):
    paragraphs = [p for d in truth["documents"] for p in d["paragraphs"]]
    distractors = [p for p in paragraphs if p["distraktor"] is not None]
    assert 0.035 <= len(distractors) / len(paragraphs) <= 0.065
    for p in distractors:
        assert p["elements"] == []
        assert p["distraktor"] in corpus.ELEMENT_IDS
        assert any(w in p["text"].lower() for w in DISTRACTOR_WORDS[p["distraktor"]]), p["text"]
    assert len({p["distraktor"] for p in distractors}) >= 15
    fillers = [p for p in paragraphs if not p["elements"] and p["distraktor"] is None]
    assert len(fillers) > 100
    for p in fillers:
        low = p["text"].lower()
        assert not [w for w in FILLER_TABOO if w in low], p["text"]


def test_emphasis_differs_between_documents_and_drifts_over_years(truth):
    def share(d, element):
        return sum(element in p["elements"] for p in d["paragraphs"]) / len(d["paragraphs"])

    rus = {d["dokument_id"]: d for d in truth["documents"] if d["dokument_id"].startswith("rus-")}
    so4 = {k: share(d, "SO4") for k, d in rus.items()}
    assert max(so4.values()) - min(so4.values()) > 0.2
    north = sum(so4[f"rus-{c}"] for c in ("23", "24", "25")) / 3
    assert north > 2 * so4["rus-01"]
    by_year = defaultdict(lambda: defaultdict(list))
    for d in truth["documents"]:
        if d["dokument_id"].startswith("rua-"):
            year = int(d["dokument_id"][-4:])
            for e in ("GF3", "SU1", "SO4.1"):
                by_year[e][year].append(share(d, e))
    mean = {e: {y: sum(v) / len(v) for y, v in ys.items()} for e, ys in by_year.items()}
    assert mean["GF3"][2024] > mean["GF3"][2021] * 1.2
    assert mean["SU1"][2024] > mean["SU1"][2021] * 1.2
    assert mean["SO4.1"][2024] < mean["SO4.1"][2021]


# --- the truth agrees with the documents -------------------------------------------------

def pdf_pages(path: Path) -> list[list[str]]:
    """Lines of each page without the running header (first line) and footer (last line)."""
    out = []
    for page in pypdf.PdfReader(path).pages:
        lines = page.extract_text().split("\n")
        assert corpus.MARKER in lines[0] and re.fullmatch(r"Sida \d+ av \d+", lines[-1]), lines[-1]
        out.append(lines[1:-1])
    return out


def test_pdf_paragraphs_start_on_their_page_and_hyphens_rejoin(manifest, truth_by_id):
    checked = 0
    for did in ("rus-12", "rus-25", next(r["dokument_id"] for r in manifest
                                          if r["fil"].endswith(".pdf") and r["dokumenttyp"] != "rus")):
        fil = next(r["fil"] for r in manifest if r["dokument_id"] == did)
        pages = pdf_pages(COMMITTED / fil)
        entry = truth_by_id[did]
        assert len(pages) == entry["sidor"]
        words = {w.strip(".,;:()") for p in entry["paragraphs"] for w in p["text"].split()}
        hyphen_lines = 0
        for lines in pages[1:]:
            for i, line in enumerate(lines):
                if line.endswith("-"):
                    hyphen_lines += 1
                    assert i + 1 < len(lines), "a page never ends in a hyphenated line"
                    joined = line.split()[-1][:-1] + lines[i + 1].split()[0]
                    assert joined.strip(".,;:()") in words, joined
        assert hyphen_lines >= 0.2 * len(entry["paragraphs"])
        flat = [spaced(re.sub(r"-\n", "", "\n".join(lines)).replace("\n", " ")) for lines in pages]
        for p in entry["paragraphs"]:
            head = p["text"][:60]
            assert head in flat[p["sida"] - 1], (did, p["nr"], p["sida"])
            tail = p["text"][-40:]
            assert tail in flat[p["sida"] - 1] + " " + (flat[p["sida"]] if p["sida"] < len(flat) else ""), (did, p["nr"])
            checked += 1
        if did.startswith("rus"):
            toc = "\n".join(pages[1])
            assert re.search(r"^1 \S.* \.{3,} 3$", toc, re.M), toc[:300]
    assert checked > 400


def test_docx_paragraphs_and_pages_match_truth(manifest, truth_by_id):
    for r in [r for r in manifest if r["fil"].endswith(".docx")][:4]:
        d = docx.Document(COMMITTED / r["fil"])
        page, found = 1, []
        for p in d.paragraphs:
            if p.paragraph_format.page_break_before:
                page += 1
            if page > 1 and p.style.name == "Normal":
                found.append((p.text, page))
        expected = [(p["text"], p["sida"]) for p in truth_by_id[r["dokument_id"]]["paragraphs"]]
        assert found == expected, r["dokument_id"]
        assert any(p.style.name == "Heading 1" for p in d.paragraphs) and len(d.tables) >= 1


def test_txt_and_md_paragraphs_match_truth(manifest, truth_by_id):
    for fmt in ("txt", "md"):
        for r in [r for r in manifest if r["fil"].endswith("." + fmt)][:4]:
            text = (COMMITTED / r["fil"]).read_text(encoding="utf-8")
            found = []
            if fmt == "txt":
                pages = text.split("\f")
                for no, page in enumerate(pages[1:], start=2):
                    for block in page.strip("\n").split("\n\n"):
                        if block.endswith(".") and not block.startswith("Tabell "):
                            found.append((" ".join(block.split("\n")), no))
            else:
                body = text[text.index("\n## "):]
                for block in body.strip("\n").split("\n\n"):
                    if not block.startswith(("#", "|", "Tabell ")):
                        found.append((block, 1))
            expected = [(p["text"], p["sida"]) for p in truth_by_id[r["dokument_id"]]["paragraphs"]]
            assert found == expected, r["dokument_id"]


# --- pieces --------------------------------------------------------------------------------

def test_hyphenation_points_are_plausible():
    points = corpus._split_points("kompetensförsörjningen")
    word = "kompetensförsörjningen"
    assert word.index("försörj") in points  # the compound boundary after the linking s
    assert all(not word[:p].endswith("n") or word[p] != "g" for p in points)  # never inside ng
    assert all(p >= 3 and len(word) - p >= 3 for p in points)
    assert corpus._split_points("IT-stöd") == () and corpus._split_points("län") == ()
    lines, flags = corpus._wrap("Vi vill stärka klimat- och miljöarbetet. " * 20, 60, 10)
    assert not any(line.endswith("-") for line in lines)


def test_subset_and_cli(tmp_path, capsys):
    with pytest.raises(ValueError):
        corpus.plan_corpus(ids=["rus-99"])
    assert corpus.main(["--out", str(tmp_path), "--ids", "tvv-ar-2024"]) == 0
    assert "wrote 1 documents" in capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO((tmp_path / "manifest.csv").read_text(encoding="utf-8"))))
    assert [r["dokument_id"] for r in rows] == ["tvv-ar-2024"]
    assert (tmp_path / rows[0]["fil"]).is_file() and (tmp_path / "README.md").is_file()
    # a later run with other ids removes the documents it no longer lists
    corpus.write_corpus(tmp_path, ids=["tvv-ar-2023"])
    assert sorted(p.name for p in (tmp_path / corpus.DOC_DIR).iterdir())[0].startswith("tvv_ar_2023")
    assert len(list((tmp_path / corpus.DOC_DIR).iterdir())) == 1
