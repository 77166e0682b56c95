"""Cost of toponym resolution per mention, recognition excluded.

    python scripts/benchmark_resolution.py CORPUS.jsonl     # JSON Lines: "text", "toponyms": [{"start","end"}]

The documents are parsed first; then ``resolve_mentions`` (candidate lookup, features, ranking, one
sense per name) is timed over every document's gold spans, once with the gazetteer's lookup cache
empty (each name looked up in SQLite) and once warm. Compare with spaCy's own time per document in
scripts/benchmark.py.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geomap.candidates import Gazetteer  # noqa: E402
from geomap.cache import NullCache  # noqa: E402
from geomap.recognition import mentions_from_spans  # noqa: E402
from geomap.nlp import load_pipeline  # noqa: E402
from geomap.resolution import resolve_mentions  # noqa: E402


def main(corpus: str) -> None:
    docs = [json.loads(line) for line in open(corpus, encoding="utf-8")]
    gazetteer = Gazetteer(cache=NullCache())
    parsed = list(load_pipeline().pipe([d["text"] for d in docs], batch_size=16))
    work = [(d["text"], mentions_from_spans(p, [(t["start"], t["end"]) for t in d["toponyms"]], gazetteer))
            for d, p in zip(docs, parsed)]
    n = sum(len(m) for _, m in work)
    out = {"documents": len(docs), "mentions": n}
    for label in ("cold_us_per_mention", "warm_us_per_mention"):
        if label.startswith("cold"):
            gazetteer.lookup.cache_clear()
        start = time.perf_counter()
        for text, mentions in work:
            resolve_mentions(text, mentions, gazetteer)
        out[label] = round((time.perf_counter() - start) / n * 1e6, 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
