"""Small value objects that the stages hand each other."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Hashable, Optional


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of the text that names a place.

    ``label`` says how it was found: a spaCy NER label (GPE, LOC, FAC), ``GAZ`` for a name the
    gazetteer knows in a place context, ``FRAMED`` for a name the words around it call a settlement
    or a site ("the village of X", "the X Gorge"), known to the gazetteer or not, ``BORDER``,
    ``COAST``, ``PART`` or ``AIRSPACE`` for a compound mention, ``GIVEN`` for a span the caller
    supplied. A compound's ``parts`` are the mentions of the regions it is built from (a border's two
    sides; a coast's country and sea), with their own offsets: "Georgia" (0..7) in "Georgia's
    coast"; for "the country" or "its", the earlier mention of the country in focus. ``role`` is
    ``modifier`` for a place named inside an organisation's name.
    """

    start: int
    end: int
    text: str
    label: str
    parts: tuple["Mention", ...] = ()
    direction: Optional[str] = None
    role: str = "literal"   # literal | modifier ("Ohio Department of Health") | demonym ("Russian jets")
    metonym: bool = False   # the place stands for its government or people ("Moscow warned")
    compound: Optional[str] = None   # border | coast | part | airspace (see geomap.compounds)
    # the probability that the span names a place, from the learned recognizer (1.0: given or ruled); a
    # measurement, not part of what the mention is: two mentions of one span compare equal
    confidence: float = field(default=1.0, compare=False)

    @property
    def part_names(self) -> tuple[str, ...]:
        """The names of a compound's parts, as written: ("Syria", "Turkey")."""
        return tuple(part.text for part in self.parts)


# the event label of the places that belong to no happening
OTHER = "other mentions"
# Place.placed_by: the gazetteer's own answer, or drawn near a place the text ties it to (geomap.nearby)
GAZETTEER, NEAR = "gazetteer", "near"

# how a name matched a candidate, from surest to loosest; the first two are the place's own name (as
# written, or folded), the first three also count an official abbreviation ("La.", "NSW") as its name
NAMED = ("name", "folded")
TRUSTED = ("name", "folded", "abbreviation")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry that a name can refer to, and how the name matched it."""

    place_id: int
    geonameid: Optional[int]
    name: str
    kind: str            # point | region
    feature: str         # GeoNames feature code
    country_code: Optional[str]
    admin1: Optional[str]
    population: int
    lat: float
    lon: float
    west: Optional[float]    # extent, for regions stored without a polygon
    south: Optional[float]
    east: Optional[float]
    north: Optional[float]
    matched: str         # name | folded | alias | abbreviation | demonym | fuzzy
    admin2: Optional[str] = None   # second-order code: a town's county, a county's own
    source: Optional[str] = None   # where the row came from: "geonames", "naturalearth", "user:<dataset>", ...

    @property
    def is_user_place(self) -> bool:
        """A place from the user's own gazetteer (``geomap gazetteer add``)."""
        return (self.source or "").startswith("user:")

    @property
    def is_country(self) -> bool:
        return self.feature.startswith("PCL")

    def matched_as(self, how: str) -> "Candidate":
        return replace(self, matched=how)


@dataclass(frozen=True, slots=True)
class Resolution:
    """The place a mention means (None: no answer), and the probability that it is the place meant."""
    candidate: Optional[Candidate]
    score: float
    parts: tuple[Candidate, ...] = ()   # a placed compound's regions (a border's two sides; a coast's country, sea)
    part_scores: tuple[float, ...] = ()  # each part's own score, in the order of ``parts``


@dataclass(frozen=True, slots=True)
class Place:
    """A mention with the place chosen for it (``None`` when nothing fits) and its geometry's key.

    ``geometry`` is a small hashable key, not a shape: ``("point", lon, lat)``, ``("place", place_id)``
    for a region's polygon, or a computed shape (``("border", a_id, b_id)``, ``("side", place_id,
    direction)``, ``("coast", region_id, sea_id or None)``, ``("part", region_id, direction)``,
    ``("airspace", region_id)``); ``None`` when there is none. ``geomap.geometry.shape_of`` makes
    the shape; outputs attach it once per key, so stages and worker processes hand ids around.
    """

    mention: Mention
    name: Optional[str]
    kind: Optional[str]      # point | region | border
    feature: Optional[str]
    country_codes: tuple[str, ...]   # ISO 3166 alpha-2; a border's two sides ("SY", "TR"); () for none
    geonameid: Optional[int]
    lat: Optional[float]
    lon: Optional[float]
    score: float
    geometry: Optional[Hashable]
    sentence: str = ""
    # (west, south, east, north) of a region drawn as a point
    extent: Optional[tuple[float, float, float, float]] = None
    # how it was placed: "gazetteer" (its own answer), "near" (a place the gazetteer lacks, drawn at the
    # place the text puts it in or near, whose name is ``near``: see geomap.nearby), None when it is not
    # placed; the output writes "near:<name>" (geomap.export)
    placed_by: Optional[str] = None
    near: Optional[str] = None
    # what the place is to its happening: location | actor | dateline | mention (geomap.happenings.roles)
    event_role: str = "mention"


@dataclass(frozen=True, slots=True)
class Event:
    """A happening the text reports, located by the places linked to it."""

    id: int
    label: str
    trigger_start: Optional[int]
    trigger_end: Optional[int]
    place_indexes: tuple[int, ...] = field(default=())
    date: Optional[str] = None          # the date expression the text gives, as written
    actors: tuple[str, ...] = ()        # people, organisations, demonyms acting in it


class Occupied:
    """The character offsets that mentions kept so far cover: "does this span overlap one of them?" in
    time proportional to the span, not to the number of mentions (long documents have thousands)."""

    def __init__(self, spans: tuple = ()):
        self._marks = bytearray()
        for start, end in spans:
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        return self._marks.find(1, start, end) != -1

    def add(self, start: int, end: int) -> None:
        if end > len(self._marks):
            self._marks.extend(bytes(end - len(self._marks)))
        self._marks[start:end] = b"\x01" * (end - start)
