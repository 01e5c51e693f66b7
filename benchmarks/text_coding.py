"""Time the text analysis on 21 RUS of 100 pages each: reading the PDFs into paragraphs, and
coding the paragraphs. Prints the figures.

    python benchmarks/text_coding.py MANIFEST

Run it under /usr/bin/time -v for peak memory (see benchmarks/run.sh)."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from helpers.text import coding, documents


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("manifest", type=Path)
    args = parser.parse_args()
    t0 = time.perf_counter()
    paragraphs, docs = documents.intake_corpus(args.manifest)
    t1 = time.perf_counter()
    coder = coding.Coder()
    t2 = time.perf_counter()
    codes = coding.code_paragraphs(paragraphs, coder)
    coding.document_scores(paragraphs, codes)
    t3 = time.perf_counter()
    print(f"corpus: {len(docs)} documents, {int(docs['sidor'].sum()):,} pages, {len(paragraphs):,} paragraphs")
    print(f"read     {t1 - t0:6.2f} s")
    print(f"load     {t2 - t1:6.2f} s  (spaCy Swedish, lexicon)")
    print(f"code     {t3 - t2:6.2f} s  ({len(codes):,} codes)")
    print(f"total    {t3 - t0:6.2f} s")


if __name__ == "__main__":
    main()
