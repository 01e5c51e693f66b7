"""The command line `python -m helpers.text code PATH...`.

Reading documents is helpers.text.documents' job; here a stand-in reader (plain text split on
blank lines) replaces it, so these tests check only what the command does with what it reads.
"""
from __future__ import annotations

import json
import subprocess
import sys
import types

import pytest

import helpers.text
from helpers.paths import project_root
from helpers.text import __main__ as cli
from helpers.text.lexicon import ELEMENT_IDS

RUS = """Regional utvecklingsstrategi

Kompetensförsörjningen är länets största utmaning och regionen leder den regionala kompetensplattformen.

Bredbandsutbyggnaden på landsbygden ska slutföras.

Innehåll
"""

REPORT = """# Årsrapport

Regionen har samverkat med kommunerna och följt upp insatserna.
"""


def _stand_in_reader(path):
    text = path.read_text(encoding="utf-8")
    return [(1, block.strip()) for block in text.split("\n\n") if block.strip()]


@pytest.fixture
def reader(monkeypatch):
    """Put a simple reader in place of helpers.text.documents for the test."""
    fake = types.ModuleType("helpers.text.documents")
    fake.read_document = _stand_in_reader
    monkeypatch.setitem(sys.modules, "helpers.text.documents", fake)
    monkeypatch.setattr(helpers.text, "documents", fake, raising=False)
    return fake


@pytest.fixture
def files(tmp_path):
    rus = tmp_path / "rus_01.txt"
    rus.write_text(RUS, encoding="utf-8")
    report = tmp_path / "rapport.md"
    report.write_text(REPORT, encoding="utf-8")
    return rus, report


def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_one_json_object_per_file(reader, files, capsys):
    rus, report = files
    assert cli.main(["code", str(rus), str(report)]) == 0
    out, err = capsys.readouterr()
    first, second = _lines(out)
    assert err == ""
    assert first["path"] == str(rus) and second["path"] == str(report)
    assert first["paragraphs"] == 4 and second["paragraphs"] == 2
    assert list(first["scores"]) == list(ELEMENT_IDS)
    assert first["scores"]["SO2"] == 0.25 and first["scores"]["SO2.1"] == 0.25
    assert first["scores"]["SO4.1"] == 0.25 and first["scores"]["TP"] == 0.25
    assert first["scores"]["SU1"] == 0
    assert second["scores"]["GF2"] == 0.5 and second["scores"]["GF3"] == 0.5
    assert all(0 <= v <= 1 for line in (first, second) for v in line["scores"].values())


def test_the_path_is_reported_as_given(reader, files, capsys, monkeypatch):
    rus, _ = files
    monkeypatch.chdir(rus.parent)
    assert cli.main(["code", "rus_01.txt"]) == 0
    assert _lines(capsys.readouterr().out)[0]["path"] == "rus_01.txt"


def test_bad_files_get_one_line_each_and_the_others_are_still_coded(reader, files, capsys, tmp_path):
    rus, report = files
    missing = tmp_path / "saknas.pdf"
    unsupported = tmp_path / "tabell.xlsx"
    unsupported.write_text("x", encoding="utf-8")
    folder = tmp_path / "mapp.txt"
    folder.mkdir()
    code = cli.main(["code", str(missing), str(rus), str(unsupported), str(folder), str(report)])
    out, err = capsys.readouterr()
    assert code == 2
    assert [line["path"] for line in _lines(out)] == [str(rus), str(report)]
    errors = err.splitlines()
    assert len(errors) == 3
    assert errors[0] == f"error: {missing}: no such file"
    assert errors[1].startswith(f"error: {unsupported}: unsupported file type '.xlsx'")
    assert errors[2] == f"error: {folder}: not a file"
    assert "Traceback" not in err


def test_a_reader_failure_is_one_line(monkeypatch, files, capsys):
    rus, report = files

    def broken(path):
        if path.name == "rus_01.txt":
            raise ValueError("damaged file\nwith detail on a second line")
        return _stand_in_reader(path)

    fake = types.ModuleType("helpers.text.documents")
    fake.read_document = broken
    monkeypatch.setitem(sys.modules, "helpers.text.documents", fake)
    monkeypatch.setattr(helpers.text, "documents", fake, raising=False)
    assert cli.main(["code", str(rus), str(report)]) == 2
    out, err = capsys.readouterr()
    assert err == f"error: {rus}: cannot read: ValueError: damaged file with detail on a second line\n"
    assert [line["path"] for line in _lines(out)] == [str(report)]


def test_without_a_document_reader_each_file_fails_cleanly(monkeypatch, files, capsys):
    rus, _ = files
    monkeypatch.setitem(sys.modules, "helpers.text.documents", None)  # import fails
    monkeypatch.delattr(helpers.text, "documents", raising=False)
    assert cli.main(["code", str(rus)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"error: {rus}: cannot read documents") and err.count("\n") == 1


def test_an_empty_document_scores_zero(reader, tmp_path, capsys):
    empty = tmp_path / "tom.md"
    empty.write_text("\n\n   \n", encoding="utf-8")
    assert cli.main(["code", str(empty)]) == 0
    line = _lines(capsys.readouterr().out)[0]
    assert line["paragraphs"] == 0 and set(line["scores"].values()) == {0}


def test_another_lexicon(reader, files, tmp_path, capsys):
    rus, _ = files
    lexicon = tmp_path / "lexicon.csv"
    lexicon.write_text("element_id,term,kind\nTP,landsbygd,compound_part\n", encoding="utf-8")
    assert cli.main(["code", "--lexicon", str(lexicon), str(rus)]) == 0
    scores = _lines(capsys.readouterr().out)[0]["scores"]
    assert scores["TP"] == 0.25 and scores["SO2"] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("element_id,term,kind\nXX,landsbygd,lemma\n", encoding="utf-8")
    assert cli.main(["code", "--lexicon", str(bad), str(rus)]) == 2
    err = capsys.readouterr().err
    assert "bad.csv, line 2: unknown element_id 'XX'" in err and err.count("\n") == 1


def test_the_module_runs_as_a_command(tmp_path):
    """As a user calls it: bad paths give one line each on stderr, exit code 2, no traceback."""
    unsupported = tmp_path / "a.xls"
    unsupported.write_text("x", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "helpers.text", "code", str(tmp_path / "saknas.docx"), str(unsupported)],
        capture_output=True, text=True, cwd=project_root(), timeout=120,
    )
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        f"error: {tmp_path / 'saknas.docx'}: no such file",
        f"error: {unsupported}: unsupported file type '.xls' (expected .pdf, .docx, .txt, .md)",
    ]
    usage = subprocess.run([sys.executable, "-m", "helpers.text", "code"], capture_output=True, text=True,
                           cwd=project_root(), timeout=120)
    assert usage.returncode == 2 and "usage:" in usage.stderr and "Traceback" not in usage.stderr
