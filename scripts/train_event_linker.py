"""Train the place–happening linker (geomap/data/event_linker.json) on event-location sentences.

    python scripts/train_event_linker.py ../shared/dev/events_train.jsonl [--docs /tmp/events.spacy]
        [--folds 5] [--limit N] [--out geomap/data/event_linker.json]

Each line of the data is {"text", "verb": [start, end], "locations": [[start, end], ...]} (Halterman
2019). The places of a sentence are its gold locations and the spaCy GPE/LOC/FAC entities; each place is
paired with every candidate trigger of its sentence (geomap.linking.triggers_of) and the pair is positive
when the place is a gold location and the trigger is the annotated verb. Cross-validation is grouped by
sentence and scores what geomap does with the model: a place links to its most probable trigger when that
probability reaches the threshold; precision and recall are over the links to the annotated verb.
Needs the [train] extra (scikit-learn). ``--docs`` caches the parsed sentences (outside the repository).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geomap.linking import Ancestry, Linker, candidate_features, triggers_of  # noqa: E402

PLACE_LABELS = {"GPE", "LOC", "FAC"}
C_VALUES = (0.3, 1.0, 3.0)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.65, 0.05))
MIN_COUNT = 5   # rarer features are dropped: they would only bloat the JSON


def load_rows(path: str, limit: int | None) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return rows[:limit] if limit else rows


def parsed(rows: list[dict], cache: str | None):
    """The sentences parsed by geomap's spaCy pipeline, read from ``cache`` when it holds them."""
    from spacy.tokens import DocBin
    from geomap.nlp import load_pipeline
    nlp = load_pipeline()
    if cache and Path(cache).exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) >= len(rows):
            return docs[:len(rows)]
    docs = list(nlp.pipe((r["text"] for r in rows), batch_size=64))
    if cache:
        bin_ = DocBin()
        for doc in docs:
            bin_.add(doc)
        bin_.to_disk(cache)
    return docs


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def places_of(doc, row: dict) -> list[tuple[object, bool]]:
    """(span, is_gold) for each gold location and each place entity that is none of them."""
    gold = [tuple(loc) for loc in row["locations"]]
    out = []
    for start, end in gold:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            out.append((span, True))
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS and not any(overlaps((ent.start_char, ent.end_char), g) for g in gold):
            out.append((ent, False))
    return out


def examples(rows: list[dict], docs) -> tuple[list[dict], list[int], list[tuple[int, int]], dict]:
    """Feature dicts, labels, and for each pair its (sentence, place) so links can be scored."""
    feats, labels, keys = [], [], []
    stats = {"sentences": len(rows), "gold_places": 0, "verb_is_candidate": 0}
    for g, (row, doc) in enumerate(zip(rows, docs)):
        verb = tuple(row["verb"])
        ancestry = Ancestry(doc)
        stats["gold_places"] += len(row["locations"])
        candidates = [t for t in doc if overlaps((t.idx, t.idx + len(t.text)), verb)]
        stats["verb_is_candidate"] += any(c in triggers_of(c.sent) for c in candidates[:1])
        places = places_of(doc, row)
        tokens = frozenset(i for span, _ in places for i in range(span.start, span.end))
        for p, (span, is_gold) in enumerate(places):
            for trigger, f in candidate_features(doc, ancestry, span, triggers_of(span.sent), tokens):
                hit = overlaps((trigger.idx, trigger.idx + len(trigger.text)), verb)
                feats.append(f)
                labels.append(int(is_gold and hit))
                keys.append((g, p, int(hit), int(is_gold)))
    return feats, labels, keys, stats


def link_scores(probs: np.ndarray, keys: list[tuple], gold_places: int, threshold: float) -> tuple[float, float]:
    """Precision and recall of the links to the annotated verb: each place takes its best trigger."""
    best: dict[tuple[int, int], tuple[float, int, int]] = {}
    for prob, (g, p, hit, is_gold) in zip(probs, keys):
        if (g, p) not in best or prob > best[(g, p)][0]:
            best[(g, p)] = (prob, hit, is_gold)
    predicted = [(hit, is_gold) for prob, hit, is_gold in best.values() if prob >= threshold and hit]
    correct = sum(is_gold for _, is_gold in predicted)
    return correct / max(len(predicted), 1), correct / max(gold_places, 1)


