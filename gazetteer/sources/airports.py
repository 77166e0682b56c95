"""Airports with an IATA code (PyPI airportsdata), with "{city} Airport" as an alias, and the name news
uses without the city: "Heathrow Airport" and "Heathrow" for London Heathrow Airport."""
from __future__ import annotations

import re
from typing import Optional

from geomap.names import name_key

from ..common import Place
from ..writer import GazetteerWriter

# the words that say "airport" rather than name one: left, they name it ("Heathrow", "Dulles", "O'Hare")
AIRPORT_WORDS = re.compile(r"\b(?:international|intl|int'l|ntl|national|regional|municipal|airport|airfield|"
                           r"aerodrome|field)\b\.?", re.I)


# words that are no airport's own name when left alone: "Gothenburg City Airport", "West Houston Airport"
GENERIC_WORDS = {"city", "area", "county", "community", "park", "island", "north", "south", "east", "west",
                 "central", "metropolitan", "memorial", "executive", "general", "international", "new", "old",
                 "state", "business", "army", "air", "force", "base", "naval", "station", "heliport", "foothills",
                 "valley", "lake", "river", "mountain", "bay", "beach", "harbor", "harbour", "port", "downtown",
                 "county's", "national", "municipal", "regional", "industrial", "district", "town", "village"}


def own_name(name: str, city: Optional[str]) -> Optional[str]:
    """The airport's name without its city and the airport words: "Heathrow" in "London Heathrow
    Airport", "Schiphol" in "Amsterdam Airport Schiphol"; None when nothing of four letters is left, when
    only generic words are, or for a name of two cities ("Fort Lauderdale/Hollywood", "Hartsfield/Jackson")."""
    if "/" in name:
        return None
    # a city joined by a hyphen is part of the name: "Seattle-Tacoma", "Montréal-Pierre Elliott Trudeau"
    joined = city and re.search(rf"{re.escape(city)}-|-{re.escape(city)}", name, re.I)
    rest = re.sub(rf"\b{re.escape(city)}\b", " ", name, flags=re.I) if city and not joined else name
    rest = " ".join(AIRPORT_WORDS.sub(" ", rest).split()).strip(" -,")
    if sum(ch.isalpha() for ch in rest) < 4 or all(word.lower() in GENERIC_WORDS for word in rest.split()):
        return None
    return rest


def known_keys(gaz: GazetteerWriter) -> set[str]:
    """Every name key of the places added so far: an airport's own name alone must not become one more
    sense of a town's or a county's name ("Istanbul Airport" lies in Arnavutköy; "Oconee County Regional")."""
    return {key for place in gaz.places for key in place.names}


def add_airports(gaz: GazetteerWriter) -> dict[str, int]:
    import airportsdata
    added = own_names = 0
    known = known_keys(gaz)
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
        own = own_name(airport["name"], city if city and "," not in city else None)
        if own:
            international = " International" if re.search(r"\binternational\b", airport["name"], re.I) else ""
            place.add_names([f"{own} Airport", f"{own}{international} Airport"])
            # alone, only for a mention already recognised ("short", as a county's name without "County"):
            # "Pearson" or "Kennedy" must not make a surname look like a place
            if name_key(own) not in known:
                place.names.setdefault(name_key(own), "short")
            own_names += 1
        added += 1
    return {"airports": added, "airport own names": own_names}
