"""Command line of the text coding.

    python -m helpers.text code [--lexicon FILE] PATH...

For each file (.pdf, .docx, .txt, .md) prints one JSON object per line:
{"path": PATH as given, "scores": {element id: share of the file's paragraphs coded with it},
"paragraphs": number of non-empty paragraphs}. A file that cannot be read gets a one-line error
on stderr; the other files are still coded and the exit code is then 2.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import TextIO

SUPPORTED = (".pdf", ".docx", ".txt", ".md")


class FileProblem(Exception):
    """A file the command cannot code; the message is one line for stderr."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers.text", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    code = sub.add_parser("code", help="code documents for the strategy's elements (JSON Lines on stdout)")
    code.add_argument("paths", nargs="+", metavar="PATH", help=f"documents ({', '.join(SUPPORTED)})")
    code.add_argument("--lexicon", metavar="FILE", help="lexicon CSV (default data/reference/lexicon.csv)")
    return parser


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def read_paragraphs(path: Path) -> list[str]:
    """The file's non-empty paragraphs, read by helpers.text.documents.read_document."""
    if path.suffix.lower() not in SUPPORTED:
        raise FileProblem(f"unsupported file type '{path.suffix or '(none)'}' (expected {', '.join(SUPPORTED)})")
    if not path.exists():
        raise FileProblem("no such file")
    if not path.is_file():
        raise FileProblem("not a file")
    try:
        documents = importlib.import_module(f"{__package__}.documents")
    except ImportError as exc:
        raise FileProblem(f"cannot read documents: helpers.text.documents is not available ({_one_line(exc)})") from None
    try:
        pages = documents.read_document(path)
    except Exception as exc:  # any reader failure is reported per file, never as a traceback
        raise FileProblem(f"cannot read: {_one_line(exc)}") from None
    return [str(text) for _page, text in pages if text is not None and str(text).strip()]


def code_files(paths: list[str], coder=None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Code each file and print its JSON line; return 0, or 2 if any file failed."""
    from .lexicon import ELEMENT_IDS

    out = out or sys.stdout
    err = err or sys.stderr
    status = 0
    for raw in paths:
        try:
            texts = read_paragraphs(Path(raw))
        except FileProblem as problem:
            print(f"error: {raw}: {problem}", file=err, flush=True)
            status = 2
            continue
        if coder is None:
            from .coding import default_coder

            coder = default_coder()
        coded = coder.code(texts)
        n = len(texts)
        counts = dict.fromkeys(ELEMENT_IDS, 0)
        for paragraph in coded:
            for element_id in paragraph:
                counts[element_id] += 1
        scores = {e: (counts[e] / n if n else 0.0) for e in ELEMENT_IDS}
        print(json.dumps({"path": raw, "scores": scores, "paragraphs": n}, ensure_ascii=False), file=out, flush=True)
    return status


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    coder = None
    if args.lexicon:
        from .coding import Coder
        from .lexicon import LexiconError, load_lexicon

        try:
            coder = Coder(load_lexicon(args.lexicon))
        except LexiconError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    try:
        return code_files(args.paths, coder=coder)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
