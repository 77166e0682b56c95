"""Toponym resolution: choose the gazetteer entry each mention means, with a score in [0, 1].

First rule (later issues learn a ranker): a weight per candidate from its kind (countries and
continents before towns of the same name), its prominence (population, capital) and the document's
context (a country named in the document, "Stavanger, Norway" pairs), and the score is the chosen
candidate's share of the total weight. A mention with no candidate gets no answer.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Optional

from .candidates import Gazetteer
from .models import Candidate, Mention

# Feature classes a writer usually means when a name is shared: a country before a town named after it.
KIND_BONUS = {"PCLI": 6.0, "PCLD": 5.0, "PCLS": 5.0, "CONT": 5.0, "RGN": 4.0, "ADM1": 0.5}
PHYSICAL_BONUS = 3.0        # seas, rivers, deserts: unique names, no population
CAPITAL_BONUS = 1.0
ADMIN_SEAT_BONUS = 0.3
POPULATION_WEIGHT = 0.6      # per order of magnitude
DOCUMENT_COUNTRY_BONUS = 2.5
PAIR_BONUS = 5.0
MATCH_PENALTY = {"name": 0.0, "folded": 0.2, "alias": 1.0, "abbreviation": 1.0, "demonym": 1.0, "fuzzy": 2.0}
_PAIR_GAP = re.compile(r"^\s*,\s*$")


@dataclass(frozen=True, slots=True)
class Resolution:
    candidate: Optional[Candidate]
    score: float
    parts: tuple[Candidate, ...] = ()   # a compound's regions (a border's two sides; a coast's country, sea)


def resolve_mentions(text: str, mentions: list[Mention], gazetteer: Gazetteer, *,
                     country_hint: Optional[str] = None) -> list[Resolution]:
    """One Resolution per mention, in order."""
    candidates = [candidates_for(m, gazetteer) for m in mentions]
    context = document_countries(mentions, candidates, gazetteer)
    if country_hint:
        context.add(country_hint.upper())
    out = []
    for i, mention in enumerate(mentions):
        if mention.compound:
            out.append(resolve_compound(mention, gazetteer))
            continue
        pair = pair_country(text, mentions, candidates, i)
        out.append(rank(candidates[i], context, pair))
    return out


def candidates_for(mention: Mention, gazetteer: Gazetteer) -> tuple[Candidate, ...]:
    if mention.compound:
        return ()  # compounds resolve their parts (resolve_compound)
    found = gazetteer.lookup(mention.text, True)
    if mention.role == "demonym":
        return tuple(c for c in found if c.matched == "demonym")
    return found


def document_countries(mentions, candidates, gazetteer: Gazetteer) -> set[str]:
    """Country codes of the countries the document names (by name, or as a side of a border)."""
    codes = set()
    for mention, cands in zip(mentions, candidates):
        if mention.compound:
            codes.update(c.country_code for part in mention.parts for c in gazetteer.lookup(part) if c.is_country)
        codes.update(c.country_code for c in cands if c.is_country and c.matched in ("name", "folded"))
    return codes


def pair_country(text: str, mentions, candidates, i: int) -> Optional[str]:
    """In "Stavanger, Norway" the second name fixes the country of the first."""
    if i + 1 >= len(mentions):
        return None
    nxt = mentions[i + 1]
    if not _PAIR_GAP.match(text[mentions[i].end:nxt.start]):
        return None
    countries = [c.country_code for c in candidates[i + 1] if c.is_country]
    return countries[0] if countries else None


def weight(candidate: Candidate, context: set[str], pair: Optional[str]) -> float:
    score = KIND_BONUS.get(candidate.feature, 0.0)
    if candidate.population == 0 and candidate.kind == "region" and candidate.feature not in KIND_BONUS:
        score += PHYSICAL_BONUS
    score += POPULATION_WEIGHT * math.log10(candidate.population + 1)
    if candidate.feature == "PPLC":
        score += CAPITAL_BONUS
    elif candidate.feature in ("PPLA", "PPLA2"):
        score += ADMIN_SEAT_BONUS
    if candidate.country_code in context and not candidate.is_country:
        score += DOCUMENT_COUNTRY_BONUS
    if pair and candidate.country_code == pair and not candidate.is_country:
        score += PAIR_BONUS
    score -= MATCH_PENALTY.get(candidate.matched, 1.0)
    return score


def rank(candidates: tuple[Candidate, ...], context: set[str], pair: Optional[str]) -> Resolution:
    if not candidates:
        return Resolution(None, 0.0)
    weights = [weight(c, context, pair) for c in candidates]
    top = max(weights)
    # ties go to the lower gazetteer id: deterministic, and countries come first in the file
    best = candidates[weights.index(top)]
    share = 1.0 / sum(math.exp(w - top) for w in weights)
    return Resolution(best, round(share, 4))


def resolve_compound(mention: Mention, gazetteer: Gazetteer) -> Resolution:
    """Each part is the region its name most likely means (a country first, else a sea or province);
    the score is the weakest part's."""
    sides = []
    for name in mention.parts:
        found = gazetteer.lookup(name)
        regions = tuple(c for c in found if c.is_country) or tuple(c for c in found if c.kind == "region")
        if not regions:
            return Resolution(None, 0.0)
        sides.append(rank(regions, set(), None))
    return Resolution(None, min(s.score for s in sides), tuple(s.candidate for s in sides))
