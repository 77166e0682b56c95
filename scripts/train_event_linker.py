"""Train the place–happening linker (geomap/data/event_linker.json) on event-location sentences.

    python scripts/train_event_linker.py ../shared/dev/events_train.jsonl [--docs /tmp/events.spacy]
        [--folds 5] [--limit N] [--out geomap/data/event_linker.json]

Each line of the data is {"text", "verb": [start, end], "locations": [[start, end], ...]} (Halterman
2019). The places of a sentence are its gold locations and the spaCy GPE/LOC/FAC entities; each place is
paired with every candidate trigger of its sentence (geomap.happenings.linker.triggers_of). A pair's
inputs are its sparse features (geomap.happenings.linker.pair_features) and the pipeline's token vectors
(geomap.happenings.linker.pair_vector).

Two models (see geomap.happenings.linker.Linker): the selector (logistic regression, every pair; positive
when the place is a gold location and the trigger the annotated verb) picks a place's trigger; the
locator (one hidden layer, trained on the pairs with the annotated verb only, since a pair with another verb is
unlabelled) says whether the place is that trigger's location. Cross-validation is grouped by sentence and
prints two settings:

- *link*: what geomap does: a place takes its preferred trigger (geomap.happenings.linker.preference: the
  selector's best), and links when the locator's probability there reaches the threshold; precision and recall are over the links to the annotated verb.
- *given the verb* (Halterman's setting, place-level): for the annotated verb, which candidate places are
  its location.

Needs the [train] extra (scikit-learn). ``--docs`` caches the parsed sentences (outside the repository);
a DocBin keeps no tensors, so the token vectors are recomputed from it by the pipeline's tok2vec.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geomap.happenings.linker import (VECTOR_PARTS, VECTOR_WIDTH, Ancestry, Linker, _text, candidates,  # noqa: E402
                                      preference, triggers_of)

PLACE_LABELS = {"GPE", "LOC", "FAC"}
C = 1.0             # the selector's regularisation (0.3 and 3 were within 0.003 F1 of it)
HIDDEN = 64         # the locator's hidden units (32: given-verb F1 0.832; 64: 0.840)
ALPHA = 1e-3        # the locator's L2 penalty
VECTOR_SCALE = 0.3  # the selector's standardised vectors are shrunk so the sparse features keep their say
LOCATOR_SCALE = 0.6  # the locator's (given-verb balanced P=R, grouped folds: 0.3 0.830, 0.6 0.836, 1.0 0.833)
THRESHOLDS = tuple(round(t, 3) for t in np.arange(0.05, 0.951, 0.025))
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
        if len(docs) >= len(rows):   # a DocBin keeps no tensor: the tok2vec's vectors are recomputed
            return list(nlp.get_pipe("tok2vec").pipe(docs[:len(rows)], batch_size=128))
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


def examples(rows: list[dict], docs) -> tuple[list[dict], np.ndarray, list[int], list[tuple], dict]:
    """Feature dicts, pair vectors, labels, and for each pair its (sentence, place, is the annotated
    verb, is a gold place) so links can be scored."""
    feats, vectors, labels, keys = [], [], [], []
    stats = {"sentences": len(rows), "gold_places": 0, "verb_is_candidate": 0}
    zero = np.zeros(VECTOR_WIDTH * len(VECTOR_PARTS), dtype=np.float32)
    for g, (row, doc) in enumerate(zip(rows, docs)):
        verb = tuple(row["verb"])
        ancestry = Ancestry(doc)
        stats["gold_places"] += len(row["locations"])
        first = next((t for t in doc if overlaps((t.idx, t.idx + len(t.text)), verb)), None)
        stats["verb_is_candidate"] += first is not None and first in triggers_of(first.sent)
        places = places_of(doc, row)
        tokens = frozenset(i for span, _ in places for i in range(span.start, span.end))
        for p, (span, is_gold) in enumerate(places):
            for c in candidates(doc, ancestry, span, triggers_of(span.sent), tokens):
                hit = overlaps((c.trigger.idx, c.trigger.idx + len(c.trigger.text)), verb)
                feats.append(c.features)
                vectors.append(zero if c.vector is None else c.vector)
                labels.append(int(is_gold and hit))
                keys.append((g, p, int(hit), int(is_gold)))
    return feats, np.array(vectors, dtype=np.float32).reshape(len(labels), -1), labels, keys, stats


class Inputs:
    """The design matrix: sparse features seen at least MIN_COUNT times, then the standardised vectors."""

    def __init__(self, feats: list[dict], vectors: np.ndarray):
        from sklearn.feature_extraction import DictVectorizer
        counts: dict[str, int] = {}
        for f in feats:
            for name in f:
                counts[name] = counts.get(name, 0) + 1
        self.vectorizer = DictVectorizer().fit([{k: v for k, v in f.items() if counts[k] >= MIN_COUNT} for f in feats])
        self.names = [str(n) for n in self.vectorizer.get_feature_names_out()]
        self.mean = vectors.mean(axis=0)
        self.std = vectors.std(axis=0) + 1e-6

    def matrix(self, feats: list[dict], vectors: np.ndarray):
        import scipy.sparse as sp
        dense = (vectors - self.mean) / self.std * LOCATOR_SCALE
        return sp.hstack([self.vectorizer.transform(feats), sp.csr_matrix(dense)]).tocsr()


def selector_model():
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(C=C, max_iter=3000)


def locator_model():
    from sklearn.neural_network import MLPClassifier
    return MLPClassifier(hidden_layer_sizes=(HIDDEN,), alpha=ALPHA, early_stopping=True, max_iter=60, random_state=0)


def fit_models(x, y, keys):
    """(selector, locator) fitted on the rows given: the selector on every pair (training it on the
    labelled pairs only, a gold place's or the annotated verb's, matched it on held-out links but lost
    0.8 points of event_eval), the locator on the annotated verb's pairs only."""
    hit = np.array([k[2] for k in keys], dtype=bool)
    return selector_model().fit(selector_inputs(x), y), locator_model().fit(x[hit], y[hit])


