"""The tree ranker for scripts/train_ranker.py ``--model trees``: gradient-boosted trees (scikit-learn's
HistGradientBoostingClassifier) on candidate rows (``geomap.resolution.trees.tree_rows``), labelled
"this candidate is the place meant". A mention's answer is its most probable candidate; no answer when
that probability is below a threshold chosen on the training folds (inner 3-fold by document, out of
fold): the one that answers right, or abstains where no candidate is meant, most often.
"""
from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from geomap.resolution.trees import TREE_COLUMNS, tree_rows

PARAMS = dict(max_iter=200, learning_rate=0.1, max_leaf_nodes=15, max_depth=6, min_samples_leaf=20,
              l2_regularization=1.0, early_stopping=False, random_state=0)
THRESHOLDS = np.round(np.arange(0.0, 0.51, 0.02), 2)


def stacked(groups) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All the groups' candidate rows, their labels, and where each group starts."""
    sizes = np.array([len(g[1]) for g in groups])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    X = tree_rows(np.vstack([g[1] for g in groups]), starts)
    return X, np.concatenate([g[2] for g in groups]).astype(int), starts


def fit_trees(groups, params: dict) -> HistGradientBoostingClassifier:
    X, y, _ = stacked(groups)
    constraints = params.get("monotonic_cst")
    if isinstance(constraints, dict):   # {column name: +1/-1}
        params = {**params, "monotonic_cst": [constraints.get(c, 0) for c in TREE_COLUMNS]}
    return HistGradientBoostingClassifier(**params).fit(X, y)


def probabilities(model, groups) -> list[np.ndarray]:
    """Each group's candidates' probability of being the place meant."""
    if not groups:
        return []
    X, _, starts = stacked(groups)
    return np.split(model.predict_proba(X)[:, 1], starts[1:])


def answers(groups, probs) -> list[tuple[float, bool, bool]]:
    """(probability, is the place meant, is within 161 km) of each mention's most probable candidate."""
    out = []
    for (_, _, y, km, *_), p in zip(groups, probs):
        best = int(np.argmax(p))
        out.append((float(p[best]), bool(y[best]), bool(km[best] <= 161)))
    return out


def evaluate(groups, probs, threshold: float) -> dict:
    """As train_ranker.evaluate: an unanswered mention counts as wrong."""
    meant = near = unanswered = 0
    for p, right, close in answers(groups, probs):
        if p < threshold:
            unanswered += 1
            continue
        meant += right
        near += close
    n = len(groups)
    return {"mentions": n, "right_place": round(meant / n, 4), "acc161": round(near / n, 4),
            "unanswered": unanswered}


def threshold_for(groups, probs) -> float:
    """The threshold under which answering is worse than abstaining: right answers plus abstentions
    where no candidate is meant, most (the lowest threshold among equals)."""
    answered = answers(groups, probs)
    nothing_meant = np.array([not g[2].any() for g in groups])
    p = np.array([a[0] for a in answered])
    right = np.array([a[1] for a in answered])
    gains = [((p >= t) & right).sum() + ((p < t) & nothing_meant).sum() for t in THRESHOLDS]
    return float(THRESHOLDS[int(np.argmax(gains))])


def out_of_fold(groups, params: dict, k: int = 3) -> list[np.ndarray]:
    """Probabilities for ``groups``, each from a model fitted on the other folds (grouped by document)."""
    docs = np.array([g[0] for g in groups])
    probs: list = [None] * len(groups)
    for train, test in GroupKFold(n_splits=k).split(docs, groups=docs):
        model = fit_trees([groups[i] for i in train], params)
        for i, p in zip(test, probabilities(model, [groups[i] for i in test])):
            probs[i] = p
    return probs


def train(groups, params: dict):
    """The model on all of ``groups`` and its threshold (chosen out of fold on them)."""
    return fit_trees(groups, params), threshold_for(groups, out_of_fold(groups, params))


def cross_validate(groups, params: dict, splits) -> tuple[list, list]:
    """As train_ranker.linear_validate: per split, the figures on the held-out groups, and each held-out
    group's (answer, abstained, group)."""
    scores, held_out = [], []
    for train_idx, test_idx in splits:
        model, threshold = train([groups[i] for i in train_idx], params)
        tested = [groups[i] for i in test_idx]
        probs = probabilities(model, tested)
        scores.append(evaluate(tested, probs, threshold) | {"threshold": threshold})
        answered = answers(tested, probs)
        held_out.append([(a, a[0] < threshold, g) for a, g in zip(answered, tested)])
    return scores, held_out
