"""acc@161 as score.py counts it, and with a region counted right when its GeoNames id is right.

    python scripts/region_accuracy.py CORPUS.jsonl PRED.jsonl

PRED is predict.py's output in resolve mode. A country's or province's gold point is GeoNames' own, and
no installable source has those points: a region with the right id can sit 300 km from the gold point
by convention alone (the United States: GeoNames 39.76 N 98.5 W, the Factbook 38 N 97 W). The second
figure forgives that, and only that: a gold region (a gazetteer region other than a county) counts as
right when the chosen id is its id, else by distance as before.
"""
from __future__ import annotations

import json
import sqlite3
import sys

from geopy.distance import great_circle

from geomap.candidates import packaged_gazetteer_path


def region_ids() -> set[int]:
    with sqlite3.connect(packaged_gazetteer_path()) as db:
        return {row[0] for row in db.execute(
            "SELECT geonameid FROM places WHERE geonameid IS NOT NULL AND kind = 'region' AND feature != 'ADM2'")}


def main(corpus: str, predictions: str) -> None:
    regions = region_ids()
    pred = {d["id"]: d for d in map(json.loads, open(predictions, encoding="utf-8"))}
    total = near_count = right_count = 0
    for doc in map(json.loads, open(corpus, encoding="utf-8")):
        by_span = {(p["start"], p["end"]): p for p in pred.get(doc["id"], {}).get("places", [])}
        for gold in doc["toponyms"]:
            if gold.get("lat") is None:
                continue
            total += 1
            p = by_span.get((gold["start"], gold["end"]))
            if not p or p.get("lat") is None:
                continue
            near = great_circle((gold["lat"], gold["lon"]), (p["lat"], p["lon"])).km <= 161
            gid = gold.get("geonameid")
            same_region = gid not in (None, "") and int(gid) in regions and str(p.get("geonameid")) == str(gid)
            near_count += near
            right_count += near or same_region
    print(json.dumps({"n": total, "acc161": round(near_count / total, 4),
                      "acc161_region_by_id": round(right_count / total, 4)}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
