"""Toponym resolution: choose the gazetteer entry each mention means, with a score in [0, 1].

A linear ranker: each candidate's weight is a weighted sum of ``features`` — its kind (countries and
continents before towns of the same name), prominence (population, capital), how its name matched,
and the document's context (countries and provinces it names, "Stavanger, Norway" pairs, nearness to
the towns chosen for other names). The weights are trained (geomap/data/ranker.json, from
scripts/train_ranker.py) with the hand-set ones below as prior and fallback. The score is the chosen
candidate's softmax share against the other candidates and "none of them", mapped through the trained
calibration curve to the probability that it is the place meant. A mention with no candidate, or
whose best candidate is weaker than "none of them", gets no answer.
"""
from __future__ import annotations

import importlib.resources
import json
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from dataclasses import dataclass, field
from typing import Optional

import numpy

from .candidates import Gazetteer
from .models import Candidate, Mention
from .names import dateline_at, is_acronym, name_key

# Hand-set weights (log-odds-like) for the features below, used when no trained ranker ships in
# geomap/data/ranker.json (scripts/train_ranker.py writes it). A country before a town named after it.
HAND_WEIGHTS = {
    "country": 6.0, "dependency": 5.0, "continent": 5.0, "macro_region": 4.0, "province": 0.5,
    "physical": 3.0,            # seas, rivers, deserts: unique names, no population
    "log_population": 0.6,      # per order of magnitude
    "capital": 1.0, "admin_seat": 0.3,
    "doc_country": 2.5, "doc_province": 2.0, "pair": 5.0,
    "province_peers": 2.5,      # a province when the document names other provinces of its country
    "nearby": 1.5,              # within NEARBY_KM of a town (or county seat) the first pass chose for another name
    "adm2": 0.0,                # a second-order unit (US county, English district)
    "called_county": 2.0,       # ... that the text calls a county: "Jackson County", "Clay and Wilkin counties"
    "county_peers": 1.0,        # ... when the document names other counties of the same province
    "focus_country": 0.5,       # a local place in the country most of the document's other places are in
    "focus_province": 1.0,      # ... and in its most named province (a local paper's state)
    "population_unknown": 0.0,  # a place with no population on record (postal places): not "no people"
    "sole_candidate": 0.0,      # the name means only this place in the gazetteer
    "holds_chosen": 1.0,        # a country or province that holds a town the first pass chose for another name
    "pair_province": 5.0,       # "Nashville, Tennessee": the province after the comma fixes the town's
    "town_cue": 2.0,            # a town where the text says it is one: a dateline, a newspaper's name
    "namesake_province": 0.0,   # a province whose seat has its name (Aleppo, Istanbul): city or province?
    "called_province": 5.0,     # a province the text calls one: "Aleppo province", "the state of Washington"
    "county_pair": 1.0,         # a town in a county another name may mean, or such a county: Huntsville, Walker County
    "match_folded": -0.2, "match_alias": -1.0, "match_abbreviation": -1.0, "match_demonym": -1.0,
    "match_fuzzy": -2.0,
}
FEATURES = tuple(HAND_WEIGHTS)
# The caller's country_hint, on top of doc_country: the user's word, not the text's. Not learned (no
# corpus carries a hint): a local place of that country gains as much as from a "Town, Country" pair.
HINT_WEIGHT = 5.0
NEARBY_KM = 200
ANCHOR_MIN_SCORE = 0.5  # a town the first pass was unsure of is no evidence for its neighbours
EARTH_KM = 6371.009   # as geopy.distance.great_circle
_PAIR_GAP = re.compile(r"^\s*,\s*$")
# the text calls the name a county: "Douglas County", "Jackson Co.", "Orleans Parish" (in the span or
# right after it), or a list "Clay, Becker and Wilkin counties" that it is part of
_COUNTY_WORD = r"(?:county|co\.|parish|borough|counties|parishes|boroughs)"
_COUNTY_IN = re.compile(rf"\s{_COUNTY_WORD}$", re.I)
_COUNTY_AFTER = re.compile(rf"^\s+{_COUNTY_WORD}(?!\w)", re.I)
_LIST_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}"
_COUNTY_LIST_AFTER = re.compile(
    rf"^(?:\s*,\s*{_LIST_NAME})*\s*,?\s+(?:and|or|&)\s+{_LIST_NAME}\s+(?:counties|parishes|boroughs)\b", re.I)
