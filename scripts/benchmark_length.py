"""Is geomap linear in a document's length? Bare spaCy NER against geomap on one long document, per size.

    python scripts/benchmark_length.py /work/shared/dev/lgl.jsonl
    python scripts/benchmark_length.py CORPUS.jsonl --sizes 10000 100000 --profile 100000

Documents of a JSON Lines corpus ("text" field) are joined, a blank line between them, and cut at a
paragraph break to each size in characters (default 10,000 / 100,000 / 400,000 / 1,000,000). For each
size, in this one process, it prints the CPU seconds of bare NER (``spacy.load(model, enable=["ner"])``),
of geomap's spaCy pipeline alone, of the whole ``geomap.geoparse``, and the ratios to bare NER: a ratio
that stays flat as the size grows says that part grows as NER does (linearly). ``--profile SIZE`` also
prints the geomap functions that take the most time at that size. CPU time (this process's user + system)
because the machine is shared and noisy; still, read the ratios of one run.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import bare_ner  # noqa: E402

SIZES = (10_000, 100_000, 400_000, 1_000_000)


def joined(corpus: str, size: int) -> str:
    """The corpus's texts joined by blank lines (again from the start if it is too short), cut to at most
    ``size`` characters at the last paragraph break."""
    with open(corpus, encoding="utf-8") as f:
        texts = [json.loads(line)["text"].strip() for line in f]
    parts, length = [], 0
    while length < size:
        for text in texts:
            parts.append(text)
            length += len(text) + 2
            if length >= size:
                break
    text = "\n\n".join(parts)[:size]
    cut = text.rfind("\n\n")
    return text[:cut] if cut > 0 else text


def seconds(call, *args) -> float:
    start = time.process_time()
    call(*args)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--profile", type=int, help="profile geomap at this size")
    args = parser.parse_args()
    import geomap
    from geomap.nlp import load_pipeline
    ner, pipeline = bare_ner(), load_pipeline()   # its own pipeline, so that geoparse's memos are its own
    ner.max_length = max(ner.max_length, *args.sizes)
    ner("Talks in Oslo.")
    pipeline("Talks in Oslo.")
    geomap.geoparse("Talks in Oslo.")   # loads the model and the gazetteer
    print("characters | bare NER s | geomap spaCy s | ratio | geomap s | ratio")
    for size in args.sizes:
        text = joined(args.corpus, size)
        ner_s, spacy_s, geomap_s = seconds(ner, text), seconds(pipeline, text), seconds(geomap.geoparse, text)
        print(f"{len(text):>10,} | {ner_s:10.2f} | {spacy_s:14.2f} | {spacy_s / ner_s:4.2f}x | {geomap_s:8.2f} | "
              f"{geomap_s / ner_s:5.2f}x", flush=True)
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(geomap.geoparse, joined(args.corpus, args.profile))
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(r"geomap/", 30)


if __name__ == "__main__":
    main()