def selector_inputs(x):
    """The design matrix (vectors at LOCATOR_SCALE, the runtime's scale) with the vectors shrunk to
    VECTOR_SCALE for the selector; export scales its vector weights back."""
    import scipy.sparse as sp
    width = VECTOR_WIDTH * len(VECTOR_PARTS)
    ratio = np.r_[np.ones(x.shape[1] - width), np.full(width, VECTOR_SCALE / LOCATOR_SCALE)]
    return (x @ sp.diags(ratio)).tocsr()


def link_scores(select: np.ndarray, locate: np.ndarray, keys: list[tuple], gold_places: int,
                threshold: float) -> tuple[float, float]:
    """Precision and recall of the links to the annotated verb: each place takes its preferred trigger
    (geomap.happenings.linker.preference) and links when the locator's probability there reaches the
    threshold."""
    best: dict[tuple[int, int], tuple[tuple, int]] = {}
    for k, (g, p, _, _) in enumerate(keys):
        rank = preference(select[k], locate[k])
        if (g, p) not in best or rank > best[(g, p)][0]:
            best[(g, p)] = (rank, k)
    predicted = [keys[k][3] for _, k in best.values() if keys[k][2] and locate[k] >= threshold]
    return sum(predicted) / max(len(predicted), 1), sum(predicted) / max(gold_places, 1)


def given_verb_scores(locate, y, keys, gold_places: int, threshold: float) -> tuple[float, float]:
    """Precision and recall of 'this place is where the annotated verb happened', the verb given."""
    chosen = [label for prob, label, key in zip(locate, y, keys) if key[2] and prob >= threshold]
    return sum(chosen) / max(len(chosen), 1), sum(chosen) / max(gold_places, 1)