_COUNTY_LIST_BEFORE = re.compile(rf"(?:^|[^\w])(?:counties|parishes|boroughs)\s+(?:of\s+)?(?:{_LIST_NAME}\s*,\s*)*$", re.I)


# newspapers are named after their city: "The Washington Post", "the Los Angeles Times"
_NEWSPAPER_AFTER = re.compile(
    r"^\s+(?:Post|Times|Herald|Tribune|Gazette|Chronicle|Examiner|Globe|Courier|Inquirer|Star-Ledger|"
    r"Sun-Times|Post-Gazette|Free Press|Daily News|Dispatch|Plain Dealer|Star-Tribune|Star Tribune)\b")
# the text calls the name a province: "Aleppo province", "Kasserine governorate", "the state of Washington"
_PROVINCE_WORD = r"(?:province|governorate|oblast|prefecture|state)"
_PROVINCE_AFTER = re.compile(rf"^\s+{_PROVINCE_WORD}\b")   # lower case: "Ohio State" is a university
_PROVINCE_BEFORE = re.compile(rf"\b{_PROVINCE_WORD}\s+of\s+$", re.I)
@dataclass(frozen=True, slots=True)
class Cue:
    """What the text right around one mention says about it."""
    pair: Optional[str] = None   # "Stavanger, Norway": the country after the comma
    county: bool = False         # the text calls it a county
    provinces: frozenset = frozenset()   # "Nashville, Tennessee": the (country, admin1) after the comma
    town: bool = False           # the text says it is a town: a dateline, a newspaper's name
    province: bool = False       # the text calls it a province


def called_province(text: str, start: int, end: int) -> bool:
    """'Aleppo province', 'Kasserine governorate', 'the province of Idlib'."""
    return bool(_PROVINCE_AFTER.match(text[end:end + 20]) or _PROVINCE_BEFORE.search(text[max(0, start - 30):start]))


def called_town(text: str, start: int, end: int) -> bool:
    """'WASHINGTON (AP) -' at the start of a line, or 'The Washington Post': a town, not a state."""
    if _NEWSPAPER_AFTER.match(text[end:end + 40]):
        return True
    return sum(ch.isalpha() for ch in text[start:end]) >= 4 and dateline_at(text, start, end)


def called_county(text: str, start: int, end: int) -> bool:
    """'Douglas County', 'Jackson Co.', 'Orleans Parish', 'Clay, Becker and Wilkin counties'."""
    if _COUNTY_IN.search(text[start:end]):
        return True
    after = text[end:end + 120]
    if _COUNTY_AFTER.match(after):
        return True
    # the list pattern starts at the mention: "Clay" in "Clay, Becker and Wilkin counties" ...
    if _COUNTY_LIST_AFTER.match(after):
        return True
    # ... and "Wilkin" in it: the names before it are part of the same list
    return bool(re.match(r"^\s+(?:counties|parishes|boroughs)\b", after, re.I)) or \
        bool(_COUNTY_LIST_BEFORE.search(text[max(0, start - 120):start]))


@dataclass(frozen=True, slots=True)
class Resolution:
    candidate: Optional[Candidate]
    score: float
    parts: tuple[Candidate, ...] = ()   # a placed compound's regions (a border's two sides; a coast's country, sea)


def resolve_mentions(text: str, mentions: list[Mention], gazetteer: Gazetteer, *,
                     country_hint: Optional[str] = None, ranker: Optional["Ranker"] = None) -> list[Resolution]:
    """One Resolution per mention, in order.

    Two passes: the first ranks each mention on its own context (kind, prominence, countries and
    provinces the document names, "Town, Country" pairs); the second adds the evidence of the
    places the first pass was sure of (a candidate near them gains) and gives every mention of the
    same name the same place (one sense per name per document). A compound's parts are mentions of
    their own in that second pass, their candidates restricted to regions (``part_candidates``); a
    compound with a part that cannot be placed gets no answer (candidate None, no parts). ``ranker``
    defaults to the trained one that ships (``shipped_ranker()``).
    """
    candidates, context, cues, keys = prepare(text, mentions, gazetteer, country_hint=country_hint, ranker=ranker)
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
            ranker: Optional["Ranker"] = None):
    """Candidates, document context (after the first pass), cues and name keys for each mention."""
    candidates = [candidates_for(m, gazetteer) for m in mentions]
    keys = [name_key(m.text) for m in mentions]
    cues = [Cue(pair_country(text, mentions, candidates, i), called_county(text, m.start, m.end),
                pair_provinces(text, mentions, candidates, i), called_town(text, m.start, m.end),
                called_province(text, m.start, m.end))
            for i, m in enumerate(mentions)]
    context = Context(document_countries(mentions, candidates, gazetteer), document_provinces(keys, candidates),
                      ranker=ranker or shipped_ranker(),
                      counties=document_counties(keys, candidates, cues),
                      county_codes=admin2_codes(keys, candidates, lambda c: c.feature == "ADM2"),
                      town_codes=admin2_codes(keys, candidates, lambda c: c.kind == "point" and c.feature.startswith("PPL")))
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


