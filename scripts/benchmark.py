"""Speed and memory of geomap against bare spaCy NER on the same documents, in one run.

    python scripts/benchmark.py                  # 200 stories made from the seed article
    python scripts/benchmark.py CORPUS.jsonl     # documents from a JSON Lines file with a "text" field
    python scripts/benchmark.py CORPUS.jsonl --docs 300 --repeat 3 --stages

Prints, per measurement, one JSON line, then the ratios:
- ``spacy-ner``: bare NER, ``spacy.load(model, enable=["ner"])`` and ``nlp.pipe``;
- ``spacy-stock``: the stock pipeline a user runs anyway, ``spacy.load(model)`` (tagger, parser, NER,
  lemmatizer) and ``nlp.pipe(texts, batch_size=64)``: the floor (ratio 1.0) of issue 22;
- ``geoparse-list``: ``geomap.geoparse(texts)``, the whole list in one call (one frame back);
- ``pipe``: ``Geoparser().pipe(texts)`` (documents in batches, a frame per document);
- ``geoparse``: ``geomap.geoparse(text)`` one document at a time, as a user calls it for one text;
- ``stages`` (with ``--stages``): ms per document of each spaCy component and each geomap stage, including
  ``output`` (the GeoDataFrame every call returns), their sum and its ratio to bare NER's;
- cold start: ``python -m geomap map`` on the seed as a whole process, and the model's own load time.

Each measurement runs in its own process, so that its peak RSS and load time are its own; with
``--repeat N`` the measurements take turns N times and the best of each counts. The machine is shared and
noisy: compare the ratios of one run, not absolute figures across runs; the CPU-time ratio (the process's
own user + system time) is the steadier one on a loaded machine. With ``--repeat``, the wall and the CPU
figures are each the best over the repeats (they may come from different turns).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "nato-turkey-2015.txt"
KINDS = ("spacy-ner", "spacy-stock", "geoparse-list", "pipe", "geoparse")


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


def model_name() -> str:
    import spacy
    from geomap.nlp import MODEL_NAMES
    return next(n for n in MODEL_NAMES if spacy.util.is_package(n))


def bare_ner():
    """The model with only its NER enabled (NER has its own token-to-vector layer)."""
    import spacy
    return spacy.load(model_name(), enable=["ner"])


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def worker(kind: str, texts: list[str]) -> dict:
    """Runs in a child process: the figures of one measurement."""
    t0 = time.perf_counter()
    cpu0 = 0.0
    if kind == "spacy-ner":
        nlp = bare_ner()
        nlp("Talks in Oslo.")
        ready, cpu0 = time.perf_counter(), time.process_time()
        found = sum(len(d.ents) for d in nlp.pipe(texts, batch_size=16))
    elif kind == "spacy-stock":
        import spacy
        nlp = spacy.load(model_name())
        nlp("Talks in Oslo.")
        ready, cpu0 = time.perf_counter(), time.process_time()
        found = sum(len(d.ents) for d in nlp.pipe(texts, batch_size=64))
    elif kind == "geoparse":
        import geomap
        geomap.geoparse("Talks in Oslo.")  # loads the model and opens the gazetteer
        ready, cpu0 = time.perf_counter(), time.process_time()
        found = sum(len(geomap.geoparse(text)) for text in texts)
    elif kind == "geoparse-list":
        import geomap
        geomap.geoparse("Talks in Oslo.")
        ready, cpu0 = time.perf_counter(), time.process_time()
        found = len(geomap.geoparse(texts))
    elif kind == "pipe":
        from geomap.parser import Geoparser
        geoparser = Geoparser()
        geoparser.parse("Talks in Oslo.")
        ready, cpu0 = time.perf_counter(), time.process_time()
        found = sum(len(gdf) for gdf in geoparser.pipe(texts))
    else:
        raise SystemExit(f"unknown measurement {kind!r}")
    done, cpu = time.perf_counter(), time.process_time() - cpu0
    return {"kind": kind, "docs": len(texts), "found": found, "load_s": round(ready - t0, 2),
            "docs_per_s": round(len(texts) / (done - ready), 2), "docs_per_cpu_s": round(len(texts) / cpu, 2),
            "peak_rss_mb": peak_rss_mb()}


def stages(texts: list[str]) -> dict:
    """ms per document of each component of geomap's pipeline and of each geomap stage, and of bare NER,
    in this one process."""
    from geomap.candidates import default_gazetteer
    from geomap.export import to_geodataframe
    from geomap.geometry import build_place
    from geomap.happenings import assign_events
    from geomap.recognition import find_mentions
    from geomap.nlp import load_pipeline
    from geomap.parser import sentence_of
    from geomap.resolution import resolve_mentions, shipped_ranker
    nlp, ner, gazetteer, ranker = load_pipeline(), bare_ner(), default_gazetteer(), shipped_ranker()
    for warm in (nlp, ner):   # first calls load lookups and fill memos: count the steady state
        list(warm.pipe(texts[:20]))
    out: dict[str, float] = {}
    timed = lambda name, start: out.__setitem__(name, out.get(name, 0.0) + time.perf_counter() - start)  # noqa: E731
    start = time.perf_counter()
    list(ner.pipe(texts, batch_size=16))
    timed("bare ner", start)
    docs = [nlp.make_doc(t) for t in texts]
    for name, component in nlp.pipeline:
        start = time.perf_counter()
        docs = [component(d) for d in docs]
        timed(name, start)
    for doc in docs:
        start = time.perf_counter()
        mentions = find_mentions(doc, gazetteer)
        timed("recognition", start)
        start = time.perf_counter()
        resolutions = resolve_mentions(doc.text, mentions, gazetteer, ranker=ranker)
        timed("resolution", start)
        start = time.perf_counter()
        places = [build_place(m, r, gazetteer, sentence_of(doc, m)) for m, r in zip(mentions, resolutions)]
        timed("geometry", start)
        start = time.perf_counter()
        events, which = assign_events(doc, places)
        timed("events", start)
        start = time.perf_counter()
        to_geodataframe([(0, place, events[which[i]]) for i, place in enumerate(places)], gazetteer)
        timed("output", start)
    ms = {name: round(seconds * 1000 / len(texts), 1) for name, seconds in out.items()}
    total = sum(v for k, v in ms.items() if k != "bare ner")
    ms["geomap total"], ms["ratio to bare ner"] = round(total, 1), round(total / ms["bare ner"], 2)
    return ms


def cold_start() -> dict:
    """Seconds for `geomap map` on the seed as a whole process, and for loading the model alone."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "geomap", "map", str(SEED), "-o", str(Path(tmp) / "map.html")],
                       check=True, capture_output=True, env=env)
        command = time.perf_counter() - start
    code = ("import time,spacy;from geomap.nlp import MODEL_NAMES;t=time.perf_counter();"
            "spacy.load(next(n for n in MODEL_NAMES if spacy.util.is_package(n)));print(time.perf_counter()-t)")
    load = float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                                env=env).stdout.strip())
    return {"geomap_map_s": round(command, 2), "model_load_s": round(load, 2),
            "ratio": round(command / load, 2)}


