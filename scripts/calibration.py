"""Calibration of geomap's resolution score: of the answers scored about s, what share is right?

    python scripts/calibration.py CORPUS.jsonl      # JSON Lines: "text", "toponyms": [{"start","end","lat","lon"}]

Runs geomap.resolve with the gold spans and prints, per score bin, the number of answers and the share
within 161 km of the gold point, plus the cost per mention.
"""
from __future__ import annotations

import json
import sys
import time

from geopy.distance import great_circle

import geomap

BINS = [0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 1.01]


def main(corpus: str) -> None:
    docs = [json.loads(line) for line in open(corpus, encoding="utf-8")]
    rows, mentions, t0 = [], 0, time.perf_counter()
    for doc in docs:
        gold = [t for t in doc["toponyms"] if t.get("lat") is not None]
        gdf = geomap.resolve(doc["text"], [(t["start"], t["end"]) for t in gold])
        mentions += len(gold)
        for t, score, lat, lon in zip(gold, gdf["score"], gdf["lat"], gdf["lon"]):
            if lat == lat:  # answered
                rows.append((score, great_circle((t["lat"], t["lon"]), (lat, lon)).km <= 161))
    seconds = time.perf_counter() - t0
    print("| score | answers | right (≤161 km) |")
    print("| --- | --- | --- |")
    for low, high in zip(BINS, BINS[1:]):
        hits = [ok for s, ok in rows if low <= s < high]
        if hits:
            print(f"| {low:.1f}–{min(high, 1.0):.1f} | {len(hits)} | {sum(hits) / len(hits):.2f} |")
    print(f"\n{mentions} gold mentions, {len(rows)} answered; {seconds / mentions * 1e6:.0f} µs per mention "
          "including the spaCy pipeline")


if __name__ == "__main__":
    main(sys.argv[1])