@dataclass
class Context:
    """What the document says about where it is. Provinces and anchors (the towns the first pass
    chose) are kept by the name that gave them, so that a name is never its own evidence."""
    countries: set[str]
    provinces: list[tuple[str, tuple[str, str]]]
    anchors: list[tuple[str, tuple[float, float]]] = field(default_factory=list)
    ranker: Optional["Ranker"] = None   # the weights this document is ranked with (default: the shipped ones)
    counties: list[tuple[str, tuple[str, str]]] = field(default_factory=list)   # (name, (country, admin1))
    # the names whose first-pass town (or county) lies in each country and (country, admin1)
    held: dict = field(default_factory=dict)
    hint: Optional[str] = None   # the country the caller says the document is about (country_hint)
    # by name: the (country, admin1, admin2) of its candidate counties, and of its candidate towns
    county_codes: dict = field(default_factory=dict)
    town_codes: dict = field(default_factory=dict)

    def __post_init__(self):
        # indexes, by province and by country, of the names that named provinces: features() asks
        # for every candidate of every mention
        self._by_province: dict[tuple[str, str], set[str]] = {}
        self._by_country: dict[str, set[str]] = {}
        for name, code in self.provinces:
            self._by_province.setdefault(code, set()).add(name)
            self._by_country.setdefault(code[0], set()).add(name)
        self._counties: dict[tuple[str, str], set[str]] = {}
        for name, code in self.counties:
            self._counties.setdefault(code, set()).add(name)
        # (country, admin1, admin2) -> the names that may mean a county with it, or a town in one
        self._by_county_code = invert(self.county_codes)
        self._by_town_code = invert(self.town_codes)
        self.set_anchors(self.anchors)
        self.set_focus([])

    def has_province(self, code: tuple[str, str], key: str) -> bool:
        return bool(self._by_province.get(code, set()) - {key})

    def county_pair(self, candidate: Candidate, key: str) -> bool:
        """Another name of the document can mean the county this town lies in ("Huntsville" with
        "Walker County": both in Texas), or, for a county, a town that lies in it."""
        if not candidate.admin2:
            return False
        code = (candidate.country_code, candidate.admin1, candidate.admin2)
        others = self._by_town_code if candidate.feature == "ADM2" else self._by_county_code
        return bool(others.get(code, set()) - {key})

    def has_peer_province(self, country: Optional[str], key: str) -> bool:
        """Another name of the document is a province of this country: a list of states."""
        return bool(self._by_country.get(country, set()) - {key})

    def holds_chosen(self, code, key: str) -> bool:
        """The first pass chose, for another name, a town in this country (a code) or province (a pair)."""
        return bool(self.held.get(code, set()) - {key})

    def has_peer_county(self, code: tuple[str, str], key: str) -> bool:
        """Another name of the document is a county of this province: "Clarke County ... Oconee"."""
        return bool(self._counties.get(code, set()) - {key})

    def set_anchors(self, anchors: list[tuple[str, tuple[float, float]]]) -> None:
        """The anchors as arrays (radians), each (name, point) once, for near_anchor."""
        self.anchors = list(dict.fromkeys(anchors))
        self._anchor_keys = numpy.array([key for key, _ in self.anchors], dtype=object)
        points = numpy.radians(numpy.array([point for _, point in self.anchors], dtype=float).reshape(-1, 2))
        self._anchor_lat, self._anchor_lon = points[:, 0], points[:, 1]
        self._anchor_cos = numpy.cos(self._anchor_lat)
        self._near: dict[tuple[int, str], bool] = {}

    def near_anchor(self, candidate: Candidate, key: str) -> bool:
        """Within NEARBY_KM (great circle) of a place the first pass chose for another name: one numpy
        haversine over the anchors, remembered per candidate and name."""
        if not len(self._anchor_keys):
            return False
        memo = (candidate.place_id, key)
        found = self._near.get(memo)
        if found is None:
            lat, lon = math.radians(candidate.lat), math.radians(candidate.lon)
            h = numpy.sin((self._anchor_lat - lat) / 2) ** 2 + \
                math.cos(lat) * self._anchor_cos * numpy.sin((self._anchor_lon - lon) / 2) ** 2
            km = 2 * EARTH_KM * numpy.arcsin(numpy.sqrt(numpy.minimum(h, 1.0)))
            found = bool(numpy.any((km <= NEARBY_KM) & (self._anchor_keys != key)))
            self._near[memo] = found
        return found

    def set_focus(self, votes: list[tuple[str, Optional[str], Optional[tuple[str, str]]]]) -> None:
        """The first pass's answers, as (name, country, (country, admin1)) votes for the document's focus."""
        self._votes: dict[str, tuple[Counter, Counter]] = {}
        self._focus: dict[str, tuple] = {}
        self._totals: tuple[Counter, Counter] = (Counter(), Counter())
        for key, country, province in votes:
            own = self._votes.setdefault(key, (Counter(), Counter()))
            for counter in (self._totals[0], own[0]):
                counter[country] += 1
            if province:
                for counter in (self._totals[1], own[1]):
                    counter[province] += 1

    def focus(self, key: str) -> tuple[Optional[str], Optional[tuple[str, str]]]:
        """The country and the province most of the document's other names are in (named at least
        twice, and more often than any other), not counting this name's own mentions."""
        found = self._focus.get(key)
        if found is None:
            own = self._votes.get(key, (Counter(), Counter()))
            found = tuple(plurality(total - mine) for total, mine in zip(self._totals, own))
            self._focus[key] = found
        return found


