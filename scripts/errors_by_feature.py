"""Resolution errors by the gold place's GeoNames feature class (gold spans), for one or two runs.

    python scripts/errors_by_feature.py CORPUS.jsonl PRED.jsonl [PRED2.jsonl]

CORPUS: JSON Lines with "id" and "toponyms": [{"start", "end", "lat", "lon", "geonameid", "fcode"}];
PRED: predict.py's output in resolve mode ({"id", "places": [{"start", "end", "lat", "lon", "geonameid"}]}).
For each feature group (PPL*, ADM1, ADM2, PCL*, other codes as they are) prints the number of gold
places, the share with the gold GeoNames id, the share within 161 km, and the share left unanswered;
with a second prediction file, its figures beside the first.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict

from geopy.distance import great_circle


def group(fcode: str | None) -> str:
    fcode = fcode or "?"
    for prefix in ("PPL", "PCL"):
        if fcode.startswith(prefix):
            return prefix
    return fcode


def tally(corpus: str, predictions: str) -> dict[str, list[int]]:
    """feature group -> [gold places, right id, within 161 km, unanswered]."""
    predicted = {}
    with open(predictions, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            predicted[doc["id"]] = {(p["start"], p["end"]): p for p in doc.get("places", [])}
    out = defaultdict(lambda: [0, 0, 0, 0])
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            places = predicted.get(doc["id"], {})
            for gold in doc["toponyms"]:
                if gold.get("lat") is None:
                    continue
                row = out[group(gold.get("fcode"))]
                row[0] += 1
                p = places.get((gold["start"], gold["end"]))
                if not p or p.get("lat") is None:
                    row[3] += 1
                    continue
                if gold.get("geonameid") and p.get("geonameid") and int(p["geonameid"]) == int(gold["geonameid"]):
                    row[1] += 1
                if great_circle((gold["lat"], gold["lon"]), (p["lat"], p["lon"])).km <= 161:
                    row[2] += 1
    return out


def main(argv: list[str]) -> None:
    if len(argv) not in (2, 3):
        raise SystemExit(__doc__)
    corpus, runs = argv[0], [tally(argv[0], path) for path in argv[1:]]
    groups = sorted(set().union(*runs), key=lambda g: -max(r.get(g, [0])[0] for r in runs))
    head = "".join(f"  {'id':>5} {'@161':>5} {'unans':>5}" for _ in runs)
    print(f"{'feature':8} {'n':>5}{head}")
    totals = [[0, 0, 0, 0] for _ in runs]
    for g in groups:
        n = runs[0].get(g, [0])[0]
        cells = ""
        for run, total in zip(runs, totals):
            row = run.get(g, [0, 0, 0, 0])
            total[:] = [a + b for a, b in zip(total, row)]
            cells += "".join(f"  {v / max(row[0], 1):5.3f}" for v in row[1:])
        print(f"{g:8} {n:5}{cells}")
    cells = "".join("".join(f"  {v / max(t[0], 1):5.3f}" for v in t[1:]) for t in totals)
    print(f"{'all':8} {totals[0][0]:5}{cells}")


if __name__ == "__main__":
    main(sys.argv[1:])
