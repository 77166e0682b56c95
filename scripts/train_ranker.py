"""Train the resolution ranker on corpora with gold coordinates, with grouped cross-validation.

    pip install -e '.[train]'
    python scripts/train_ranker.py CORPUS.jsonl [CORPUS.jsonl ...] [--write] [--strength 1] [--cache DIR]
    # JSON Lines: "text", "toponyms": [{"start","end","lat","lon"[, "geonameid"]}]

Data recipe: for every gold mention, each gazetteer candidate becomes one row of
``geomap.resolution.features``, labelled "this is the place meant": the candidate with the gold GeoNames
id when the gold carries one and a candidate has it (LGL, TR-News); else the candidates closest to the
gold point when one is within 161 km (a town, not the province around it), else the regions that
contain the gold point (a country's point and the gold's can be 300 km apart by convention alone; the
ranker should learn which place, not which point). A mention none of whose candidates is meant is
labelled "none of them". ``--cache DIR`` keeps the parsed documents (spaCy DocBin) between runs.

Model: a conditional logit (softmax over a mention's candidates plus a "none of them" option), its
weights pulled towards the hand-set ones (L2, ``--strength``) and the document-context rules allowed
to grow but not to shrink below their hand-set weight. Then an isotonic curve maps the softmax share to
the probability of the place meant. Folds are whole documents (GroupKFold over all corpora): the figures printed,
right place, acc@161 and the calibration table, are on documents neither the ranker nor the curve saw;
with two corpora or more, each is also left out in turn (trained on the others, tested on it).
``--write`` trains on everything and writes geomap/data/ranker.json (weights, "none", the curve and the
cross-validated figures), which geomap uses instead of the hand-set weights. The corpus itself is
never stored, only the weights.
``--model trees [--params JSON]``: gradient-boosted trees instead (scripts/ranker_trees.py), judged on the
same folds and figures; measured only (not with ``--write``).
"""
from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np
from geopy.distance import great_circle
from scipy.optimize import minimize
from sklearn.isotonic import IsotonicRegression
from sklearn.model_selection import GroupKFold

from geomap.candidates import default_gazetteer
from geomap.geometry import region_covers
from geomap.recognition import mentions_from_spans
from geomap.nlp import load_pipeline
from geomap.resolution import FEATURES, HAND_WEIGHTS, Peers, features, prepare

import ranker_trees  # scripts/, beside this file

OUT = Path(__file__).resolve().parent.parent / "geomap" / "data" / "ranker.json"
STRENGTH = 5.0  # pull towards the hand-set weights (per squared unit of weight)
CONTEXT_RULES = ("doc_country", "doc_province", "pair", "province_peers", "nearby", "called_county",
                 "county_peers", "focus_country", "focus_province", "holds_chosen", "pair_province", "town_cue",
                 "called_province", "county_pair")
BANDS = np.array([0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0001])


def meant(candidates, km: np.ndarray, lat: float, lon: float, gazetteer, geonameid=None) -> np.ndarray:
    """The candidate with the gold GeoNames id when there is one; else the closest candidates (within
    25 km of the closest) when one is within 161 km: the gold point is a town's, not the province around
    it; else the regions that contain the gold point."""
    if geonameid not in (None, ""):
        same = np.array([c.geonameid is not None and str(c.geonameid) == str(geonameid) for c in candidates])
        if same.any():
            return same
    if km.min() <= 161:
        return km <= km.min() + 25
    return np.array([region_covers(c, lat, lon, gazetteer) for c in candidates])


def abstains(weights: np.ndarray, none: float) -> bool:
    """geomap's rule (geomap.resolution.choose): no answer when "none of them" outweighs all the
    candidates together."""
    top = weights.max()
    return none > top + np.log(np.exp(weights - top).sum())