def plurality(counts: Counter):
    """The most common item when it is counted at least twice and more often than any other, or
    when it is the only one ("Floods in Romania hit Alexandria": the document is about Romania)."""
    top = [item for item in counts.most_common(2) if item[1] > 0]
    if not top or (len(top) > 1 and top[1][1] == top[0][1]) or (top[0][1] < 2 and len(top) > 1):
        return None
    return top[0][0]


def document_counties(keys, candidates, cues) -> list[tuple[str, tuple[str, str]]]:
    """(name, (country, admin1)) of every county the document names as one ("Clarke County", "Clay and
    Becker counties")."""
    return sorted({(key, (c.country_code, c.admin1)) for key, cands, cue in zip(keys, candidates, cues) for c in cands
                   if c.feature == "ADM2" and c.admin1 and (cue.county or c.matched in ("name", "folded"))})


def invert(codes_by_name: dict[str, set]) -> dict[tuple, set[str]]:
    out: dict[tuple, set[str]] = {}
    for name, codes in codes_by_name.items():
        for code in codes:
            out.setdefault(code, set()).add(name)
    return out


def admin2_codes(keys, candidates, which) -> dict[str, set]:
    """By name, the (country, admin1, admin2) of the candidates ``which`` keeps."""
    out: dict[str, set] = {}
    for key, found in zip(keys, candidates):
        for c in found:
            if which(c) and c.admin2:
                out.setdefault(key, set()).add((c.country_code, c.admin1, c.admin2))
    return out


def document_provinces(keys, candidates) -> list[tuple[str, tuple[str, str]]]:
    """(name, (country, admin1)) of every province or state the document names ("Louisiana", "La.")."""
    return sorted({(key, (c.country_code, c.admin1)) for key, cands in zip(keys, candidates) for c in cands
                   if c.feature == "ADM1" and c.admin1 and c.matched in ("name", "folded", "abbreviation")})


def candidates_for(mention: Mention, gazetteer: Gazetteer) -> tuple[Candidate, ...]:
    if mention.compound:
        return ()  # a compound is placed through its parts (part_candidates)
    found = gazetteer.lookup(mention.text, True)
    if mention.role == "demonym":
        return tuple(c for c in found if c.matched == "demonym")
    if is_acronym(mention.text):
        # "EU" is the European Union, not the town of Eu: an acronym means what is written in capitals
        return tuple(c for c in found if c.matched != "folded") or found
    return found


