"""Train the metonymy classifier (geomap/data/metonymy.json) on GeoWebNews' toponym types.

    python scripts/train_metonymy.py ../shared/dev/gwn.jsonl [--docs /tmp/gwn.spacy] [--folds 5] [--repeats 3]
        [--write]

Each gold toponym typed Metonymic (a place acting or speaking for its government, people or team) is a
positive row, each Literal or Literal_Modifier one ("a Dallas medical clinic") a negative row; Mixed ones
(both at once: "a New York court", datelines) and Non_Literal_Modifier ones are scored, not trained on
(demonyms among the modifiers are left out: geomap does not classify demonyms). A row's features are ``geomap.recognition.metonymy.features`` of the gold span in
the document as geomap's pipeline parses it. The model is scikit-learn's ``LogisticRegression`` over the
features seen in at least MIN_COUNT training rows (so the lemma vocabulary comes from the training folds
only).

Cross-validation: 5 folds grouped by document (documents dealt round the folds in a shuffled order;
``--repeats`` does it again on other orders). In each, the threshold is chosen on the training documents
alone (their own inner out-of-fold probabilities): the lowest that keeps at most TARGET_LITERAL of their
Literal toponyms above it. Printed, pooled over the held-out folds: the share of Metonymic toponyms classed
metonymic (an actor), of Literal ones, of Mixed ones, and the same for the rule geomap used before (subject
of a verb of ``geomap/data/metonymic_verbs.txt``) on the same toponyms.

The final model is trained on every document, with the threshold from its own out-of-fold probabilities;
the export is checked against scikit-learn's probabilities (within 1e-9) before ``--write`` writes it.
Needs the [train] extra (scikit-learn). ``--docs`` caches the parsed documents (outside the repository).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geomap.candidates import default_gazetteer  # noqa: E402
from geomap.recognition.metonymy import MetonymyModel, features  # noqa: E402
from geomap.recognition.words import METONYMIC_VERBS  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "geomap" / "data" / "metonymy.json"
# Literal_Modifier ("a Dallas medical clinic") is a literal use too: without it a name before a noun
# looked like an actor ("a London doctor said")
LABELS = {"Metonymic": 1, "Literal": 0, "Literal_Modifier": 0}
SCORED = ("Metonymic", "Literal", "Mixed", "Literal_Modifier", "Non_Literal_Modifier")
C = 1.0               # regularisation (0.25 to 2 and MIN_COUNT 2 to 5: within .04 of Metonymic recall)
MIN_COUNT = 3         # features in fewer training rows are dropped
TARGET_LITERAL = 0.035  # the most Literal toponyms the threshold may class metonymic (training documents;
#                        .03: Metonymic .74-.78 held out, .04: Literal up to .046 on some splits)
SEED = 0


def load(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def parsed(texts: list[str], cache: str | None):
    from spacy.tokens import DocBin
    from geomap.nlp import load_pipeline
    nlp = load_pipeline()
    if cache and Path(cache).exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(texts):
            return docs
    docs = list(nlp.pipe(texts, batch_size=16))
    if cache:
        DocBin(docs=docs).to_disk(cache)
    return docs


def old_rule(doc, start: int, end: int) -> bool:
    """geomap's rule before the classifier: the subject of a verb of metonymic_verbs.txt."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    root = span.root
    return root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in METONYMIC_VERBS


def rows_of(records: list[dict], docs) -> tuple[list[dict], list[str], np.ndarray, np.ndarray]:
    gazetteer = default_gazetteer()
    rows, kinds, groups, rule = [], [], [], []
    for n, (record, doc) in enumerate(zip(records, docs)):
        for toponym in record["toponyms"]:
            if toponym.get("kind") in SCORED:
                row = features(doc, toponym["start"], toponym["end"], gazetteer)
                if "ent=NORP" in row and "Modifier" in toponym["kind"]:
                    continue   # a demonym ("Russian government"): geomap does not classify demonyms
                rows.append(row)
                kinds.append(toponym["kind"])
                groups.append(n)
                rule.append(old_rule(doc, toponym["start"], toponym["end"]))
    return rows, kinds, np.array(groups), np.array(rule)


