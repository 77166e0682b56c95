"""Typed geometry: a point for a town, the polygon for a region, lines for borders and coasts.

- border: the stretch of one region's boundary within ``BORDER_TOLERANCE_DEG`` of the other's polygon;
  without a neighbour ("Turkey's southern border"), the boundary's stretch on that side;
- coast: the region's boundary where it faces water (see ``coastline``), and, when a sea is named,
  only the stretch within ``COAST_REACH_DEG`` of that sea's extent;
- part ("northern Syria", "the north of the country"): the region's polygon cut by the half (or, for
  north-east etc., the quadrant) of its bounding box on that side; "central" is the middle third;
- airspace: the country's polygon.

Places carry a key for their geometry, not the shape (see ``Place``): ``shape_of`` turns a key into its
shape, once per key while it stays in the gazetteer's byte-bounded shape cache, when an output is made; a
compound's representative point is taken from the same shapes while the place is built.
"""
from __future__ import annotations

from typing import Hashable, Optional, Sequence

import shapely
from shapely.geometry import LineString, MultiLineString, Point, box
from shapely.geometry.base import BaseGeometry

from .candidates import Gazetteer
from .models import GAZETTEER, Resolution, Candidate, Mention, Place
from .vocabulary import COMPASS

# Natural Earth neighbours share vertices only approximately: a boundary within ~2 km of the
# neighbour's polygon counts as shared.
BORDER_TOLERANCE_DEG = 0.02
COAST_REACH_DEG = 1.0
LAND_GAP_DEG = 0.15  # gaps between countries narrower than twice this are land, not sea
NEIGHBOUR_DEG = 1.0  # the countries whose land can close a region's coast
# how far from a coast closing its gaps reads land: more than its two buffers and the tolerance (0.32)
CLOSING_REACH_DEG = 0.5


def build_place(mention: Mention, resolution: Resolution, gazetteer: Gazetteer, sentence: str = "") -> Place:
    if mention.compound:
        return compound_place(mention, resolution, gazetteer, sentence)
    candidate = resolution.candidate
    if candidate is None:
        return unresolved(mention, sentence)
    polygon = candidate.kind == "region" and gazetteer.has_shape(candidate.place_id)
    geometry = ("place", candidate.place_id) if polygon else ("point", candidate.lon, candidate.lat)  # lon, lat
    # a region without a polygon (a sea, a river) is its point, with its extent alongside
    extent = (candidate.west, candidate.south, candidate.east, candidate.north) \
        if not polygon and candidate.kind == "region" and candidate.west is not None else None
    return Place(
        mention=mention, name=candidate.name, kind=candidate.kind, feature=candidate.feature,
        country_codes=codes_of(candidate.country_code), geonameid=candidate.geonameid, lat=candidate.lat,
        lon=candidate.lon, score=place_score(mention, resolution), geometry=geometry, sentence=sentence, extent=extent,
        placed_by=GAZETTEER,
    )


def codes_of(*codes: Optional[str]) -> tuple[str, ...]:
    """The country codes a place has, in order, without the missing ones."""
    return tuple(c for c in codes if c)


def place_score(mention: Mention, resolution: Resolution) -> float:
    """The probability that the span names a place (the recognizer's) and that this is the place meant."""
    return round(resolution.score * mention.confidence, 4)


def region_covers(candidate: Candidate, lat: float, lon: float, gazetteer: Gazetteer) -> bool:
    """True when the candidate is a region whose polygon (or, lacking one, extent) contains the point."""
    if candidate.kind != "region":
        return False
    shape = gazetteer.shape(candidate.place_id)
    if shape is not None:
        return shape.contains(Point(lon, lat))  # shapely: x = lon, y = lat
    return candidate.west is not None and candidate.south <= lat <= candidate.north and (
        candidate.west <= lon <= candidate.east if candidate.west <= candidate.east
        else lon >= candidate.west or lon <= candidate.east)  # an extent across the antimeridian


def unresolved(mention: Mention, sentence: str = "") -> Place:
    return Place(mention=mention, name=None, kind=None, feature=None, country_codes=(), geonameid=None,
                 lat=None, lon=None, score=0.0, geometry=None, sentence=sentence)


