"""Is geomap linear in a document's length? Bare spaCy NER against geomap on one long document, per size.

    python scripts/benchmark_length.py /work/shared/dev/lgl.jsonl
    python scripts/benchmark_length.py CORPUS.jsonl --sizes 10000 100000 --profile 100000
    python scripts/benchmark_length.py --repeated "Aleppo " --sizes 35000 1000000   # one name, over and over

Documents of a JSON Lines corpus ("text" field) are joined, a blank line between them, and cut at a
paragraph break to each size in characters (default 10,000 / 100,000 / 400,000 / 1,000,000). For each
size, in this one process, it prints the CPU seconds of bare NER (``spacy.load(model, enable=["ner"])``),
of geomap's spaCy pipeline alone, of the stock pipeline (``spacy.load(model)``, the floor of issue 22), of the
whole ``geomap.geoparse``, and the ratios to bare NER and to stock: a ratio that stays flat as the size
grows says that part grows as NER does (linearly). ``--repeated TEXT`` measures that text repeated to each
size instead of a corpus (a name thousands of times: every mention the same place). ``--profile SIZE`` also
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
from benchmark import bare_ner, model_name  # noqa: E402

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


def repeated(text: str, size: int) -> str:
    """``text`` over and over, cut to ``size`` characters."""
    return (text * (size // len(text) + 1))[:size]


def seconds(call, *args) -> float:
    start = time.process_time()
    call(*args)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?")
    parser.add_argument("--repeated", help="instead of a corpus: this text, repeated to each size")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--profile", type=int, help="profile geomap at this size")
    args = parser.parse_args()
    if not args.corpus and not args.repeated:
        parser.error("give a corpus or --repeated TEXT")
    import spacy

    import geomap
    from geomap.nlp import load_pipeline
    ner, pipeline = bare_ner(), load_pipeline()   # its own pipeline, so that geoparse's memos are its own
    stock = spacy.load(model_name())
    for nlp in (ner, stock):
        nlp.max_length = max(nlp.max_length, *args.sizes)
        nlp("Talks in Oslo.")
    pipeline("Talks in Oslo.")
    geomap.geoparse("Talks in Oslo.")   # loads the model and the gazetteer
    print("characters | bare NER s | geomap spaCy s | ratio | stock spaCy s | geomap s | / NER | / stock")
    for size in args.sizes:
        text = repeated(args.repeated, size) if args.repeated else joined(args.corpus, size)
        ner_s, spacy_s, stock_s = seconds(ner, text), seconds(pipeline, text), seconds(stock, text)
        geomap_s = seconds(geomap.geoparse, text)
        print(f"{len(text):>10,} | {ner_s:10.2f} | {spacy_s:14.2f} | {spacy_s / ner_s:4.2f}x | {stock_s:13.2f} | "
              f"{geomap_s:8.2f} | {geomap_s / ner_s:5.2f}x | {geomap_s / stock_s:6.2f}x", flush=True)
    if args.profile:
        profile = cProfile.Profile()
        text = repeated(args.repeated, args.profile) if args.repeated else joined(args.corpus, args.profile)
        profile.runcall(geomap.geoparse, text)
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(r"geomap/", 30)


if __name__ == "__main__":
    main()
