"""Features: what the ranker weighs for one candidate of one mention, and the hand-set prior weights
(geomap/data/ranker_prior.tsv: the fallback when no trained ranker ships, and the trainer's prior)."""
from __future__ import annotations

import csv
import importlib.resources
import math
from dataclasses import dataclass
from typing import Optional

from ..models import Candidate
from .context import Context
from .cues import Cue


def _prior_weights() -> dict[str, float]:
    """The hand-set weights (log-odds-like), with a line each on why, from ranker_prior.tsv."""
    path = importlib.resources.files("geomap").joinpath("data").joinpath("ranker_prior.tsv")
    with path.open(encoding="utf-8") as handle:
        return {row["feature"]: float(row["weight"]) for row in csv.DictReader(handle, delimiter="\t")}


HAND_WEIGHTS = _prior_weights()
FEATURES = tuple(HAND_WEIGHTS)
# The caller's country_hint, on top of doc_country: the user's word, not the text's. Not learned (no
# corpus carries a hint): a local place of that country gains as much as from a "Town, Country" pair.
HINT_WEIGHT = 5.0
# A place from the user's own gazetteer (geomap gazetteer add): the user's word that the name is a place
# worth finding, so "none of them" does not win against it by default. Not learned either (no corpus
# carries a user's places); a village of theirs with no population and no context clears "none".
USER_PLACE_WEIGHT = 4.0


@dataclass(frozen=True, slots=True)
class Peers:
    """What one mention's candidates say about each other."""
    count: int = 0
    seats: frozenset = frozenset()   # (country, admin1) of the provincial seats and capitals among them
    top_population: int = 0          # the largest population of a town among them

    @classmethod
    def of(cls, candidates: tuple[Candidate, ...]) -> "Peers":
        return cls(len(candidates),
                   frozenset((c.country_code, c.admin1) for c in candidates if c.feature in ("PPLA", "PPLC") and c.admin1),
                   max((c.population for c in candidates if c.kind == "point"), default=0))


def features(candidate: Candidate, context: Context, cue: Optional[Cue] = None, key: str = "", *,
             peers: Peers = Peers()) -> dict[str, float]:
    """What the ranker weighs for one candidate of one mention (see HAND_WEIGHTS); ``sole``: the
    ``peers``: the mention's candidates, all together."""
    sole, seats = peers.count == 1, peers.seats
    cue = cue or Cue()
    feature = candidate.feature
    kinds = {"country": feature == "PCLI", "dependency": feature in ("PCLD", "PCLS"), "continent": feature == "CONT",
             "macro_region": feature == "RGN", "province": feature == "ADM1"}
    local = not candidate.is_country
    county = feature == "ADM2"
    pair = cue.pair
    code = (candidate.country_code, candidate.admin1)
    focus_country, focus_province = context.focus(key) if local else (None, None)
    out = {
        **{k: float(v) for k, v in kinds.items()},
        "physical": float(candidate.population == 0 and candidate.kind == "region" and not any(kinds.values())
                          and not county),
        "log_population": math.log10(candidate.population + 1),
        "capital": float(feature == "PPLC"),
        "admin_seat": float(feature in ("PPLA", "PPLA2")),
        # a country is named outright, or through its provinces ("Alabama and Tennessee" are the US)
        "doc_country": float(local and (context.names_country(candidate.country_code, key)
                                        or context.has_peer_province(candidate.country_code, key))),
        "doc_province": float(local and context.has_province(code, key)),
        "pair": float(local and bool(pair) and candidate.country_code == pair),
        "pair_province": float(local and feature != "ADM1" and code in cue.provinces),
        "town_cue": float(cue.town and candidate.kind == "point" and feature.startswith("PPL")),
        "namesake_province": float(feature == "ADM1" and code in seats),
        "called_province": float(feature == "ADM1" and cue.province),
        # log: the first supporting names count most; a list of 30 Connecticut towns is no surer than 5
        "province_support": math.log1p(context.province_support(code, key))
        if local and (candidate.kind == "point" or county) and candidate.admin1 else 0.0,
        # of several towns of one name, the largest: a step, not the slope log_population gives
        "most_populous": float(candidate.kind == "point" and not sole and candidate.population > 0
                               and candidate.population == peers.top_population),
        "county_pair": float((county or (candidate.kind == "point" and feature.startswith("PPL")))
                             and context.county_pair(candidate, key)),
        "province_peers": float(feature == "ADM1" and context.has_peer_province(candidate.country_code, key)),
        # a town, or a county by its point (its seat): regions with a polygon are judged by containment
        "nearby": float(local and (candidate.kind == "point" or county) and context.near_anchor(candidate, key)),
        "adm2": float(county),
        "called_county": float(county and cue.county),
        "county_peers": float(county and context.has_peer_county(code, key)),
        "focus_country": float(local and focus_country is not None and candidate.country_code == focus_country),
        "focus_province": float(local and focus_province is not None and code == focus_province),
        "population_unknown": float(candidate.kind == "point" and candidate.population == 0),
        "sole_candidate": float(sole),
        # "Georgia" with Atlanta and Macon is the state; with Tbilisi, the country
        "holds_chosen": float((candidate.is_country and context.holds_chosen(candidate.country_code, key))
                              or (feature == "ADM1" and bool(candidate.admin1) and context.holds_chosen(code, key))),
    }
    for how in ("folded", "alias", "abbreviation", "demonym", "fuzzy"):
        out[f"match_{how}"] = float(candidate.matched == how)
    return out
