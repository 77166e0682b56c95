"""Context: what the whole document says about where it is — the countries, provinces and counties
it names, and (after the first pass) the towns chosen and the country and province most names are in."""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

import numpy

from ..candidates import Gazetteer
from ..models import NAMED, TRUSTED, Candidate
from ..names import name_key

if TYPE_CHECKING:
    from .near import Near
    from .ranker import Ranker

NEARBY_KM = 200
# geopy.distance.EARTH_RADIUS, the mean radius great_circle measures with (geopy is imported only where a
# distance needs it: geopy.geocoders comes with it, ~20 ms of a cold start)
EARTH_KM = 6371.009


@dataclass
class Context:
    """What the document says about where it is. Provinces and anchors (the towns the first pass
    chose) are kept by the name that gave them, so that a name is never its own evidence."""
    countries: set[str]   # the codes of the countries named, and of the caller's hint
    provinces: list[tuple[str, tuple[str, str]]]
    anchors: list[tuple[str, tuple[float, float]]] = field(default_factory=list)
    ranker: Optional["Ranker"] = None   # the weights this document is ranked with (default: the shipped ones)
    counties: list[tuple[str, tuple[str, str]]] = field(default_factory=list)   # (name, (country, admin1))
    # the names whose first-pass town (or county) lies in each country and (country, admin1)
    held: dict = field(default_factory=dict)
    hint: Optional[str] = None   # the country the caller says the document is about (country_hint)
    near: Optional["Near"] = None   # where the caller says the documents come from
    # by name: the (country, admin1, admin2) of its candidate counties, and of its candidate towns
    county_codes: dict = field(default_factory=dict)
    town_codes: dict = field(default_factory=dict)
    # by name: the (country, admin1) of its local candidates (towns, counties), each name's one vote
    # spread over them: the provinces the document's names could jointly be in
    local_provinces: dict = field(default_factory=dict)
    # by country code, the names that named it (document_countries); None: only ``countries`` is known
    country_names: Optional[dict] = None

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
        # each province's total of the names' votes, and each name's own vote: a name's support is the
        # total less its own, one subtraction per candidate (features() asks for every candidate, twice)
        self._support: dict[tuple[str, str], float] = {}
        self._vote: dict[str, float] = {}
        for name, codes in self.local_provinces.items():
            self._vote[name] = 1.0 / len(codes)
            for code in codes:
                self._support[code] = self._support.get(code, 0.0) + self._vote[name]
        self.set_anchors(self.anchors)
        self.set_focus([])

    def names_country(self, code: Optional[str], key: str) -> bool:
        """The document names this country by another name than ``key``, or the caller hinted it: "Singapore"
        names the country, and is no evidence that it means the city of Singapore there."""
        if self.country_names is None or code == self.hint:
            return code in self.countries
        return bool(self.country_names.get(code, set()) - {key})

    def has_province(self, code: tuple[str, str], key: str) -> bool:
        return bool(self._by_province.get(code, set()) - {key})

    def province_support(self, code: tuple[str, str], key: str) -> float:
        """How much the document's other names could lie in this province: each name's vote is spread
        over the provinces of its towns and counties ("Kent" with Canaan, Sharon and Falls Village:
        Connecticut, not England)."""
        total = self._support.get(code, 0.0)
        own = self._vote.get(key, 0.0) if code in self.local_provinces.get(key, ()) else 0.0
        return max(total - own, 0.0)

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
                   if c.feature == "ADM2" and c.admin1 and (cue.county or c.matched in NAMED)})


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
                   if c.feature == "ADM1" and c.admin1 and c.matched in TRUSTED})


def document_countries(mentions, candidates, gazetteer: Gazetteer) -> dict[str, set[str]]:
    """The countries the document names (by name, or as a side of a border): by country code, the names
    (``name_key``) that name it."""
    named: dict[str, set[str]] = {}
    for mention, cands in zip(mentions, candidates):
        if mention.compound:
            for part in mention.parts:
                for c in gazetteer.lookup(part.text):
                    if c.is_country:
                        named.setdefault(c.country_code, set()).add(name_key(part.text))
        for c in cands:
            if c.is_country and c.matched in NAMED:
                named.setdefault(c.country_code, set()).add(name_key(mention.text))
    return named


def local_provinces(keys, candidates) -> dict[str, set]:
    """By name, the (country, admin1) of its candidate towns and counties."""
    out: dict[str, set] = {}
    for key, found in zip(keys, candidates):
        codes = {(c.country_code, c.admin1) for c in found
                 if c.admin1 and (c.kind == "point" or c.feature == "ADM2") and c.feature != "AIRP"}
        if codes:
            out.setdefault(key, set()).update(codes)
    return out
