"""Geometry helpers shared by the sources: simplification to analysis precision, points, distances."""
from __future__ import annotations

import math

from geopy.distance import EARTH_RADIUS

# Analysis precision: ~200 m for countries, ~1 km for provinces and counties, ~5 km for unions of countries
# (drawn, rarely cut).
TOLERANCE = {"country": 0.002, "admin1": 0.01, "admin2": 0.01, "union": 0.05}


def simplified(shape, tolerance: float):
    import shapely
    shape = shapely.simplify(shape, tolerance, preserve_topology=True)
    shape = shapely.set_precision(shape, 1e-6)  # RFC 7946 precision; also drops slivers
    return shapely.make_valid(shape)


def union(shapes: list):
    """A continent's or macro-region's polygon: its members' union, coarsely simplified; None for none."""
    import shapely
    if not shapes:
        return None
    merged = shapely.union_all(shapes, grid_size=0.001)
    return simplified(merged, TOLERANCE["union"])


def representative_point(shape, centre, label) -> tuple[float, float]:
    """A country's point: the conventional centre atlases and GeoNames use, where it lies in the
    country (216 of 239), else Natural Earth's label point (archipelagos such as Fiji); never the capital."""
    from shapely.geometry import Point
    if centre and shape.buffer(0.25).contains(Point(centre[1], centre[0])):  # shapely: x=lon, y=lat
        return round(float(centre[0]), 5), round(float(centre[1]), 5)
    return round(label[0], 5), round(label[1], 5)


def populations_within(shapes: list, towns: list) -> list[int]:
    """A province's prominence: the population of the towns (Places) inside it (Natural Earth gives none)."""
    import numpy as np
    import shapely
    points = shapely.points([t.lon for t in towns], [t.lat for t in towns])
    town_index, shape_index = shapely.STRtree(shapes).query(points, predicate="within")
    totals = np.zeros(len(shapes), dtype=np.int64)
    np.add.at(totals, shape_index, [towns[i].population for i in town_index])
    return [int(t) for t in totals]


def add_coasts(gaz) -> dict:
    """Each country's boundary facing water, drawn once here as geomap draws it at run time
    (``geomap.geometry.water_boundary``, against the same countries in the same order): ~25 s of CPU for
    239 countries, where a run drawing Canada's coast spent 4 s on it."""
    import shapely
    from geomap.geometry import water_boundary
    countries = [p for p in gaz.places if p.feature.startswith("PCL") and p.shape is not None and not p.shape.is_empty]
    # the polygons as run time reads them: set_precision's grid, which GEOS rounds results to, is not in WKB
    land = [shapely.from_wkb(shapely.to_wkb(p.shape)) for p in countries]
    for country, shape in zip(countries, land):
        country.coast = water_boundary(shape, land)
    return {"countries with a coast": sum(not c.coast.is_empty for c in countries)}


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, spherical Earth of geopy's mean radius, as geomap measures)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS * math.asin(math.sqrt(min(1.0, a)))