def parsed_docs(corpus: str, texts: list[str], nlp, cache: Path | None):
    """The spaCy docs of a corpus, from ``cache`` when it holds them (keyed by the texts)."""
    from spacy.tokens import DocBin
    if cache is None:
        return list(nlp.pipe(texts, batch_size=16))
    digest = hashlib.sha1("\x1e".join(texts).encode()).hexdigest()[:12]
    path = cache / f"{Path(corpus).stem}-{digest}.spacy"
    if path.is_file():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    docs = list(nlp.pipe(texts, batch_size=16))
    cache.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs).to_disk(path)
    return docs


def collect(corpora: list[str], cache: Path | None = None, ranker=None):
    """One group per gold mention: (doc id, feature matrix, labels, distances in km, corpus index)."""
    gazetteer, nlp = default_gazetteer(), load_pipeline()
    groups, d = [], 0
    for k, corpus in enumerate(corpora):
        docs = [json.loads(line) for line in open(corpus, encoding="utf-8")]
        for doc, parsed in zip(docs, parsed_docs(corpus, [x["text"] for x in docs], nlp, cache)):
            gold = [t for t in doc["toponyms"] if t.get("lat") is not None]
            mentions = mentions_from_spans(parsed, [(t["start"], t["end"]) for t in gold], gazetteer)
            candidates, context, cues, keys = prepare(doc["text"], mentions, gazetteer, ranker=ranker)
            for t, cands, cue, key, mention in zip(gold, candidates, cues, keys, mentions):
                if mention.compound or not cands:
                    continue
                peers = Peers.of(cands)
                x = np.array([[features(c, context, cue, key, peers=peers)[f]
                               for f in FEATURES]
                              for c in cands])
                km = np.array([great_circle((t["lat"], t["lon"]), (c.lat, c.lon)).km for c in cands])
                y = meant(cands, km, t["lat"], t["lon"], gazetteer, t.get("geonameid"))
                groups.append((d, x, y, km, k))
            d += 1
    return groups


def evaluate(groups, weights: np.ndarray, none: float | None = None) -> dict:
    """Right place and acc@161 of the answers; a mention left unanswered ("none of them" weighs more
    than its best candidate) counts as wrong on both, as in score.py."""
    meant = near = unanswered = 0
    for _, x, y, km, *_ in groups:
        s = x @ weights
        best = int(np.argmax(s))
        if none is not None and abstains(s, none):
            unanswered += 1
            continue
        meant += bool(y[best])
        near += bool(km[best] <= 161)
    n = len(groups)
    return {"mentions": n, "right_place": round(meant / n, 4), "acc161": round(near / n, 4),
            "unanswered": unanswered}


def fit(groups, prior: np.ndarray, strength: float = STRENGTH) -> tuple[np.ndarray, float]:
    """A conditional logit: per mention, a softmax over its candidates and a "none of them" option
    (weight ``none``); maximise the likelihood of the meant candidates (or of "none" when no
    candidate is meant), with an L2 pull towards the hand-set weights so that a rule the corpus
    rarely exercises keeps its hand-set weight instead of drifting to zero. The softmax share is
    then the probability that the answer is the place meant, which is what geomap reports as score."""
    def loss(params):
        w, none = params[:-1], params[-1]
        total, grad = 0.0, np.zeros_like(params)
        for _, x, y, *_ in groups:
            s = np.append(x @ w, none)
            top = s.max()
            p = np.exp(s - top)
            p /= p.sum()
            target = np.append(y, not y.any()).astype(float)
            mass = (p * target).sum()
            total -= np.log(max(mass, 1e-12))
            q = p * target / max(mass, 1e-12)
            diff = p - q
            grad[:-1] += diff[:-1] @ x
            grad[-1] += diff[-1]
        delta = w - prior
        return total + strength * (delta @ delta), grad + np.append(2 * strength * delta, 0.0)

    start = np.append(prior, -2.0)
    # the document-context rules may grow but not shrink: a corpus where they rarely fire (GeoVirus
    # seldom says "Alexandria" of a small town) must not teach that a named country does not count
    bounds = [(p, None) if f in CONTEXT_RULES else (None, None) for f, p in zip(FEATURES, prior)] + [(None, None)]
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds)
    return result.x[:-1], float(result.x[-1])


