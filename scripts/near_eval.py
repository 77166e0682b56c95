"""Measure ``near=`` (where the texts come from) on a corpus whose gold places carry GeoNames ids.

    python scripts/near_eval.py ../shared/dev/lgl.jsonl [--limit N]

No corpus says where its papers are published, so the home is simulated: for each document, the
province (first-level region) that most of its gold places lie in, by the gold ids in the gazetteer,
given as ``near="<province name>"``. That is an upper bound for a user who knows the paper's home.
As a control, each document is also run with a wrong home (another province of the same country),
to show what a wrong prior costs. Prints exact id and acc@161 (over every gold place with an id,
unanswered = wrong) for: no prior, the home, the wrong home; over the documents that have a home.
Public API only: ``geomap.resolve(text, spans, near=...)``.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
from collections import Counter

import pandas as pd
from geopy.distance import great_circle

import geomap
from geomap.candidates import default_gazetteer


def province_names(db) -> dict[tuple[str, str], str]:
    return {(cc, a1): name for name, cc, a1 in
            db.execute("SELECT name, country_code, admin1 FROM places WHERE feature = 'ADM1' AND admin1 IS NOT NULL")}


def home_province(toponyms, db) -> tuple[str, str] | None:
    """The (country, admin1) most gold places lie in, when it holds at least two of them."""
    codes = Counter()
    for t in toponyms:
        row = db.execute("SELECT country_code, admin1 FROM places WHERE geonameid = ? AND admin1 IS NOT NULL "
                         "AND feature NOT LIKE 'PCL%'", (int(t["geonameid"]),)).fetchone()
        if row:
            codes[tuple(row)] += 1
    top = codes.most_common(1)
    return top[0][0] if top and top[0][1] >= 2 else None


def wrong_province(home: tuple[str, str], names: dict) -> tuple[str, str]:
    """Another province of the same country, chosen deterministically (the next code)."""
    peers = sorted(code for code in names if code[0] == home[0] and code != home)
    return next((code for code in peers if code > home), peers[0]) if peers else home


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    db = sqlite3.connect(f"file:{default_gazetteer().path}?mode=ro", uri=True)
    names = province_names(db)
    tally = {k: Counter() for k in ("none", "home", "wrong")}
    docs = [json.loads(line) for line in open(args.corpus, encoding="utf-8")][:args.limit]
    for doc in docs:
        gold = [t for t in doc["toponyms"] if t.get("geonameid") and t.get("lat") is not None]
        home = home_province(gold, db) if gold else None
        if home is None or home not in names:
            continue
        spans = [(t["start"], t["end"]) for t in gold]
        for label, near in (("none", None), ("home", names[home]), ("wrong", names[wrong_province(home, names)])):
            gdf = geomap.resolve(doc["text"], spans, near=near)
            for t, (_, row) in zip(gold, gdf.iterrows()):
                tally[label]["n"] += 1
                if pd.isna(row["lat"]):
                    continue   # unanswered: wrong on both
                tally[label]["exact"] += int(not pd.isna(row["geonameid"]) and int(row["geonameid"]) == int(t["geonameid"]))
                tally[label]["acc161"] += int(great_circle((row["lat"], row["lon"]), (t["lat"], t["lon"])).km <= 161)
        tally["none"]["docs"] += 1
    n = tally["none"]["n"] or 1
    print(f"{args.corpus}: {tally['none']['docs']} documents with a home province, {tally['none']['n']} gold places")
    for label in ("none", "home", "wrong"):
        t = tally[label]
        print(f"  near={label:5s} exact id {t['exact'] / n:.3f}  acc@161 {t['acc161'] / n:.3f}")


if __name__ == "__main__":
    main()
