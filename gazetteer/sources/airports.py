"""Airports with an IATA code (PyPI airportsdata), with "{city} Airport" as an alias."""
from __future__ import annotations

from ..common import Place
from ..writer import GazetteerWriter


def add_airports(gaz: GazetteerWriter) -> dict[str, int]:
    import airportsdata
    added = 0
    for _code, airport in sorted(airportsdata.load("IATA").items()):
        if airport["country"] not in gaz.countries:
            continue
        place = gaz.add(Place(
            name=airport["name"], feature="AIRP", lat=airport["lat"], lon=airport["lon"], source="airportsdata",
            country_code=airport["country"],
        ))
        city = airport["city"]
        if city and "," not in city and "airport" not in airport["name"].lower().replace(city.lower(), ""):
            place.add_names([f"{city} Airport"])
        added += 1
    return {"airports": added}