def answers(groups, weights: np.ndarray, none: float) -> list[tuple[float, bool, bool]]:
    """(softmax share, is the place meant, is within 161 km) of each mention's answer."""
    out = []
    for _, x, y, km, *_ in groups:
        s = x @ weights
        best = int(np.argmax(s))
        out.append((1.0 / (np.exp(none - s[best]) + np.exp(s - s[best]).sum()), bool(y[best]), km[best] <= 161))
    return out


def calibrator(answered: list[tuple[float, bool, bool]]) -> tuple[list[float], list[float]]:
    """Isotonic regression of "is the place meant" on the softmax share, fitted on held-out answers
    (the share of a ranker fitted with a prior is not calibrated by itself); geomap interpolates
    between the returned breakpoints."""
    model = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip", increasing=True)
    model.fit([share for share, _, _ in answered], [float(right) for _, right, _ in answered])
    return [round(float(x), 4) for x in model.X_thresholds_], [round(float(y), 4) for y in model.y_thresholds_]


def calibration(answered: list[tuple[float, bool, bool]], curve=None) -> list[dict]:
    """Of the answers scored in each band, the share that is the place meant and within 161 km."""
    bands = [[] for _ in BANDS[:-1]]
    for share, right, near in answered:
        score = float(np.interp(share, *curve)) if curve else share
        i = min(np.searchsorted(BANDS, score, side="right") - 1, len(bands) - 1)
        bands[i].append((right, near, score))
    return [{"band": f"{lo:.1f}-{hi:.1f}", "answers": len(b),
             "mean_score": round(float(np.mean([s for *_, s in b])), 3) if b else None,
             "right_place": round(float(np.mean([r for r, *_ in b])), 3) if b else None,
             "within_161km": round(float(np.mean([n for _, n, _ in b])), 3) if b else None}
            for (lo, hi), b in zip(zip(BANDS, BANDS[1:]), bands)]


def linear_validate(groups, hand: np.ndarray, strength: float, splits) -> tuple[list, list]:
    """Per split: the figures on the held-out groups, and each held-out group's (answer, abstained,
    group) for the calibration table."""
    scores, held_out = [], []
    for train, test in splits:
        weights, none = fit([groups[i] for i in train], hand, strength)
        tested = [groups[i] for i in test]
        scores.append(evaluate(tested, weights, none))
        abstained = [abstains(g[1] @ weights, none) for g in tested]
        held_out.append(list(zip(answers(tested, weights, none), abstained, tested)))
    return scores, held_out


def tally(answered: list) -> dict:
    """evaluate's figures from (answer, abstained, group) triples: an unanswered mention counts as wrong."""
    n = len(answered)
    given = [a for a, abstained, _ in answered if not abstained]
    return {"mentions": n, "right_place": round(sum(r for _, r, _ in given) / max(n, 1), 4),
            "acc161": round(sum(bool(c) for *_, c in given) / max(n, 1), 4), "unanswered": n - len(given)}


