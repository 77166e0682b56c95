"""Speed and memory of geomap against bare spaCy NER on the same documents, in one run.

    python scripts/benchmark.py                  # 200 stories made from the seed article
    python scripts/benchmark.py CORPUS.jsonl     # documents from a JSON Lines file with a "text" field
    python scripts/benchmark.py --docs 500

Each measurement runs in its own process, so that peak RSS and cold start are its own. The machine is
shared and noisy: compare the ratios in one run, not absolute figures across runs.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "nato-turkey-2015.txt"


def stories(count: int) -> list[str]:
    """~300-word stories: the seed's paragraphs shuffled, deterministically."""
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    rng = random.Random(0)
    out = []
    for _ in range(count):
        rng.shuffle(paragraphs)
        words, story = 0, []
        for p in paragraphs:
            story.append(p)
            words += len(p.split())
            if words >= 300:
                break
        out.append("\n\n".join(story))
    return out


def load_texts(corpus: str | None, count: int) -> list[str]:
    if corpus is None:
        return stories(count)
    with open(corpus, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f][:count]


def worker(kind: str, texts_path: str) -> None:
    """Runs in a child process; prints one JSON line of figures."""
    texts = json.loads(Path(texts_path).read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    if kind == "geomap":
        import geomap
        geomap.geoparse("Talks in Oslo.")  # loads the model and opens the gazetteer
        ready = time.perf_counter()
        gdf = geomap.geoparse(texts)
        found = len(gdf)
    elif kind == "recognition":
        # recognition alone: the components it reads (NER, part-of-speech) and geomap's matchers
        from geomap.candidates import default_gazetteer
        from geomap.mentions import find_mentions
        from geomap.nlp import load_pipeline
        nlp, gazetteer = load_pipeline(), default_gazetteer()
        find_mentions(nlp("Talks in Oslo."), gazetteer)
        ready = time.perf_counter()
        with nlp.select_pipes(enable=["tok2vec", "tagger", "attribute_ruler", "paragraph_breaks", "ner"]):
            found = sum(len(find_mentions(d, gazetteer)) for d in nlp.pipe(texts, batch_size=16))
    else:
        from geomap.nlp import load_pipeline
        nlp = load_pipeline()
        keep = ["tok2vec", "ner"] if kind == "spacy-ner" else nlp.pipe_names
        ready = time.perf_counter()
        with nlp.select_pipes(enable=keep):
            found = sum(len(d.ents) for d in nlp.pipe(texts, batch_size=16))
    done = time.perf_counter()
    print(json.dumps({
        "kind": kind, "docs": len(texts), "found": found, "cold_start_s": round(ready - t0, 2),
        "docs_per_s": round(len(texts) / (done - ready), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?")
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--worker", choices=["geomap", "recognition", "spacy-ner", "spacy-full"])
    parser.add_argument("--texts")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.texts)
        return
    texts = load_texts(args.corpus, args.docs)
    path = Path("/tmp/geomap-benchmark-texts.json")
    path.write_text(json.dumps(texts), encoding="utf-8")
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} documents, {words / len(texts):.0f} words each on average")
    results = {}
    for kind in ("spacy-ner", "recognition", "spacy-full", "geomap"):
        out = subprocess.run([sys.executable, __file__, "--worker", kind, "--texts", str(path)],
                             capture_output=True, text=True, check=True)
        results[kind] = json.loads(out.stdout.strip().splitlines()[-1])
        print(json.dumps(results[kind]))
    base = results["spacy-ner"]["docs_per_s"]
    print(f"recognition time per document / bare spaCy NER: {base / results['recognition']['docs_per_s']:.2f}x")
    print(f"geomap time per document / bare spaCy NER: {base / results['geomap']['docs_per_s']:.2f}x; "
          f"/ full spaCy pipeline: {results['spacy-full']['docs_per_s'] / results['geomap']['docs_per_s']:.2f}x")


if __name__ == "__main__":
    main()
