"""Calibration of geomap's resolution score: of the answers scored about s, what share is right?

    python scripts/calibration.py CORPUS.jsonl      # JSON Lines: "text", "toponyms": [{"start","end","lat","lon"}]

Runs geomap.resolve with the gold spans and prints, per score bin, the number of answers, the share that
is the right place (within 161 km of the gold point, or a region whose polygon holds it) and the share
within 161 km, plus the cost per mention. On the corpus the shipped ranker was trained on, this is an
in-sample table: scripts/train_ranker.py prints the cross-validated one.
"""
from __future__ import annotations

import json
import sys
import time

from geopy.distance import great_circle
from shapely.geometry import Point

import geomap

BINS = [0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 1.01]


def main(corpus: str) -> None:
    docs = [json.loads(line) for line in open(corpus, encoding="utf-8")]
    rows, mentions, t0 = [], 0, time.perf_counter()
    for doc in docs:
        gold = [t for t in doc["toponyms"] if t.get("lat") is not None]
        gdf = geomap.resolve(doc["text"], [(t["start"], t["end"]) for t in gold])
        mentions += len(gold)
        for t, score, lat, lon, shape in zip(gold, gdf["score"], gdf["lat"], gdf["lon"], gdf.geometry):
            if lat == lat:  # answered
                near = great_circle((t["lat"], t["lon"]), (lat, lon)).km <= 161
                # a region is the right place when its polygon holds the gold point, whatever point stands for it
                inside = shape is not None and shape.geom_type != "Point" and shape.buffer(0.05).contains(
                    Point(t["lon"], t["lat"]))
                rows.append((score, near, near or inside))
    seconds = time.perf_counter() - t0
    print("| score | answers | mean score | right place | within 161 km |")
    print("| --- | --- | --- | --- | --- |")
    for low, high in zip(BINS, BINS[1:]):
        band = [row for row in rows if low <= row[0] < high]
        if band:
            mean = [sum(row[k] for row in band) / len(band) for k in range(3)]
            print(f"| {low:.1f}–{min(high, 1.0):.1f} | {len(band)} | {mean[0]:.2f} | {mean[2]:.2f} | {mean[1]:.2f} |")
    print(f"\n{mentions} gold mentions, {len(rows)} answered; {seconds / mentions * 1e6:.0f} µs per mention "
          "including the spaCy pipeline")


if __name__ == "__main__":
    main(sys.argv[1])