def mean(scores, key):
    return round(sum(s[key] * s["mentions"] for s in scores) / sum(s["mentions"] for s in scores), 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="+")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--strength", type=float, default=STRENGTH)
    parser.add_argument("--cache", type=Path, help="folder for the parsed documents (never the repository)")
    parser.add_argument("--model", choices=("linear", "trees"), default="linear",
                        help="trees: gradient-boosted trees on candidate rows (scripts/ranker_trees.py)")
    parser.add_argument("--params", type=json.loads, default={},
                        help='tree settings over ranker_trees.PARAMS, as JSON: \'{"max_iter": 300}\'')
    parser.add_argument("--dump", type=Path, help="pickle the feature rows here, or read them from it when it exists")
    args = parser.parse_args()
    if args.write and args.model == "trees":
        parser.error("--write writes the linear ranker only: the trees are measured, not shipped")
    names = [Path(c).stem for c in args.corpus]
    import pickle
    if args.dump and args.dump.is_file():
        groups = pickle.loads(args.dump.read_bytes())
    else:
        groups = collect(args.corpus, args.cache)
        if args.dump:
            args.dump.write_bytes(pickle.dumps(groups))
    hand = np.array([HAND_WEIGHTS[f] for f in FEATURES])
    docs = np.array([g[0] for g in groups])
    corpus_of = np.array([g[4] for g in groups])
    splits = list(GroupKFold(n_splits=5).split(docs, groups=docs))
    # each split: the figures on its held-out groups, and (held-out groups, answers) for calibration
    if args.model == "trees":
        params = {**ranker_trees.PARAMS, **args.params}
        validate = lambda split: ranker_trees.cross_validate(groups, params, split)  # noqa: E731
    else:
        validate = lambda split: linear_validate(groups, hand, args.strength, split)  # noqa: E731
    learned_scores, held_out = validate(splits)
    hand_scores = [evaluate([groups[i] for i in test], hand) for _, test in splits]

    report = {k: {"right_place": mean(v, "right_place"), "acc161": mean(v, "acc161"),
                  "unanswered": sum(s["unanswered"] for s in v)}
              for k, v in (("hand", hand_scores), ("learned_cv", learned_scores))}
    if args.model == "trees":
        report["settings"] = params
    # the same held-out answers, by corpus
    report["learned_cv_by_corpus"] = {name: by_corpus(held_out, k) for k, name in enumerate(names)}
    if len(names) > 1:  # leave one corpus out: trained on the others, tested on it
        loco = {}
        for k, name in enumerate(names):
            train = np.flatnonzero(corpus_of != k)
            test = np.flatnonzero(corpus_of == k)
            learned, _ = validate([(train, test)])
            loco[name] = {"learned": learned[0], "hand": evaluate([groups[i] for i in test], hand)}
        report["leave_one_corpus_out"] = loco
    # calibration on held-out documents: each mention scored by the fold that did not see it
    folds = [[a for a, _, _ in fold] for fold in held_out]
    raw = calibration([a for fold in folds for a in fold])
    # the calibrator too is judged on a fold it was not fitted on
    table = merge([calibration(fold, calibrator([a for j, other in enumerate(folds) if j != k for a in other]))
                   for k, fold in enumerate(folds)])
    curve = calibrator([a for fold in folds for a in fold])
    print(json.dumps(report, indent=1))
    print(json.dumps({"raw_share": raw, "calibrated": table}, indent=1))
    if args.write:
        weights, none = fit(groups, hand, args.strength)
        OUT.write_text(json.dumps({
            "weights": {f: round(float(w), 4) for f, w in zip(FEATURES, weights)}, "none": round(none, 4),
            "calibration": {"share": curve[0], "score": curve[1]},
            "cross_validation": report, "calibration_cv": table, "mentions": len(groups),
            "strength": args.strength, "trained_on": [Path(c).name for c in args.corpus],
        }, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")


def by_corpus(held_out, k: int) -> dict:
    """Cross-validated figures of one corpus: each of its mentions judged by the fold that did not see it."""
    scores = [tally([row for row in fold if row[2][4] == k]) for fold in held_out]
    scores = [s for s in scores if s["mentions"]]
    return {"mentions": sum(s["mentions"] for s in scores), "right_place": mean(scores, "right_place"),
            "acc161": mean(scores, "acc161"), "unanswered": sum(s["unanswered"] for s in scores)}


def merge(tables: list[list[dict]]) -> list[dict]:
    """Per-fold calibration tables summed band by band."""
    out = []
    for rows in zip(*tables):
        filled = [r for r in rows if r["answers"]]
        n = sum(r["answers"] for r in filled)
        out.append({"band": rows[0]["band"], "answers": n, **{
            k: round(sum(r[k] * r["answers"] for r in filled) / n, 3) if n else None
            for k in ("mean_score", "right_place", "within_161km")}})
    return out


if __name__ == "__main__":
    main()
