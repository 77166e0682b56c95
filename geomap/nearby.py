"""An approximate place for a mention the gazetteer lacks, from the place the text puts it in or near.

"the village of Ma’an near Kawkab", "Manigram in Rupandehi district", "the Ben Younis area of Benghazi",
"Garam, a village in Bwari", "Khan Touman, southern Aleppo", "Zorvanka, 20 km north of Aleppo": the
unplaced mention (X) is drawn at the placed mention right after it (Y), as a point marked
``placed_by="near"``, ``near=<Y's name>``, with no GeoNames id, no name and a low score. What ties X to Y is
read from the characters between them: one pattern of ``TIES`` must match all of that gap, so a tie
never crosses a sentence, a clause or another mention. A given distance and direction from a town
("20 km north of Aleppo") moves the point that far that way (geodesic, geopy).

A site the gazetteer lacks and that nothing ties to a place ("Royal Street", "the Holy Redeemer
Church": a name ending in a word of ``data/site_heads.txt``) is drawn the same way at the town the
document is about: its placed town named most often (``document_town``).

Runs after every place is built and before events: it only reads the placed places' answers, so a
chain ("X near Y" where Y is itself approximate) is not followed.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Optional

from .candidates import Gazetteer
from .geometry import shape_of
from .models import GAZETTEER, NEAR, Place
from .vocabulary import BEARINGS, CONTAINING_PREPOSITIONS, SETTLEMENT_NOUNS, SITE_HEADS, compass_pattern

# the share of a container's own score an approximate place gets: it is never the place meant, only
# where it lies (about) - far below any answer of the gazetteer's
APPROXIMATE_SCORE_SHARE = 0.1
# a container the resolver itself doubts is no anchor: a wrong container puts the place a country away
MIN_CONTAINER_SCORE = 0.3
# a container too large to stand for a place in it: "a village in Syria" drawn at Syria's middle would
# be hundreds of km off, so a region counts only up to this half-diagonal of its bounding box (km)
MAX_CONTAINER_KM = 200

# "the city of Y", "the state of Y": a unit's noun before "of" means Y itself; a township, suburb,
# neighbourhood, port or settlement "of Y" is a part of Y, or a place beside it
_UNITS = (SETTLEMENT_NOUNS - {"township", "suburb", "neighborhood", "neighbourhood", "port", "settlement"}) | {
    "region", "state"}
# "Garam, a village in Bwari": the nouns of an apposition that make X a place small enough to lie in
# Y: not a province, governorate, county or port; a hamlet, area, camp and the like too
_APPOSITION_NOUNS = (SETTLEMENT_NOUNS - {"province", "governorate", "county", "port"}) | {
    "hamlet", "area", "camp", "locality", "community", "subdistrict", "sub-district", "region"}
# "the Ben Younis area of Benghazi", "Hayyan Gas Fields near Palmyra", "Yarmouk refugee camp in
# Damascus": the words after X that still describe X, before the tie to Y: a site, or a part of a town
# (not a city, province, governorate, county, port or settlement)
_SITE_WORDS = (SETTLEMENT_NOUNS - {"city", "province", "governorate", "county", "port", "settlement"}) | {
    "area", "quarter", "subdistrict", "sub-district", "camp", "refugee", "gas", "oil", "field", "fields", "base",
    "air", "airbase", "region", "countryside", "outskirts"}


def _words(words) -> str:
    """A regex alternation of the words, longest first (a space matching any run of spaces)."""
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=lambda w: (-len(w), w))) \
        + ")"


_DIRECTION = r"(?P<dir>" + compass_pattern() + ")"
_DIRECTION_ADJECTIVE = r"(?:" + compass_pattern() + r")(?:ern)?|central|rural|greater"
# "20 km", "about 12 miles", "30-km", "20 kilometres (12 miles)"
_DISTANCE = (r"(?:(?:about|some|around|roughly|approximately|nearly|almost|just|only|over|under|less\s+than|"
             r"more\s+than|at\s+least)\s+)?(?P<n>\d+(?:[.,]\d+)?)\s*-?\s*(?P<unit>km|kms|kilomet(?:er|re)s?|mi|miles?)\b\.?"
             r"(?:\s*\([^()]{0,40}\))?")
_THE = r"(?:the\s+)?(?:(?:" + _DIRECTION_ADJECTIVE + r")\s+)?"
# "the city of Y", "the southern Y": words between the tie and Y that still mean Y itself
_OF_Y = _THE + r"(?:" + _words(_UNITS) + r"\s+of\s+)?"
_NEAR = "(?:" + "|".join(p.replace(" ", r"\s+") for p in CONTAINING_PREPOSITIONS) + ")"
_SITE = _words(_SITE_WORDS)
_SETTLEMENT = _words(_APPOSITION_NOUNS)


def _tie(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


# Each: (what it is, the gap it must match whole). Tried in order; the first match ties X to Y.
TIES: list[tuple[str, re.Pattern]] = [
    # "Manigram in Rupandehi", "Ma’an near Kawkab", "Hayyan Gas Fields near Palmyra", "Ben Younis area of Benghazi"
    ("in", _tie(r"\s+(?:(?:located|situated|lying|just|right|which\s+is)\s+)?" + _NEAR + r"\s+" + _OF_Y)),
    ("site", _tie(r"\s+(?:" + _SITE + r"\s+){1,3}(?:of|" + _NEAR + r")\s+" + _OF_Y)),
    # "Zorvanka, 20 km (12 miles) north-west of Aleppo", "Zorvanka north of Aleppo", "to the north of"
    ("direction", _tie(r"\s*,?\s*(?:(?:located|situated|lying|just|which\s+is)\s+)?(?:" + _DISTANCE + r"\s+)?"
                       r"(?:to\s+the\s+)?" + _DIRECTION + r"\s+of\s+" + _OF_Y)),
    # "Zorvanka, 20 km from Aleppo"
    ("distance", _tie(r"\s*,?\s*(?:(?:located|situated|lying|which\s+is)\s+)?" + _DISTANCE
                      + r"\s+(?:away\s+)?(?:from|outside(?:\s+of)?|of)\s+" + _OF_Y)),
    # "Garam, a village in Bwari", "Zorvanka, a small town 20 km south of Aleppo"
    ("apposition", _tie(r"\s*,\s*(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?" + _SETTLEMENT
                        + r"\s+(?:(?:located|situated|lying|just)\s+)?(?:(?:" + _DISTANCE + r"\s+)?(?:"
                        + _DIRECTION + r"\s+of|from)|of|" + _NEAR + r")\s+" + _OF_Y)),
    # "Khan Touman, southern Aleppo": a comma pair (not a list: see ``_in_list``)
    # ("Rue d’Enghein, the street": an apposition, not a container)
    ("comma", _tie(r"\s*,\s*(?:(?:" + _DIRECTION_ADJECTIVE + r")\s+)?")),
]


def approximate_places(text: str, places: list[Place], gazetteer: Gazetteer) -> list[Place]:
    """``places`` with each unplaced one the text ties to a placed one (see ``TIES``) drawn there."""
    order = sorted(range(len(places)), key=lambda i: (places[i].mention.start, -places[i].mention.end))
    out = list(places)
    for rank, i in enumerate(order):
        place = places[i]
        # a place inside an organisation's name or a demonym ("the Turkish Embassy in Moscow") is not
        # where the organisation is
        if place.geometry is not None or place.mention.compound or place.mention.role != "literal":
            continue
        after = _next_rank(places, order, rank)
        if after is None:
            continue
        container = places[order[after]]
        tie = tie_between(text, place, container)
        if tie is None or not _can_contain(container, gazetteer):
            continue
        name, match = tie
        if name == "comma" and _in_list(text, places, order, rank, after):
            continue
        out[i] = near(place, container, match)
    sites = [i for i, p in enumerate(out) if _unplaced_site(p)]
    town = document_town(out, gazetteer) if sites else None   # most documents have no such site
    if town is not None:
        for i in sites:
            out[i] = near(out[i], town)
    return out


def _unplaced_site(place: Place) -> bool:
    """A literal mention the gazetteer could not place whose name ends in a site's word ("Royal Street")."""
    mention = place.mention
    words = mention.text.split()
    return place.geometry is None and not mention.compound and mention.role == "literal" and \
        len(words) > 1 and words[-1] in SITE_HEADS