def fit(rows: list[dict], y: np.ndarray):
    """A pruned vocabulary and a logistic regression on it: (vectorizer, model)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    counts: dict[str, int] = {}
    for row in rows:
        for name in row:
            counts[name] = counts.get(name, 0) + 1
    kept = [{k: v for k, v in row.items() if counts[k] >= MIN_COUNT} for row in rows]
    vectorizer = DictVectorizer()
    X = vectorizer.fit_transform(kept)
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(X, y)
    return vectorizer, model


def predict(fitted, rows: list[dict]) -> np.ndarray:
    vectorizer, model = fitted
    return model.predict_proba(vectorizer.transform(rows))[:, 1]


def export(fitted, threshold: float, about: dict | None = None) -> MetonymyModel:
    """The fitted model as geomap evaluates it: a weight per feature name (numpy, no scikit-learn)."""
    vectorizer, model = fitted
    weights = {name: float(w) for name, w in zip(vectorizer.feature_names_, model.coef_[0]) if w != 0.0}
    return MetonymyModel(weights, float(model.intercept_[0]), threshold=threshold, about=about)


def folds_of(groups: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """Each row's fold: its document's, the documents dealt round the folds in a shuffled order (the
    same split whichever toponyms are scored)."""
    docs = np.unique(groups)
    order = np.random.default_rng(seed).permutation(len(docs))
    fold_of = {int(doc): n % folds for n, doc in enumerate(docs[order])}
    return np.array([fold_of[int(g)] for g in groups])


def out_of_fold(rows: list[dict], y: np.ndarray, groups: np.ndarray, folds: int, seed: int) -> np.ndarray:
    probs = np.zeros(len(rows))
    fold = folds_of(groups, folds, seed)
    for k in range(folds):
        train, test = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        probs[test] = predict(fit([rows[i] for i in train], y[train]), [rows[i] for i in test])
    return probs


def threshold_for(probs: np.ndarray, literal: np.ndarray) -> float:
    """The lowest threshold that classes at most TARGET_LITERAL of the Literal toponyms metonymic."""
    ranked = np.sort(probs[literal])[::-1]
    allowed = int(TARGET_LITERAL * len(ranked))
    return float(min(max(ranked[allowed] + 1e-6, 0.05), 0.95)) if allowed < len(ranked) else 0.05


def shares(flags: np.ndarray, kinds: np.ndarray) -> dict[str, str]:
    return {k: f"{flags[kinds == k].mean():.3f} ({int(flags[kinds == k].sum())}/{int((kinds == k).sum())})"
            for k in SCORED}


def cross_validate(rows, kinds, groups, rule, folds: int, seed: int = SEED, quiet: bool = False) -> dict:
    """Held-out figures: each fold's model and threshold from the other folds' documents alone."""
    from sklearn.metrics import roc_auc_score
    kinds = np.array(kinds)
    trained = np.isin(kinds, list(LABELS))
    y = np.array([LABELS.get(k, -1) for k in kinds])
    flags = np.zeros(len(rows), dtype=bool)
    probs = np.zeros(len(rows))
    fold = folds_of(groups, folds, seed)
    for k in range(folds):
        train = np.flatnonzero((fold != k) & trained)
        test = np.flatnonzero(fold == k)
        inner = out_of_fold([rows[i] for i in train], y[train], groups[train], folds, seed + 1)
        threshold = threshold_for(inner, kinds[train] == "Literal")
        probs[test] = predict(fit([rows[i] for i in train], y[train]), [rows[i] for i in test])
        flags[test] = probs[test] >= threshold
        if not quiet:
            print(f"fold {k}: threshold {threshold:.3f}  classifier {shares(flags[test], kinds[test])}")
    scored = np.isin(kinds, ["Metonymic", "Literal"])
    figures = {"classifier": shares(flags, kinds), "old rule": shares(rule, kinds),
               "auc": round(float(roc_auc_score(kinds[scored] == "Metonymic", probs[scored])), 3)}
    if not quiet:
        for name in ("classifier", "old rule"):
            print(f"pooled, {name}: share classed metonymic (actor) by type: {figures[name]}")
        print(f"pooled out-of-fold AUC (Metonymic vs Literal): {figures['auc']:.3f}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--docs", help="cache of the parsed documents (a DocBin)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=0, help="cross-validate again on this many other splits")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(OUT.parents[2])}")
    args = parser.parse_args()
    records = load(args.corpus)
    docs = parsed([r["text"] for r in records], args.docs)
    rows, kinds, groups, rule = rows_of(records, docs)
    figures = cross_validate(rows, kinds, groups, rule, args.folds)
    for seed in range(SEED + 10, SEED + 10 + args.repeats):   # other splits: how much the figures move
        again = cross_validate(rows, kinds, groups, rule, args.folds, seed, quiet=True)["classifier"]
        figures.setdefault("other splits", []).append(f"Metonymic {again['Metonymic']}, Literal {again['Literal']}")
        print(f"split {seed}: {figures['other splits'][-1]}")

    trained = [i for i, k in enumerate(kinds) if k in LABELS]
    X_rows = [rows[i] for i in trained]
    y = np.array([LABELS[kinds[i]] for i in trained])
    literal = np.array([kinds[i] == "Literal" for i in trained])
    threshold = threshold_for(out_of_fold(X_rows, y, groups[trained], args.folds, SEED + 1), literal)
    fitted = fit(X_rows, y)
    exported = export(fitted, threshold, about={
        "data": f"GeoWebNews dev ({len(records)} articles): {int(y.sum())} Metonymic, {int((1 - y).sum())} "
                "Literal and Literal_Modifier toponyms (Mixed, Non_Literal_Modifier not trained on)",
        "model": f"LogisticRegression(C={C}, class_weight='balanced'), features in >= {MIN_COUNT} rows",
        "threshold": f"the lowest keeping <= {TARGET_LITERAL} of the Literal toponyms' out-of-fold "
                     "probabilities above it",
        "cross_validated": {"folds": f"{args.folds}, grouped by document", **figures},
    })
    gap = np.abs(exported.probabilities(rows) - predict(fitted, rows)).max()
    print(f"export against scikit-learn: largest difference {gap:.2e}; threshold {threshold:.3f}; "
          f"{len(exported.weights)} weights")
    if gap > 1e-9:
        raise SystemExit("the exported model does not reproduce scikit-learn's probabilities")
    if args.write:
        exported.save(OUT)
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
