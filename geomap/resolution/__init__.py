"""Toponym resolution: choose the gazetteer entry each mention means, with a score in [0, 1].

A linear ranker: each candidate's weight is a weighted sum of ``features`` — its kind (countries and
continents before towns of the same name), prominence (population, capital), how its name matched,
and the document's context (countries and provinces it names, "Stavanger, Norway" pairs, nearness to
the towns chosen for other names). The weights are trained (geomap/data/ranker.json, from
scripts/train_ranker.py) with the hand-set ones (geomap/data/ranker_prior.tsv) as prior and fallback.
The score is the chosen candidate's softmax share against the other candidates and "none of them",
mapped through the trained calibration curve to the probability that it is the place meant. A mention
with no candidate, or whose best candidate is weaker than "none of them", gets no answer.

The stages, one module each: ``cues`` (the words around one mention), ``context`` (what the whole
document says), ``features`` (what is weighed), ``ranker`` (weigh, pool, choose).
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from ..candidates import Gazetteer
from ..models import Candidate, Mention, Resolution
from ..names import is_acronym, name_key
from .context import (EARTH_KM, NEARBY_KM, Context, admin2_codes, document_counties, document_countries,
                      document_provinces, local_provinces)
from .cues import Cue, called_county, called_province, called_town, named_province, pair_country, pair_provinces
from .near import Near
from .features import FEATURES, HAND_WEIGHTS, HINT_WEIGHT, Peers, features
from .ranker import Ranker, rank, rank_together, shipped_ranker, weight

INNER = "INNER"   # found_by of a region named inside a compound mention (with_inner_names)
ANCHOR_MIN_SCORE = 0.5  # a town the first pass was unsure of is no evidence for its neighbours

__all__ = ["resolve_mentions", "prepare", "where_is", "Near", "Resolution", "Ranker", "shipped_ranker", "Context", "Cue",
           "features", "weight", "Peers", "FEATURES", "HAND_WEIGHTS", "HINT_WEIGHT", "NEARBY_KM", "EARTH_KM",
           "called_county", "called_province", "called_town", "compound_resolution", "inner_names", "INNER"]


def resolve_mentions(text: str, mentions: list[Mention], gazetteer: Gazetteer, *,
                     country_hint: Optional[str] = None, ranker: Optional["Ranker"] = None,
                     near: Optional[Near] = None) -> list[Resolution]:
    """One Resolution per mention, in order.

    Two passes: the first ranks each mention on its own context (kind, prominence, countries and
    provinces the document names, "Town, Country" pairs); the second adds the evidence of the
    places the first pass was sure of (a candidate near them gains) and gives every mention of the
    same name the same place (one sense per name per document). A compound's parts are mentions of
    their own in that second pass, their candidates restricted to regions (``part_candidates``); a
    compound with a part that cannot be placed gets no answer (candidate None, no parts). ``ranker``
    defaults to the trained one that ships (``shipped_ranker()``); ``near``: where the documents come
    from (``where_is``), whose country also serves as ``country_hint`` when none is given.
    """
    candidates, context, cues, keys = prepare(text, mentions, gazetteer, country_hint=country_hint, ranker=ranker,
                                              near=near)
    parts = [part for mention in mentions for part in mention.parts]
    candidates = list(candidates) + [part_candidates(part, gazetteer) for part in parts]
    cues = list(cues) + [None] * len(parts)
    keys = list(keys) + [name_key(part.text) for part in parts]
    is_part = [False] * len(mentions) + [True] * len(parts)
    by_name: dict[str, list[int]] = {}
    for i, found in enumerate(candidates):
        if found:  # a compound itself has none: its parts do
            by_name.setdefault(keys[i], []).append(i)
    out = [Resolution(None, 0.0)] * len(candidates)
    for key, indexes in by_name.items():
        ranked = rank_together([candidates[i] for i in indexes], context, [cues[i] for i in indexes], key,
                               parts=[is_part[i] for i in indexes])
        for i, resolution in zip(indexes, ranked):
            out[i] = resolution
    part_resolutions = iter(out[len(mentions):])
    return [compound_resolution([next(part_resolutions) for _ in mention.parts]) if mention.compound else out[i]
            for i, mention in enumerate(mentions)]


def prepare(text: str, mentions: list[Mention], gazetteer: Gazetteer, *, country_hint: Optional[str] = None,
            ranker: Optional["Ranker"] = None, near: Optional[Near] = None):
    """Candidates, document context (after the first pass), cues and name keys for each mention."""
    if near is not None and country_hint is None:
        country_hint = near.country_code
    candidates = [candidates_for(m, gazetteer) for m in mentions]
    keys = [name_key(m.text) for m in mentions]
    cues = [Cue(pair_country(text, mentions, candidates, i), called_county(text, m.start, m.end),
                pair_provinces(text, mentions, candidates, i), called_town(text, m.start, m.end),
                called_province(text, m.start, m.end))
            for i, m in enumerate(mentions)]
    # a province named as a compound's part ("southern Nevada") is named by the document too
    parts = [part for m in mentions if m.compound for part in m.parts]
    provinces = document_provinces(keys + [name_key(p.text) for p in parts],
                                   candidates + [part_candidates(p, gazetteer) for p in parts])
    countries = document_countries(mentions, candidates, gazetteer)
    context = Context(set(countries), provinces, country_names=countries,
                      ranker=ranker or shipped_ranker(),
                      counties=document_counties(keys, candidates, cues),
                      county_codes=admin2_codes(keys, candidates, lambda c: c.feature == "ADM2"),
                      town_codes=admin2_codes(keys, candidates, lambda c: c.kind == "point" and c.feature.startswith("PPL")),
                      local_provinces=local_provinces(keys, candidates))
    context.near = near
    if country_hint:
        context.countries.add(country_hint.upper())
        context.hint = country_hint.upper()
    first = [rank(candidates[i], context, cues[i], keys[i]) for i in range(len(mentions))]
    anchors, votes = [], []
    for key, r in zip(keys, first):
        c = r.candidate
        if c is None or r.score < ANCHOR_MIN_SCORE:
            continue
        if c.kind == "point" or c.feature == "ADM2":   # a town, or a county by its seat
            anchors.append((key, (c.lat, c.lon)))
        votes.append((key, c.country_code, None if c.is_country or not c.admin1 else (c.country_code, c.admin1)))
        if c.kind == "point" or c.feature == "ADM2":
            context.held.setdefault(c.country_code, set()).add(key)
            if c.admin1:
                context.held.setdefault((c.country_code, c.admin1), set()).add(key)
    context.set_anchors(anchors)
    context.set_focus(votes)
    return candidates, context, cues, keys


def candidates_for(mention: Mention, gazetteer: Gazetteer) -> tuple[Candidate, ...]:
    if mention.compound:
        return ()  # a compound is placed through its parts (part_candidates)
    found = gazetteer.lookup(mention.text, True)
    name = None if found else named_province(mention.text)
    if name:   # "Kermanshah province", one span: the provinces of that name
        found = tuple(c for c in gazetteer.lookup(name, True) if c.feature == "ADM1")
    if mention.role == "demonym":
        return tuple(c for c in found if c.matched == "demonym")
    if is_acronym(mention.text):
        # "EU" is the European Union, not the town of Eu: an acronym means what is written in capitals
        return tuple(c for c in found if c.matched != "folded") or found
    return found

def part_candidates(part: Mention, gazetteer: Gazetteer) -> tuple[Candidate, ...]:
    """The regions a compound's part can mean. All of them, not countries only: the ranker puts a
    country first unless the document says otherwise ("Florida, Alabama ... Georgia's coast")."""
    return tuple(c for c in gazetteer.lookup(part.text) if c.kind == "region")


def compound_resolution(sides: list[Resolution]) -> Resolution:
    """A compound from its parts' resolutions; the score is the weakest part's. A part that cannot be
    placed leaves the whole compound unplaced."""
    if not sides or any(side.candidate is None for side in sides):
        return Resolution(None, 0.0)
    return Resolution(None, min(side.score for side in sides), tuple(side.candidate for side in sides),
                      tuple(side.score for side in sides))


def inner_names(mention: Mention, resolution: Resolution, *, demonyms: bool = False
                ) -> list[tuple[Mention, Resolution]]:
    """The regions named inside a placed compound, as mentions of their own with their resolutions: "Syria" in
    "Syria's Mediterranean coast", "Kansas" in "central Kansas". The text names those places too, and a reader
    (or an annotator) counts them; each keeps the place and score it has as the compound's part. A part written
    elsewhere ("the country": its earlier mention, which has its own row) gives none, and one named by its
    demonym ("southern Sudanese", "the Turkish border") only with ``demonyms``, as a demonym."""
    if not mention.compound or not resolution.parts:
        return []
    out = []
    for part, candidate, score in zip(mention.parts, resolution.parts, resolution.part_scores):
        demonym = candidate.matched == "demonym"
        if mention.start <= part.start and part.end <= mention.end and (demonyms or not demonym):
            out.append((replace(part, label=INNER, role="demonym" if demonym else "literal"),
                        Resolution(candidate, score)))
    return out


def where_is(value, gazetteer: Gazetteer) -> Optional[Near]:
    """The user's ``near``, as a Near: a place name resolved as a text naming it would be ("Macon,
    Georgia": Macon in Georgia), a (latitude, longitude) pair, or a Near; None stays None."""
    if value is None or isinstance(value, Near):
        return value
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return Near.of_point(*value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"near must be a place name or a (latitude, longitude) pair, not {value!r}")
    text = value.strip()
    mentions = []
    for part in re.finditer(r"[^,]+", text):   # "Macon, Georgia": each part a mention, as in a text
        name = part.group().strip()
        if name:
            begin = part.start() + part.group().index(name)
            mentions.append(Mention(begin, begin + len(name), name, "GIVEN"))
    found = resolve_mentions(text, mentions, gazetteer)[0].candidate if mentions else None
    if found is None and mentions:
        # the user says it is a place: its most prominent sense (a country, else the most populous)
        # even where the ranker would answer "none of them" in running text ("Ajaria")
        found = max(gazetteer.lookup(mentions[0].text, True), key=lambda c: (c.is_country, c.population), default=None)
    if found is None:
        raise ValueError(f"near: the gazetteer has no place {value!r}")
    return Near.of_candidate(found)
