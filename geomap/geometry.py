"""Typed geometry: a point for a town, the polygon for a region, the shared boundary line for a border."""
from __future__ import annotations

from typing import Optional

import shapely
from geopy.distance import geodesic
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry

from .candidates import Gazetteer
from .models import Candidate, Mention, Place
from .resolve import Resolution

# Natural Earth neighbours share vertices only approximately: a boundary within ~2 km of the
# neighbour's polygon counts as shared.
BORDER_TOLERANCE_DEG = 0.02


def build_place(mention: Mention, resolution: Resolution, gazetteer: Gazetteer, sentence: str = "") -> Place:
    if mention.is_border:
        return border_place(mention, resolution, gazetteer, sentence)
    candidate = resolution.candidate
    if candidate is None:
        return unresolved(mention, sentence)
    shape = gazetteer.shape(candidate.place_id) if candidate.kind == "region" else None
    geometry = shape if shape is not None else Point(candidate.lon, candidate.lat)  # GeoJSON order: lon, lat
    return Place(
        mention=mention, name=candidate.name, kind=candidate.kind, feature=candidate.feature,
        country_code=candidate.country_code, geonameid=candidate.geonameid, lat=candidate.lat,
        lon=candidate.lon, score=resolution.score, geometry=geometry, sentence=sentence,
    )


def unresolved(mention: Mention, sentence: str = "") -> Place:
    return Place(mention=mention, name=None, kind=None, feature=None, country_code=None, geonameid=None,
                 lat=None, lon=None, score=0.0, geometry=None, sentence=sentence)


def border_place(mention: Mention, resolution: Resolution, gazetteer: Gazetteer, sentence: str) -> Place:
    if len(resolution.parts) != 2:
        return unresolved(mention, sentence)
    a, b = resolution.parts
    line = shared_border(a, b, gazetteer)
    if line is None:
        return unresolved(mention, sentence)
    middle = midpoint(line)
    return Place(
        mention=mention, name=f"{a.name}–{b.name} border", kind="border", feature="border",
        country_code=f"{a.country_code},{b.country_code}", geonameid=None,
        lat=round(middle.y, 6), lon=round(middle.x, 6), score=resolution.score, geometry=line, sentence=sentence,
    )


def shared_border(a: Candidate, b: Candidate, gazetteer: Gazetteer) -> Optional[BaseGeometry]:
    """The stretch of ``a``'s boundary that touches ``b``: a line, or None when they do not touch."""
    shape_a, shape_b = gazetteer.shape(a.place_id), gazetteer.shape(b.place_id)
    if shape_a is None or shape_b is None:
        return None
    touching = shapely.intersection(shape_a.boundary, shape_b.buffer(BORDER_TOLERANCE_DEG))
    lines = [g for g in getattr(touching, "geoms", [touching])
             if isinstance(g, (LineString, MultiLineString)) and not g.is_empty]
    if not lines:
        return None
    return shapely.line_merge(shapely.union_all(lines))


def midpoint(line: BaseGeometry) -> Point:
    """The point halfway along the line, which lies on it (a centroid of a bent line need not)."""
    return shapely.line_interpolate_point(line, 0.5, normalized=True)


def length_km(line: BaseGeometry) -> float:
    """Geodesic length of a (multi)line in kilometres."""
    parts = getattr(line, "geoms", [line])
    return sum(
        geodesic((y1, x1), (y2, x2)).km  # geopy wants (lat, lon)
        for part in parts for (x1, y1), (x2, y2) in zip(part.coords[:-1], part.coords[1:])
    )
