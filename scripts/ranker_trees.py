"""The tree ranker for scripts/train_ranker.py ``--model trees``: gradient-boosted trees (scikit-learn's
HistGradientBoostingClassifier) on candidate rows (``tree_rows``: each candidate's features plus columns
relative to the other candidates of its mention, which a tree cannot compute from one row), labelled
"this candidate is the place meant". A mention's answer is its most probable candidate; no answer when
that probability is below a threshold chosen on the training folds (inner 3-fold by document, out of
fold): the one that answers right, or abstains where no candidate is meant, most often.

Not shipped: the best setting (PARAMS) gains .008 right place over the linear ranker in 5-fold CV, short
of the +.010 asked for carrying a second model at run time (scripts/README.md). ``tree_rows`` is numpy
only, so that it could move into geomap.resolution if a tree ranker ever ships.
"""
from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from geomap.resolution import FEATURES, HAND_WEIGHTS

# the best of the settings tried (scripts/README.md); "linear": the learned linear ranker's weight, fitted
# on the same training folds, is a column; "balance": each mention weighs the same (worse: .920 vs .927)
PARAMS = dict(linear=True, max_iter=300, learning_rate=0.05, max_leaf_nodes=15, max_depth=6, min_samples_leaf=20,
              l2_regularization=1.0, early_stopping=False, random_state=0)
THRESHOLDS = np.round(np.arange(0.0, 0.51, 0.02), 2)
_COLUMN = {name: i for i, name in enumerate(FEATURES)}
_HAND = np.array([HAND_WEIGHTS[f] for f in FEATURES])
# document-context rules whose presence on another candidate changes what this one is worth
PEER_RULES = ("doc_country", "doc_province", "pair_province", "nearby", "focus_province", "county_pair")
RELATIVE_COLUMNS = ("candidates", "population_gap", "population_rank", "linear_gap", "linear_share",
                    "peer_country") + tuple(f"peer_{rule}" for rule in PEER_RULES)
TREE_COLUMNS = FEATURES + RELATIVE_COLUMNS


def tree_rows(X: np.ndarray, starts: np.ndarray, weights: np.ndarray = _HAND) -> np.ndarray:
    """``X`` (one row of FEATURES per candidate) with RELATIVE_COLUMNS appended; ``weights``: the
    linear ranker whose view of the candidates is a column (the hand-set weights by default)."""
    X = np.asarray(X, dtype=np.float64)
    if len(X) == 0:
        return np.zeros((0, len(TREE_COLUMNS)))
    starts = np.asarray(starts, dtype=np.int64)
    sizes = np.diff(np.append(starts, len(X)))
    group = np.repeat(np.arange(len(starts)), sizes)

    def group_max(values):
        return np.maximum.reduceat(values, starts)[group]

    population = X[:, _COLUMN["log_population"]]
    linear = X @ weights   # the linear ranker's weight: its view of the candidates, as a column
    linear_gap = linear - group_max(linear)
    mass = np.exp(linear_gap)
    share = mass / np.add.reduceat(mass, starts)[group]
    countries = X[:, [_COLUMN["country"], _COLUMN["dependency"], _COLUMN["continent"]]].max(axis=1)
    # the rank of a candidate's population among its mention's candidates (0: the largest; ties share)
    order = np.lexsort((-population, group))
    ordered = population[order]
    position = np.arange(len(X)) - starts[group[order]]
    new = np.ones(len(X), dtype=bool)
    new[1:] = (ordered[1:] != ordered[:-1]) | (group[order][1:] != group[order][:-1])
    rank = np.empty(len(X))
    rank[order] = np.maximum.accumulate(np.where(new, np.arange(len(X)), 0)) - \
        (np.arange(len(X)) - position)
    relative = [sizes[group].astype(np.float64), population - group_max(population), rank, linear_gap, share,
                group_max(countries)] + [group_max(X[:, _COLUMN[rule]]) for rule in PEER_RULES]
    return np.column_stack([X] + relative)


def stacked(groups, weights=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All the groups' candidate rows, their labels, and where each group starts."""
    sizes = np.array([len(g[1]) for g in groups])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    X = np.vstack([g[1] for g in groups])
    X = tree_rows(X, starts) if weights is None else tree_rows(X, starts, weights)
    return X, np.concatenate([g[2] for g in groups]).astype(int), starts


class Fitted:
    """Trees, and the linear weights whose score is one of their columns (None: the hand-set ones)."""
    def __init__(self, groups, params: dict):
        params = dict(params)
        linear, balance = params.pop("linear", False), params.pop("balance", False)
        self.weights = None
        if linear:   # the learned linear ranker, fitted on the same groups, as a column
            from train_ranker import HAND_WEIGHTS, FEATURES, fit
            self.weights, _ = fit(groups, np.array([HAND_WEIGHTS[f] for f in FEATURES]), 1.0)
        X, y, starts = stacked(groups, self.weights)
        constraints = params.get("monotonic_cst")
        if isinstance(constraints, dict):   # {column name: +1/-1}
            params["monotonic_cst"] = [constraints.get(c, 0) for c in TREE_COLUMNS]
        # balance: each mention weighs the same however many candidates it has
        sample_weight = np.repeat(1.0 / np.diff(np.append(starts, len(X))), np.diff(np.append(starts, len(X))))
        self.model = HistGradientBoostingClassifier(**params).fit(
            X, y, sample_weight=sample_weight * len(groups) / sample_weight.sum() if balance else None)

    def probabilities(self, groups) -> list[np.ndarray]:
        """Each group's candidates' probability of being the place meant."""
        if not groups:
            return []
        X, _, starts = stacked(groups, self.weights)
        return np.split(self.model.predict_proba(X)[:, 1], starts[1:])


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
        model = Fitted([groups[i] for i in train], params)
        for i, p in zip(test, model.probabilities([groups[i] for i in test])):
            probs[i] = p
    return probs


def train(groups, params: dict):
    """The model on all of ``groups`` and its threshold (chosen out of fold on them)."""
    return Fitted(groups, params), threshold_for(groups, out_of_fold(groups, params))


def cross_validate(groups, params: dict, splits) -> tuple[list, list]:
    """As train_ranker.linear_validate: per split, the figures on the held-out groups, and each held-out
    group's (answer, abstained, group)."""
    scores, held_out = [], []
    for train_idx, test_idx in splits:
        model, threshold = train([groups[i] for i in train_idx], params)
        tested = [groups[i] for i in test_idx]
        probs = model.probabilities(tested)
        scores.append(evaluate(tested, probs, threshold) | {"threshold": threshold})
        answered = answers(tested, probs)
        held_out.append([(a, a[0] < threshold, g) for a, g in zip(answered, tested)])
    return scores, held_out
