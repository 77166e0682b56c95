"""The rows the tree ranker reads: each candidate's ``features`` plus columns relative to the other
candidates of its mention, which a tree cannot compute from one row (is this the largest town of the
name? does another candidate lie in a province the document names?). Numpy only; the rows of many
mentions are built at once, each mention a run of consecutive rows starting at ``starts``."""
from __future__ import annotations

import numpy

from .features import FEATURES, HAND_WEIGHTS

_COLUMN = {name: i for i, name in enumerate(FEATURES)}
_HAND = numpy.array([HAND_WEIGHTS[f] for f in FEATURES])
# document-context rules whose presence on another candidate changes what this one is worth
PEER_RULES = ("doc_country", "doc_province", "pair_province", "nearby", "focus_province", "county_pair")
RELATIVE_COLUMNS = ("candidates", "population_gap", "population_rank", "hand_gap", "hand_share",
                    "peer_country") + tuple(f"peer_{rule}" for rule in PEER_RULES)
TREE_COLUMNS = FEATURES + RELATIVE_COLUMNS


def tree_rows(X: numpy.ndarray, starts: numpy.ndarray) -> numpy.ndarray:
    """``X`` (one row of FEATURES per candidate) with RELATIVE_COLUMNS appended."""
    X = numpy.asarray(X, dtype=numpy.float64)
    if len(X) == 0:
        return numpy.zeros((0, len(TREE_COLUMNS)))
    starts = numpy.asarray(starts, dtype=numpy.int64)
    sizes = numpy.diff(numpy.append(starts, len(X)))
    group = numpy.repeat(numpy.arange(len(starts)), sizes)

    def group_max(values):
        return numpy.maximum.reduceat(values, starts)[group]

    population = X[:, _COLUMN["log_population"]]
    hand = X @ _HAND   # the hand-set linear weight: the prior's view of the candidates, as a column
    hand_gap = hand - group_max(hand)
    mass = numpy.exp(hand_gap)
    share = mass / numpy.add.reduceat(mass, starts)[group]
    countries = X[:, [_COLUMN["country"], _COLUMN["dependency"], _COLUMN["continent"]]].max(axis=1)
    # the rank of a candidate's population among its mention's candidates (0: the largest; ties share)
    order = numpy.lexsort((-population, group))
    ordered = population[order]
    position = numpy.arange(len(X)) - starts[group[order]]
    new = numpy.ones(len(X), dtype=bool)
    new[1:] = (ordered[1:] != ordered[:-1]) | (group[order][1:] != group[order][:-1])
    rank = numpy.empty(len(X))
    rank[order] = numpy.maximum.accumulate(numpy.where(new, numpy.arange(len(X)), 0)) - \
        (numpy.arange(len(X)) - position)
    relative = [sizes[group].astype(numpy.float64), population - group_max(population), rank, hand_gap, share,
                group_max(countries)] + [group_max(X[:, _COLUMN[rule]]) for rule in PEER_RULES]
    return numpy.column_stack([X] + relative)