def cross_validate(x, y, keys, gold_places_by_group, folds: int, c: float) -> np.ndarray:
    """Out-of-fold probabilities, folds grouped by sentence."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold
    groups = np.array([k[0] for k in keys])
    probs = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=folds).split(x, y, groups):
        model = LogisticRegression(C=c, max_iter=2000)
        model.fit(x[train], y[train])
        probs[test] = model.predict_proba(x[test])[:, 1]
    return probs


def given_verb_scores(probs, y, keys, gold_places: int, threshold: float) -> tuple[float, float]:
    """Precision and recall of 'this place is where the annotated verb happened', the verb given."""
    chosen = [label for prob, label, key in zip(probs, y, keys) if key[2] and prob >= threshold]
    return sum(chosen) / max(len(chosen), 1), sum(chosen) / max(gold_places, 1)


def f_beta(precision: float, recall: float, beta: float) -> float:
    return (1 + beta ** 2) * precision * recall / max(beta ** 2 * precision + recall, 1e-9)


def fit(x, y, c: float):
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(C=c, max_iter=2000).fit(x, y)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--docs", help="cache of the parsed sentences (a spaCy DocBin), outside the repo")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "geomap/data/event_linker.json"))
    args = parser.parse_args(argv)
    from sklearn.feature_extraction import DictVectorizer

    rows = load_rows(args.data, args.limit)
    docs = parsed(rows, args.docs)
    feats, labels, keys, stats = examples(rows, docs)
    counts: dict[str, int] = {}
    for f in feats:
        for name in f:
            counts[name] = counts.get(name, 0) + 1
    feats = [{k: v for k, v in f.items() if counts[k] >= MIN_COUNT} for f in feats]
    vectorizer = DictVectorizer()
    x, y = vectorizer.fit_transform(feats), np.array(labels)
    print(f"{stats['sentences']} sentences, {stats['gold_places']} gold places, "
          f"annotated verb is a candidate trigger in {stats['verb_is_candidate']}; {len(y)} pairs, "
          f"{x.shape[1]} features", flush=True)
    best = None
    for c in C_VALUES:
        probs = cross_validate(x, y, keys, None, args.folds, c)
        table = [(t, *link_scores(probs, keys, stats["gold_places"], t)) for t in THRESHOLDS]
        f1, t, precision, recall = max((f_beta(p, r, 1.0), t, p, r) for t, p, r in table)
        print(f"C={c}: F1 {f1:.3f} (threshold {t}: P {precision:.3f}, R {recall:.3f})", flush=True)
        if best is None or f1 > best[0]:
            best = (f1, c, table, probs)
    f1, c, table, _ = best
    _, threshold, precision, recall = max((f_beta(p, r, 1.0), t, p, r) for t, p, r in table)
    print(f"cross-validated ({args.folds} folds grouped by sentence), C={c}:")
    for t, p, r in table:
        print(f"  threshold {t:.2f}: precision {p:.3f} recall {r:.3f}")
    print(f"best F1 {f1:.3f}: precision {precision:.3f} recall {recall:.3f} at threshold {threshold}")
    given_p, given_r = given_verb_scores(best[3], y, keys, stats["gold_places"], threshold)
    print(f"given the annotated verb (Halterman's setting: is this place its location?), same threshold: "
          f"precision {given_p:.3f} recall {given_r:.3f}")
    # geomap's threshold weighs recall twice: a weak link still shows the place in its happening's layer,
    # a missed one hides it in "other mentions"
    _, runtime, run_p, run_r = max((f_beta(p, r, 2.0), t, p, r) for t, p, r in table)
    print(f"runtime threshold (best F2) {runtime}: precision {run_p:.3f} recall {run_r:.3f}")
    model = fit(x, y, c)
    names = vectorizer.get_feature_names_out()
    weights = {str(n): round(float(w), 3) for n, w in zip(names, model.coef_[0]) if abs(w) >= 1e-3}
    linker = Linker(weights=weights, intercept=round(float(model.intercept_[0]), 4), threshold=float(runtime))
    payload = {"about": "geomap place-happening linker: logistic regression trained by "
                        "scripts/train_event_linker.py on Halterman 2019 event-location sentences (MIT)",
               "cross_validation": {"folds": args.folds, "C": c, "best_f1_threshold": threshold,
                                    "precision": round(precision, 4), "recall": round(recall, 4),
                                    "runtime_precision": round(run_p, 4), "runtime_recall": round(run_r, 4)},
               **linker.to_json()}
    Path(args.out).write_text(json.dumps(payload, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(weights)} weights")


if __name__ == "__main__":
    main()