def run_worker(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", kind, "--texts", str(path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?")
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1, help="take turns this many times; the best counts")
    parser.add_argument("--stages", action="store_true", help="also ms/doc per spaCy component and geomap stage")
    parser.add_argument("--worker", choices=KINDS + ("stages",))
    parser.add_argument("--texts")
    args = parser.parse_args()
    if args.worker:
        texts = json.loads(Path(args.texts).read_text(encoding="utf-8"))
        print(json.dumps(stages(texts) if args.worker == "stages" else worker(args.worker, texts)))
        return
    texts = load_texts(args.corpus, args.docs)
    path = Path(tempfile.mkstemp(prefix="geomap-benchmark-", suffix=".json")[1])
    path.write_text(json.dumps(texts), encoding="utf-8")
    print(f"{len(texts)} documents, {sum(len(t) for t in texts) / len(texts):.0f} characters each on average")
    best: dict[str, dict] = {}
    for _ in range(args.repeat):
        for kind in KINDS:
            result = run_worker(kind, path)
            print(json.dumps(result))
            # the best of each figure over the repeats: a run slowed by another process counts for neither
            kept = best.setdefault(kind, result)
            for figure in ("docs_per_s", "docs_per_cpu_s"):
                kept[figure] = max(kept[figure], result[figure])
            kept["peak_rss_mb"] = min(kept["peak_rss_mb"], result["peak_rss_mb"])
    if args.stages:
        print("ms/doc:", json.dumps(run_worker("stages", path)))
    print("cold start:", json.dumps(cold_start()))
    path.unlink()
    ner, stock = best["spacy-ner"], best["spacy-stock"]
    for kind in ("geoparse-list", "pipe", "geoparse"):
        print(f"{kind}: {best[kind]['docs_per_s']} docs/s ({best[kind]['docs_per_cpu_s']} per CPU second); "
              f"time per document / stock spaCy nlp.pipe ({stock['docs_per_s']} docs/s): "
              f"{stock['docs_per_s'] / best[kind]['docs_per_s']:.2f}x wall, "
              f"{stock['docs_per_cpu_s'] / best[kind]['docs_per_cpu_s']:.2f}x CPU; "
              f"/ bare NER ({ner['docs_per_s']} docs/s): {ner['docs_per_s'] / best[kind]['docs_per_s']:.2f}x wall, "
              f"{ner['docs_per_cpu_s'] / best[kind]['docs_per_cpu_s']:.2f}x CPU; "
              f"peak RSS {best[kind]['peak_rss_mb']} MB (stock {stock['peak_rss_mb']} MB, bare NER {ner['peak_rss_mb']} MB)")


if __name__ == "__main__":
    main()