def cross_validate(x, y, keys, folds: int, sentence_of: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold selector and locator probabilities, folds grouped by sentence text: the data repeats a
    sentence once per annotated verb, and a fold split by row trains on the held-out sentence."""
    from sklearn.model_selection import GroupKFold
    groups = np.array([sentence_of[k[0]] for k in keys])
    select, locate = np.zeros(len(y)), np.zeros(len(y))
    for train, test in GroupKFold(n_splits=folds).split(x, y, groups):
        selector, locator = fit_models(x[train], y[train], [keys[k] for k in train])
        select[test] = selector.predict_proba(selector_inputs(x[test]))[:, 1]
        locate[test] = locator.predict_proba(x[test])[:, 1]
    return select, locate


def f_beta(precision: float, recall: float, beta: float) -> float:
    return (1 + beta ** 2) * precision * recall / max(beta ** 2 * precision + recall, 1e-9)


def export(inputs: Inputs, selector, locator, threshold: float) -> Linker:
    n = len(inputs.names)
    coef = selector.coef_[0]
    return Linker.from_json({
        "names": inputs.names,
        "selector": {"sparse": [round(float(w), 4) for w in coef[:n]],
                     "dense": [round(float(w) * VECTOR_SCALE / LOCATOR_SCALE, 4) for w in coef[n:]],
                     "intercept": round(float(selector.intercept_[0]), 4)},
        "locator": {"hidden": HIDDEN, "w1": _text(locator.coefs_[0]),
                    "b1": [round(float(b), 5) for b in locator.intercepts_[0]],
                    "w2": [round(float(w), 5) for w in locator.coefs_[1][:, 0]],
                    "b2": round(float(locator.intercepts_[1][0]), 5)},
        "vector": {"parts": list(VECTOR_PARTS), "scale": LOCATOR_SCALE,
                   "mean": [round(float(v), 5) for v in inputs.mean], "std": [round(float(v), 5) for v in inputs.std]},
        "threshold": threshold})


def train_linker(rows: list[dict], docs, threshold: float) -> Linker:
    """The linker fitted on all of ``rows`` (scripts/event_eval.py trains one per fold with this)."""
    feats, vectors, labels, keys, _ = examples(rows, docs)
    inputs = Inputs(feats, vectors)
    selector, locator = fit_models(inputs.matrix(feats, vectors), np.array(labels), keys)
    return export(inputs, selector, locator, threshold)


def main(argv=None) -> None:
    global HIDDEN, ALPHA
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--docs", help="cache of the parsed sentences (a spaCy DocBin), outside the repo")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--hidden", type=int, default=HIDDEN, help="the locator's hidden units")
    parser.add_argument("--alpha", type=float, default=ALPHA, help="the locator's L2 penalty")
    parser.add_argument("--dump", help="write the out-of-fold probabilities here (.npz, outside the repo)")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "geomap/data/event_linker.json"))
    args = parser.parse_args(argv)
    HIDDEN, ALPHA = args.hidden, args.alpha

    rows = load_rows(args.data, args.limit)
    docs = parsed(rows, args.docs)
    feats, vectors, labels, keys, stats = examples(rows, docs)
    inputs = Inputs(feats, vectors)
    x, y = inputs.matrix(feats, vectors), np.array(labels)
    print(f"{stats['sentences']} sentences, {stats['gold_places']} gold places, "
          f"annotated verb is a candidate trigger in {stats['verb_is_candidate']}; {len(y)} pairs, "
          f"{x.shape[1]} inputs ({len(inputs.names)} features, {vectors.shape[1]} vector dimensions)", flush=True)
    first: dict[str, int] = {}
    sentence_of = [first.setdefault(row["text"], k) for k, row in enumerate(rows)]
    select, locate = cross_validate(x, y, keys, args.folds, sentence_of)
    if args.dump:
        np.savez(args.dump, select=select, locate=locate, y=y, keys=np.array(keys))
    gold = stats["gold_places"]
    table = [(t, *link_scores(select, locate, keys, gold, t)) for t in THRESHOLDS]
    given = [(t, *given_verb_scores(locate, y, keys, gold, t)) for t in THRESHOLDS]
    print(f"cross-validated ({args.folds} folds grouped by sentence); threshold: link P, R | given the verb P, R")
    for (t, p, r), (_, gp, gr) in zip(table, given):
        print(f"  {t:.3f}: link {p:.3f} {r:.3f} | given the verb {gp:.3f} {gr:.3f}")
    f1, threshold, precision, recall = max((f_beta(p, r, 1.0), t, p, r) for t, p, r in table)
    print(f"link setting, best F1 {f1:.3f}: precision {precision:.3f} recall {recall:.3f} at threshold {threshold}")
    gf1, gthreshold, gp, gr = max((f_beta(p, r, 1.0), t, p, r) for t, p, r in given)
    print(f"given the annotated verb (Halterman's setting, place-level), best F1 {gf1:.3f}: "
          f"precision {gp:.3f} recall {gr:.3f} at threshold {gthreshold}")
    bmin, bthreshold, bp, br = max((min(p, r), t, p, r) for t, p, r in given)
    print(f"given the annotated verb, balanced (issue 14 asks both above 0.83): precision {bp:.3f} "
          f"recall {br:.3f} at threshold {bthreshold}")
    # geomap's threshold weighs recall twice: a weak link still shows the place in its happening's layer,
    # a missed one hides it in "other mentions"
    _, runtime, run_p, run_r = max((f_beta(p, r, 2.0), t, p, r) for t, p, r in table)
    print(f"runtime threshold (best F2) {runtime}: link precision {run_p:.3f} recall {run_r:.3f}")
    selector, locator = fit_models(x, y, keys)
    linker = export(inputs, selector, locator, float(runtime))
    payload = {"about": "geomap place-happening linker: selector (logistic regression) and locator (one hidden "
                        "layer) trained by scripts/train_event_linker.py on Halterman 2019 event-location "
                        "sentences (MIT)",
               "cross_validation": {"folds": args.folds, "C": C, "hidden": HIDDEN, "alpha": ALPHA,
                                    "link": {"threshold": threshold, "precision": round(precision, 4),
                                             "recall": round(recall, 4)},
                                    "given_verb": {"threshold": gthreshold, "precision": round(gp, 4),
                                                   "recall": round(gr, 4)},
                                    "given_verb_balanced": {"threshold": bthreshold, "precision": round(bp, 4),
                                                            "recall": round(br, 4)},
                                    "vector_scale": {"selector": VECTOR_SCALE, "locator": LOCATOR_SCALE},
                                    "runtime_precision": round(run_p, 4), "runtime_recall": round(run_r, 4)},
               **linker.to_json()}
    Path(args.out).write_text(json.dumps(payload, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(inputs.names)} features")


if __name__ == "__main__":
    main()