def document_town(places: list[Place], gazetteer: Gazetteer) -> Optional[Place]:
    """The town a document is about: the placed town (a point the gazetteer answered, sure enough to
    anchor a place) named most often; of equals, the one named first."""
    counts: dict[int, list] = {}
    for place in places:
        if place.kind == "point" and place.geonameid is not None and _can_contain(place, gazetteer):
            counts.setdefault(place.geonameid, [0, place])[0] += 1
    if not counts:
        return None
    return max(counts.values(), key=lambda entry: entry[0])[1]   # max keeps the first of equals


def tie_between(text: str, place: Place, container: Place) -> Optional[tuple[str, re.Match]]:
    """(the tie's name, its match) when the text between the two mentions ties the first to the second."""
    gap = text[place.mention.end:container.mention.start]
    if len(gap) > 120:  # no pattern spans more: skip the regexes on long gaps
        return None
    for name, pattern in TIES:
        match = pattern.fullmatch(gap)
        if match:
            return name, match
    return None


def near(place: Place, container: Place, match: Optional[re.Match] = None) -> Place:
    """The unplaced ``place`` drawn at ``container``'s point (moved by a distance and direction the
    text gives from a town), marked approximate."""
    lat, lon = container.lat, container.lon
    offset = _offset(match)
    if offset is not None and container.kind == "point":
        km, bearing = offset
        from geopy.distance import geodesic
        moved = geodesic(kilometers=km).destination((lat, lon), bearing)  # geopy: (lat, lon)
        lat, lon = round(moved.latitude, 6), round(moved.longitude, 6)
    return replace(place, kind="point", country_codes=container.country_codes[:1], lat=lat, lon=lon,
                   score=round(APPROXIMATE_SCORE_SHARE * container.score, 4), geometry=("point", lon, lat),
                   placed_by=NEAR, near=container.name or container.mention.text)


