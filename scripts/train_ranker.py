"""Train the resolution ranker's weights on a corpus with gold coordinates, with grouped cross-validation.

    pip install -e '.[train]'
    python scripts/train_ranker.py CORPUS.jsonl [--write]     # JSON Lines: "text", "toponyms": [{"start","end","lat","lon"}]

For every gold mention, each gazetteer candidate becomes one row of ``geomap.resolve.features`` with the
label "this is the place meant": the candidates closest to the gold point when one is within 161 km
(so a town, not the province around it), else the regions that contain the gold point (a country's
point and the gold's can be 300 km apart by convention alone, and the ranker should learn which place,
not which point). A logistic regression on those rows gives the weights; the
chosen candidate is the one with the highest weighted sum, as at run time. Folds are whole documents
(GroupKFold), so figures are on documents the model did not see. ``--write`` trains on everything and
writes geomap/data/ranker.json, which geomap then uses instead of the hand-set weights (delete it to go
back). None ships: trained on GeoVirus alone, the weights gain about a point in cross-validation but
underweight context rules the corpus rarely needs (a caller's country hint, a province named in the
document), which the tests hold. The corpus itself is never stored, only the weights.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from geopy.distance import great_circle
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from geomap.candidates import default_gazetteer
from geomap.geometry import region_covers
from geomap.mentions import mentions_from_spans
from geomap.nlp import load_pipeline
from geomap.resolve import FEATURES, HAND_WEIGHTS, features, prepare

OUT = Path(__file__).resolve().parent.parent / "geomap" / "data" / "ranker.json"


def meant(candidates, km: np.ndarray, lat: float, lon: float, gazetteer) -> np.ndarray:
    """The closest candidates (within 25 km of the closest) when one is within 161 km: the gold point is
    a town's, not the province around it; else the regions that contain the gold point."""
    if km.min() <= 161:
        return km <= km.min() + 25
    return np.array([region_covers(c, lat, lon, gazetteer) for c in candidates])


def collect(corpus: str):
    """One group per gold mention: (doc index, feature matrix, labels, distances in km)."""
    gazetteer, nlp = default_gazetteer(), load_pipeline()
    docs = [json.loads(line) for line in open(corpus, encoding="utf-8")]
    groups = []
    for d, (doc, parsed) in enumerate(zip(docs, nlp.pipe([x["text"] for x in docs], batch_size=16))):
        gold = [t for t in doc["toponyms"] if t.get("lat") is not None]
        mentions = mentions_from_spans(parsed, [(t["start"], t["end"]) for t in gold], gazetteer)
        candidates, context, pairs, keys = prepare(doc["text"], mentions, gazetteer)
        for t, cands, pair, key, mention in zip(gold, candidates, pairs, keys, mentions):
            if mention.compound or not cands:
                continue
            x = np.array([[features(c, context, pair, key)[f] for f in FEATURES] for c in cands])
            km = np.array([great_circle((t["lat"], t["lon"]), (c.lat, c.lon)).km for c in cands])
            y = meant(cands, km, t["lat"], t["lon"], gazetteer)
            groups.append((d, x, y, km))
    return groups


def evaluate(groups, weights: np.ndarray) -> dict:
    meant = near = 0
    for _, x, y, km in groups:
        best = int(np.argmax(x @ weights))
        meant += bool(y[best])
        near += bool(km[best] <= 161)
    n = len(groups)
    return {"mentions": n, "right_place": round(meant / n, 4), "acc161": round(near / n, 4)}


def fit(groups) -> np.ndarray:
    x = np.vstack([g[1] for g in groups])
    y = np.concatenate([g[2] for g in groups])
    model = LogisticRegression(C=1.0, max_iter=2000)
    model.fit(x, y)
    return model.coef_[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    groups = collect(args.corpus)
    hand = np.array([HAND_WEIGHTS[f] for f in FEATURES])
    docs = np.array([g[0] for g in groups])
    learned_scores, hand_scores = [], []
    for train, test in GroupKFold(n_splits=5).split(docs, groups=docs):
        weights = fit([groups[i] for i in train])
        learned_scores.append(evaluate([groups[i] for i in test], weights))
        hand_scores.append(evaluate([groups[i] for i in test], hand))

    def mean(scores, key):
        return round(sum(s[key] * s["mentions"] for s in scores) / sum(s["mentions"] for s in scores), 4)

    report = {k: {"right_place": mean(v, "right_place"), "acc161": mean(v, "acc161")}
              for k, v in (("hand", hand_scores), ("learned_cv", learned_scores))}
    print(json.dumps(report))
    if args.write:
        weights = fit(groups)
        OUT.write_text(json.dumps({
            "weights": {f: round(float(w), 4) for f, w in zip(FEATURES, weights)},
            "cross_validation": report, "mentions": len(groups),
            "trained_on": Path(args.corpus).name,
        }, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
