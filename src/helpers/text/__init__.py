"""Text analysis of the regional development strategies (RUS) and the yearly reports:
documents -> paragraphs, the coding lexicon, coding paragraphs for the strategy's elements,
and the command line ``python -m helpers.text``.

The names below are imported lazily, so that ``helpers.text.documents`` does not pay for
spaCy or pandas.
"""
from __future__ import annotations

__all__ = [
    "ELEMENT_IDS", "Lexicon", "LexiconError", "load_lexicon",
    "Coder", "code_paragraphs", "document_scores", "evidence",
]

_WHERE = {
    "ELEMENT_IDS": "lexicon", "Lexicon": "lexicon", "LexiconError": "lexicon", "load_lexicon": "lexicon",
    "Coder": "coding", "code_paragraphs": "coding", "document_scores": "coding", "evidence": "coding",
}


def __getattr__(name: str):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
