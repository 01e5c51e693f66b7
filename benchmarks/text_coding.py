"""Time the text analysis on a corpus (e.g. 21 RUS of 200 pages each): reading the documents
into paragraphs, loading the coder and coding the paragraphs, as stage 03 does it
(documents.intake_corpus, coding.Coder, coding.code_paragraphs, coding.document_scores).
Prints each step's wall time and the process's peak memory.

    python benchmarks/text_coding.py MANIFEST [--profile N]

--profile N  also print cProfile's own time per package and top N functions by cumulative
             time for the coding step and for reading the first document in this process (the corpus itself is read in
             worker processes, which a profiler of this process does not see)

Run it under /usr/bin/time -v as well for the peak memory of the process tree (the reading
workers included; see benchmarks/run.sh)."""
from __future__ import annotations

import argparse
import cProfile
import time
from pathlib import Path

from measure import by_package, peak_rss_mb, top_functions

from helpers.text import coding, documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("manifest", type=Path)
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="print cProfile's top N functions by cumulative time")
    args = parser.parse_args()
    t0 = time.perf_counter()
    paragraphs, docs = documents.intake_corpus(args.manifest)
    t1 = time.perf_counter()
    pages = int(docs["sidor"].sum())
    print(f"corpus: {len(docs)} documents, {pages:,} pages, {len(paragraphs):,} paragraphs")
    print(f"read     {t1 - t0:7.2f} s  ({(t1 - t0) / pages * 1e3:.1f} ms a page, documents read in "
          f"worker processes)   peak {peak_rss_mb():5.0f} MB", flush=True)
    coder = coding.Coder()
    t2 = time.perf_counter()
    print(f"load     {t2 - t1:7.2f} s  (spaCy Swedish, lexicon)   peak {peak_rss_mb():5.0f} MB", flush=True)
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    codes = coding.code_paragraphs(paragraphs, coder)
    coding.document_scores(paragraphs, codes)
    if profiler:
        profiler.disable()
    t3 = time.perf_counter()
    words = int(paragraphs["text"].str.split().str.len().sum())
    print(f"code     {t3 - t2:7.2f} s  ({len(codes):,} codes; {words:,} words, "
          f"{(t3 - t2) / words * 1e6:.1f} µs a word)   peak {peak_rss_mb():5.0f} MB")
    print(f"total    {t3 - t0:7.2f} s")
    if profiler:
        print("cProfile of the coding step (the profiler slows it down): own time per package or module")
        print(by_package(profiler))
        print(f"  top {args.profile} functions by cumulative time:")
        print(top_functions(profiler, args.profile))
        first = documents.read_manifest(args.manifest).iloc[0]
        profiler = cProfile.Profile()
        t = time.perf_counter()
        profiler.enable()
        document = documents.load_document(first["sokvag"])
        profiler.disable()
        print(f"cProfile of reading one document in this process ({first['fil']}, {document.pages} pages, "
              f"{time.perf_counter() - t:.2f} s under the profiler): own time per package or module")
        print(by_package(profiler))
        print(f"  top {args.profile} functions by cumulative time:")
        print(top_functions(profiler, args.profile))


if __name__ == "__main__":
    main()