def document_countries(mentions, candidates, gazetteer: Gazetteer) -> set[str]:
    """Country codes of the countries the document names (by name, or as a side of a border)."""
    codes = set()
    for mention, cands in zip(mentions, candidates):
        if mention.compound:
            codes.update(c.country_code for part in mention.parts for c in gazetteer.lookup(part.text) if c.is_country)
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


def pair_provinces(text: str, mentions, candidates, i: int) -> frozenset:
    """In "Nashville, Tennessee" or "Alexandria, Minn." the second name fixes the province of the first."""
    if i + 1 >= len(mentions) or not _PAIR_GAP.match(text[mentions[i].end:mentions[i + 1].start]):
        return frozenset()
    if any(c.kind == "region" and c.matched in ("name", "folded", "abbreviation") and (c.feature == "ADM1" or c.is_country)
           for c in candidates[i]):
        return frozenset()   # "Ohio, Oklahoma, Oregon": a list of provinces, not a town and its province
    return frozenset((c.country_code, c.admin1) for c in candidates[i + 1] if c.feature == "ADM1" and c.admin1)


def features(candidate: Candidate, context: Context, cue: Optional[Cue] = None, key: str = "", *,
             sole: bool = False, seats: frozenset = frozenset()) -> dict[str, float]:
    """What the ranker weighs for one candidate of one mention (see HAND_WEIGHTS); ``sole``: the
    mention has this one candidate; ``seats``: the (country, admin1) of its candidates that are seats."""
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
        "doc_country": float(local and (candidate.country_code in context.countries
                                        or context.has_peer_province(candidate.country_code, key))),
        "doc_province": float(local and context.has_province(code, key)),
        "pair": float(local and bool(pair) and candidate.country_code == pair),
        "pair_province": float(local and feature != "ADM1" and code in cue.provinces),
        "town_cue": float(cue.town and candidate.kind == "point" and feature.startswith("PPL")),
        "namesake_province": float(feature == "ADM1" and code in seats),
        "called_province": float(feature == "ADM1" and cue.province),
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


def weight(candidate: Candidate, context: Context, cue: Optional[Cue] = None, key: str = "", *,
           sole: bool = False, seats: frozenset = frozenset()) -> float:
    weights = (context.ranker or shipped_ranker()).weights
    # a feature the trained file lacks (added since it was trained) weighs its hand-set weight
    weights = weights if len(weights) == len(HAND_WEIGHTS) else {**HAND_WEIGHTS, **weights}
    hinted = context.hint is not None and not candidate.is_country and candidate.country_code == context.hint
    return sum(weights.get(name, 0.0) * value
               for name, value in features(candidate, context, cue, key, sole=sole,
                                           seats=seats).items()) + HINT_WEIGHT * hinted


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
        seats = seat_codes(group)
        for candidate in group:
            sums[candidate.place_id] = sums.get(candidate.place_id, 0.0) + weight(
                candidate, context, cue, key, sole=len(group) == 1, seats=seats)
            counts[candidate.place_id] = counts.get(candidate.place_id, 0) + 1
    return {place_id: total / counts[place_id] for place_id, total in sums.items()}


def seat_codes(candidates: tuple[Candidate, ...]) -> frozenset:
    """(country, admin1) of the provincial seats and capitals among one mention's candidates: "Aleppo"
    is a city and the province it is the seat of."""
    return frozenset((c.country_code, c.admin1) for c in candidates if c.feature in ("PPLA", "PPLC") and c.admin1)


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


def part_candidates(part: Mention, gazetteer: Gazetteer) -> tuple[Candidate, ...]:
    """The regions a compound's part can mean. All of them, not countries only: the ranker puts a
    country first unless the document says otherwise ("Florida, Alabama ... Georgia's coast")."""
    return tuple(c for c in gazetteer.lookup(part.text) if c.kind == "region")


def compound_resolution(sides: list[Resolution]) -> Resolution:
    """A compound from its parts' resolutions; the score is the weakest part's. A part that cannot be
    placed leaves the whole compound unplaced."""
    if not sides or any(side.candidate is None for side in sides):
        return Resolution(None, 0.0)
    return Resolution(None, min(side.score for side in sides), tuple(side.candidate for side in sides))