def compound_place(mention: Mention, resolution: Resolution, gazetteer: Gazetteer, sentence: str) -> Place:
    parts = resolution.parts
    # an unplaced compound (a part with no region, or none good enough) keeps its row, without geometry
    if not parts or any(p is None for p in parts) or gazetteer.shape(parts[0].place_id) is None:
        return unresolved(mention, sentence)
    region = parts[0]
    key = compound_key(mention, parts)
    geometry = shape_of(key, gazetteer)
    direction = mention.direction
    if mention.compound == "border":
        other = parts[1] if len(parts) > 1 else None
        name = f"{region.name}–{other.name} border" if other else f"{direction or ''} border of {region.name}".strip()
        kind, feature, codes = "border", "border", [region.country_code, other.country_code if other else None]
    elif mention.compound == "coast":
        sea = parts[1] if len(parts) > 1 else None
        name = f"{region.name}: {sea.name} coast" if sea else f"{region.name}: coast"
        kind, feature, codes = "border", "coast", [region.country_code]
    elif mention.compound == "part":
        name = f"{direction} {region.name}"
        kind, feature, codes = "region", "part", [region.country_code]
    else:  # airspace: the country's own region
        name, kind, feature, codes = f"{region.name} airspace", "region", "airspace", [region.country_code]
    if geometry is None or geometry.is_empty:
        return unresolved(mention, sentence)
    point = representative(geometry)
    return Place(
        mention=mention, name=name, kind=kind, feature=feature,
        country_codes=codes_of(*codes), geonameid=region.geonameid if kind == "region" else None,
        lat=round(point.y, 6), lon=round(point.x, 6), score=place_score(mention, resolution),
        geometry=key, sentence=sentence, placed_by=GAZETTEER,
    )


def compound_key(mention: Mention, parts) -> tuple:
    """The shape key of a compound whose first part is its region (see ``shape_of``)."""
    region = parts[0].place_id
    other = parts[1].place_id if len(parts) > 1 and parts[1] is not None else None
    if mention.compound == "border":
        return ("border", region, other) if other is not None else ("side", region, mention.direction)
    if mention.compound == "coast":
        return ("coast", region, other)
    if mention.compound == "part":
        return ("part", region, mention.direction)
    return ("airspace", region)


def shape_of(key: Optional[Hashable], gazetteer: Gazetteer) -> Optional[BaseGeometry]:
    """The shape a place's geometry key stands for (None for None); each key computed once, then kept in
    the gazetteer's shape cache (a region's own polygon is kept there under its place id)."""
    if key is None:
        return None
    if key[0] in ("place", "airspace"):
        return gazetteer.shape(key[1])
    if gazetteer is None:   # points need none (a frame of points alone is made without one)
        return _make_shape(gazetteer, key)
    return gazetteer.shapes.get_or_make(key, lambda: _make_shape(gazetteer, key))


def _make_shape(gazetteer: Gazetteer, key: tuple) -> Optional[BaseGeometry]:
    kind, *args = key
    if kind == "point":
        return Point(*args)
    if kind == "border":
        return _shared_border(gazetteer, *args)
    if kind == "coast":
        return _coastline(gazetteer, *args)
    shape = gazetteer.shape(args[0])
    if kind == "side":
        return side_of(shape.boundary, args[1])
    if kind == "part":
        return side_of(shape, args[1])
    raise ValueError(f"not a geometry key: {key!r}")


def shared_border(a: Candidate, b: Candidate, gazetteer: Gazetteer) -> Optional[BaseGeometry]:
    """The stretch of ``a``'s boundary that touches ``b``: a line, or None when they do not touch."""
    return shape_of(("border", a.place_id, b.place_id), gazetteer)


def _shared_border(gazetteer: Gazetteer, a: int, b: int) -> Optional[BaseGeometry]:
    shape_a, shape_b = gazetteer.shape(a), gazetteer.shape(b)
    if shape_a is None or shape_b is None:
        return None
    return lines_of(shapely.intersection(shape_a.boundary, shape_b.buffer(BORDER_TOLERANCE_DEG)))


def coastline(region: Candidate, sea: Optional[Candidate], gazetteer: Gazetteer) -> Optional[BaseGeometry]:
    """The region's boundary where it faces water, near the named sea if there is one (cached: a
    province's coast costs a union and two buffers of the land around it)."""
    return shape_of(("coast", region.place_id, None if sea is None else sea.place_id), gazetteer)


def _coastline(gazetteer: Gazetteer, region_id: int, sea_id: Optional[int]) -> Optional[BaseGeometry]:
    """The region's boundary where it faces water (a country's drawn when the gazetteer was built), near
    the named sea if there is one."""
    coast = gazetteer.coast(region_id)
    if coast is None:
        coast = water_boundary(gazetteer.shape(region_id), country_shapes(gazetteer))
    if sea_id is not None:
        reach = sea_extent(sea_id, gazetteer)
        if reach is not None:
            coast = shapely.intersection(coast, reach)
    return lines_of(coast)


