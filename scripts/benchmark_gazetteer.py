"""Gazetteer budgets: open time, lookup time, memory, and (with a corpus) coverage.

    python scripts/benchmark_gazetteer.py                       # open, lookups, memory
    python scripts/benchmark_gazetteer.py CORPUS.jsonl          # also coverage of the corpus's gold places

Coverage: the share of gold toponyms (JSON Lines with "text" and "toponyms": [{"start", "end", "lat",
"lon"}]) that have a candidate, looked up by the exact mention text, whose point is within 161 km of the
gold point, or (a second figure) whose point is that close or whose region contains the gold point:
a country's gold point and its candidate's centre can be 300 km apart by convention alone.
"""
from __future__ import annotations

import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geopy.distance import great_circle  # noqa: E402

from geomap.candidates import Gazetteer  # noqa: E402
from geomap.geometry import region_covers  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(corpus: str | None = None) -> None:
    before = rss_mb()
    t0 = time.perf_counter()
    gazetteer = Gazetteer()
    gazetteer.db.execute("SELECT 1").fetchone()
    opened = time.perf_counter() - t0
    names = [n for (n,) in gazetteer.db.execute("SELECT name FROM places ORDER BY id")]
    sample = random.Random(0).sample(names, 5000)
    uncached = gazetteer._lookup  # the SQLite path, without the in-process LRU
    times = []
    for name in sample:
        t = time.perf_counter()
        uncached(name)
        times.append(time.perf_counter() - t)
    print(json.dumps({
        "gazetteer": str(gazetteer.path), "size_mb": round(gazetteer.path.stat().st_size / 1e6, 1),
        "open_ms": round(opened * 1000, 1), "lookups": len(times),
        "median_lookup_us": round(statistics.median(times) * 1e6, 1),
        "p95_lookup_us": round(sorted(times)[int(len(times) * 0.95)] * 1e6, 1),
        "memory_mb": round(rss_mb() - before, 1),
    }))
    if corpus:
        total = covered = contained = 0
        for line in open(corpus, encoding="utf-8"):
            doc = json.loads(line)
            for t in doc["toponyms"]:
                if t.get("lat") is None:
                    continue
                total += 1
                mention = doc["text"][t["start"]:t["end"]]
                candidates = gazetteer.lookup(mention, True)
                near = any(great_circle((t["lat"], t["lon"]), (c.lat, c.lon)).km <= 161 for c in candidates)
                covered += near
                contained += near or any(region_covers(c, t["lat"], t["lon"], gazetteer) for c in candidates)
        print(json.dumps({"gold": total, "coverage_161km": round(covered / total, 4),
                          "coverage_161km_or_inside_region": round(contained / total, 4)}))


if __name__ == "__main__":
    main(*sys.argv[1:2])