def _offset(match: Optional[re.Match]) -> Optional[tuple[float, float]]:
    """(km, bearing) when the tie gives both a distance and a direction."""
    groups = match.groupdict() if match is not None else {}
    if not groups.get("n") or not groups.get("dir"):
        return None
    km = float(groups["n"].replace(",", "."))
    if groups["unit"].lower().startswith("mi"):
        km *= 1.609344
    bearing = BEARINGS.get(re.sub(r"[- ]", "", groups["dir"].lower()))
    return None if bearing is None or not 0 < km < 1000 else (km, bearing)


def _next_rank(places: list[Place], order: list[int], rank: int) -> Optional[int]:
    """The rank (in text order) of the first mention that starts after this one ends; mentions nested in
    this one are skipped."""
    end = places[order[rank]].mention.end
    for after in range(rank + 1, len(order)):
        if places[order[after]].mention.start >= end:
            return after
    return None


def _can_contain(container: Place, gazetteer: Gazetteer) -> bool:
    """A placed town, or a placed region small enough to stand for a place in it, that the resolver is
    fairly sure of; not a border, nor a sea or river drawn at one point of its extent."""
    if container.placed_by != GAZETTEER or container.kind not in ("point", "region") or container.extent is not None \
            or container.score < MIN_CONTAINER_SCORE:
        return False
    if container.kind == "point" or container.lat is None:
        return container.lat is not None
    shape = shape_of(container.geometry, gazetteer)
    return shape is not None and not shape.is_empty and half_diagonal_km(shape.bounds) <= MAX_CONTAINER_KM


def half_diagonal_km(bounds: tuple[float, float, float, float]) -> float:
    """Half the geodesic diagonal of a (west, south, east, north) box: how far its points can be from
    its middle, about."""
    from geopy.distance import geodesic
    west, south, east, north = bounds
    return geodesic((south, west), (north, east)).km / 2  # geopy: (lat, lon)


_LIST_GAP: Callable[[str], Optional[re.Match]] = _tie(r"\s*(?:,|;|\band\b|\bor\b|,\s*and\b|,\s*or\b)\s*").fullmatch


def _in_list(text: str, places: list[Place], order: list[int], rank: int, after: int) -> bool:
    """Whether "X, Y" is part of a list ("Zorvanka, Aleppo and Idlib"): the mention just before X, or the
    one just after Y, joined to it by a comma, "and" or "or"."""
    start = places[order[rank]].mention.start
    before = next((j for j in reversed(order[max(0, rank - 3):rank]) if places[j].mention.end <= start), None)
    if before is not None and _LIST_GAP(text[places[before].mention.end:start]):
        return True
    beyond = _next_rank(places, order, after)
    return beyond is not None and bool(
        _LIST_GAP(text[places[order[after]].mention.end:places[order[beyond]].mention.start]))