def water_boundary(shape: BaseGeometry, countries: Sequence[BaseGeometry]) -> BaseGeometry:
    """The parts of the shape's boundary that face water: what no country covers, after closing gaps
    narrower than ``LAND_GAP_DEG``. Natural Earth leaves strips between some neighbours (a UN buffer zone on
    the Golan line between Syria and Israel), and those are not coast. Not merged into lines (see
    ``lines_of``): the gazetteer build stores it so for every country, and a named sea cuts it first.

    Closing a gap reads only land within ``CLOSING_REACH_DEG``, so the neighbours (the countries within
    ``NEIGHBOUR_DEG``: measured, not found by intersecting shape.buffer(1.0)) are clipped to the shape's box
    widened by it: the same coast, drawn from less land (British Columbia's 3.1 s of CPU became 0.2,
    since Canada and the United States no longer enter whole).
    """
    west, south, east, north = shape.bounds
    box_around = (west - CLOSING_REACH_DEG, south - CLOSING_REACH_DEG, east + CLOSING_REACH_DEG,
                  north + CLOSING_REACH_DEG)
    land = shapely.union_all([shapely.clip_by_rect(s, *box_around) for s in countries
                              if shapely.dwithin(s, shape, NEIGHBOUR_DEG)] + [shape])
    land = land.buffer(LAND_GAP_DEG, quad_segs=4).buffer(-LAND_GAP_DEG, quad_segs=4)
    return shapely.intersection(shape.boundary, land.boundary.buffer(BORDER_TOLERANCE_DEG))


def sea_extent(sea_id: int, gazetteer: Gazetteer) -> Optional[BaseGeometry]:
    """The sea's polygon, or its stored extent, widened by ``COAST_REACH_DEG``."""
    shape = gazetteer.shape(sea_id)
    if shape is not None:
        return shape.buffer(COAST_REACH_DEG)
    extent = gazetteer.extent(sea_id)
    if extent is None:
        return None
    return box(*extent).buffer(COAST_REACH_DEG)


def country_shapes(gazetteer: Gazetteer) -> tuple[BaseGeometry, ...]:
    """Every country's polygon, kept (and counted) in the shape cache like any other shape."""
    return gazetteer.shapes.get_or_make(("countries",), lambda: tuple(
        s for s in (gazetteer.shape(i) for i in gazetteer.country_ids()) if s is not None))


def _fractions_on(point: str) -> tuple[float, float, float, float]:
    """The (west, south, east, north) fractions of a bounding box on a compass point's side: "north" the
    upper half, "northeast" the upper right quarter."""
    return (0.5 if "east" in point else 0, 0.5 if "north" in point else 0,
            0.5 if "west" in point else 1, 0.5 if "south" in point else 1)


SIDES = {**{point: _fractions_on(point) for point in COMPASS}, "central": (1 / 3, 1 / 3, 2 / 3, 2 / 3)}


def side_of(geometry: BaseGeometry, direction: Optional[str]) -> Optional[BaseGeometry]:
    """The part of ``geometry`` in the half (or quadrant, or middle third) of its bounding box on that side."""
    if direction is None:
        return geometry
    side = direction.removesuffix("ern").replace("center", "central").replace("centre", "central")
    fractions = SIDES.get(side)
    if fractions is None:
        return geometry
    minx, miny, maxx, maxy = geometry.bounds
    w, h = maxx - minx, maxy - miny
    fx0, fy0, fx1, fy1 = fractions
    cut = shapely.intersection(geometry, box(minx + fx0 * w, miny + fy0 * h, minx + fx1 * w, miny + fy1 * h))
    return lines_of(cut) if geometry.geom_type.endswith("LineString") else cut


def lines_of(geometry: BaseGeometry) -> Optional[BaseGeometry]:
    """The line parts of an intersection result, merged; None when there are none."""
    lines = [g for g in getattr(geometry, "geoms", [geometry])
             if isinstance(g, (LineString, MultiLineString)) and not g.is_empty]
    if not lines:
        return None
    return shapely.line_merge(shapely.union_all(lines))


def representative(geometry: BaseGeometry) -> Point:
    """A point on or in the geometry: a line's midpoint along its length, a polygon's label point."""
    if geometry.geom_type in ("LineString", "MultiLineString"):
        return midpoint(geometry)
    return geometry.representative_point()


def midpoint(line: BaseGeometry) -> Point:
    """The point halfway along the line, which lies on it (a centroid of a bent line need not)."""
    return shapely.line_interpolate_point(line, 0.5, normalized=True)


def length_km(line: BaseGeometry) -> float:
    """Geodesic length of a (multi)line in kilometres."""
    from geopy.distance import geodesic
    parts = getattr(line, "geoms", [line])
    return sum(
        geodesic((y1, x1), (y2, x2)).km  # geopy wants (lat, lon)
        for part in parts for (x1, y1), (x2, y2) in zip(part.coords[:-1], part.coords[1:])
    )
