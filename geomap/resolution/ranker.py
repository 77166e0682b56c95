"""The ranker: weighs each mention's candidates, pools the mentions of one name, and chooses one
place (or none) with a calibrated score."""
from __future__ import annotations

import importlib.resources
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import numpy

from ..models import Candidate, Resolution
from .context import Context
from .cues import Cue
from .features import HAND_WEIGHTS, HINT_WEIGHT, USER_PLACE_WEIGHT, Peers, features


@dataclass(frozen=True)
class Ranker:
    weights: dict[str, float]
    none: Optional[float] = None   # the weight of "none of these candidates" (trained rankers only)
    calibration: Optional[dict] = None   # isotonic curve: softmax share -> probability of the place meant

    def score(self, share: float) -> float:
        if not self.calibration:
            return share
        return float(numpy.interp(share, self.calibration["share"], self.calibration["score"]))


@lru_cache(maxsize=1)
def shipped_ranker() -> Ranker:
    """The trained ranker (geomap/data/ranker.json, written by scripts/train_ranker.py) when it
    exists, else the hand-set weights."""
    path = Path(str(importlib.resources.files("geomap").joinpath("data").joinpath("ranker.json")))
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        return Ranker(data["weights"], data.get("none"), data.get("calibration"))
    return Ranker(HAND_WEIGHTS)


def weight(candidate: Candidate, context: Context, cue: Optional[Cue] = None, key: str = "", *,
           peers: Peers = Peers()) -> float:
    weights = (context.ranker or shipped_ranker()).weights
    # a feature the trained file lacks (added since it was trained) weighs its hand-set weight
    weights = weights if len(weights) == len(HAND_WEIGHTS) else {**HAND_WEIGHTS, **weights}
    hinted = context.hint is not None and not candidate.is_country and candidate.country_code == context.hint
    return sum(weights.get(name, 0.0) * value
               for name, value in features(candidate, context, cue, key, peers=peers).items()) + HINT_WEIGHT * hinted + \
        USER_PLACE_WEIGHT * candidate.is_user_place + \
        (context.near.weight(candidate) if context.near is not None else 0.0)


def rank(candidates: tuple[Candidate, ...], context: Context, cue: Optional[Cue] = None, key: str = "") -> Resolution:
    return rank_together([candidates], context, [cue], key)[0]


def rank_together(groups: list[tuple[Candidate, ...]], context: Context, cues: list[Optional[Cue]],
                  key: str = "", *, parts: Optional[list[bool]] = None) -> list[Resolution]:
    """One Resolution for each of several mentions of one name: the candidate with the most weight
    over all of them, and its share of the weight (softmax over candidates) as the score.

    The mentions' candidate lists can differ ("CAIRO" in a dateline reads as an acronym, so its town
    of Cairo is dropped; a compound's part has only regions). Candidates are aligned by place id, each
    weighed by the mentions that can mean it, and the mentions of the name choose among the union of
    their lists: one sense per name, and "Cairo" written plainly shows what "CAIRO" means. A compound's
    part chooses among its own regions only, since the compound is built on a region.
    """
    parts = parts or [False] * len(groups)
    pooled = pooled_weights(groups, context, cues, key)
    shared = union([group for group, part in zip(groups, parts) if not part])
    # a part with a single region candidate is that region: the compound was built only because the
    # gazetteer knows the name as a region, so "none of them" is no option (Malaita: no population)
    model = context.ranker or shipped_ranker()
    return [choose(group if part else shared, pooled, model, sure=part and len(group) == 1)
            for group, part in zip(groups, parts)]


def pooled_weights(groups: list[tuple[Candidate, ...]], context: Context, cues: list[Optional[Cue]],
                   key: str) -> dict[int, float]:
    """Each candidate's weight, by place id, averaged over the mentions whose lists hold it."""
    sums: dict[int, float] = {}
    counts: dict[int, int] = {}
    for group, cue in zip(groups, cues):
        peers = Peers.of(group)
        for candidate in group:
            sums[candidate.place_id] = sums.get(candidate.place_id, 0.0) + weight(
                candidate, context, cue, key, peers=peers)
            counts[candidate.place_id] = counts.get(candidate.place_id, 0) + 1
    return {place_id: total / counts[place_id] for place_id, total in sums.items()}


def union(groups: list[tuple[Candidate, ...]]) -> tuple[Candidate, ...]:
    """The candidates of several lists, each place once, in gazetteer order (countries first)."""
    seen: dict[int, Candidate] = {}
    for group in groups:
        for candidate in group:
            seen.setdefault(candidate.place_id, candidate)
    return tuple(sorted(seen.values(), key=lambda c: c.place_id))


def choose(candidates: tuple[Candidate, ...], weights_by_id: dict[int, float], model: Ranker, *,
           sure: bool = False) -> Resolution:
    """The heaviest candidate and its calibrated softmax share; no answer when "none of them" outweighs
    all the candidates together (the place meant is more likely missing from the gazetteer than any of
    them), unless ``sure``. A less likely answer is given, with its low score."""
    if not candidates:
        return Resolution(None, 0.0)
    weights = [weights_by_id[c.place_id] for c in candidates]
    top = max(weights)
    # ties go to the lower gazetteer id: deterministic, and countries come first in the file
    best = candidates[weights.index(top)]
    candidates_mass = sum(math.exp(w - top) for w in weights)
    none_mass = math.exp(min(model.none - top, 700.0)) if model.none is not None else 0.0
    if none_mass > candidates_mass and not sure:
        return Resolution(None, 0.0)  # most likely none of them: no answer rather than a wild guess
    # the softmax share, "none of them" included, mapped to the probability that this is the place meant
    return Resolution(best, round(model.score(1.0 / (candidates_mass + none_mass)), 4))

