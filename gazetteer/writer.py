"""The gazetteer being built: the places the sources add, in order, and the SQLite file they are written to.

Place ids are the order of ``add`` calls, so the build order (build.py's ``STEPS``) fixes the ids and ties in
ranking go to the places added first (countries)."""
from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from pathlib import Path

from .common import Place

SCHEMA_VERSION = "3"
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
CREATE TABLE coasts (place_id INTEGER PRIMARY KEY, wkb BLOB NOT NULL);   -- countries' boundaries facing water
"""


class GazetteerWriter:
    """Collects places from each source step, then writes them in one transaction.

    Besides the places, it keeps what later steps look up: the countries by ISO code (countries step)
    and the first-level regions by (country, name key) (admin-1 step)."""

    def __init__(self):
        self.places: list[Place] = []
        self.countries: dict[str, Place] = {}
        self.regions_by_key: dict[tuple[str, str], Place] = {}

    def add(self, place: Place) -> Place:
        self.places.append(place)
        return place

    def country(self, code: str, where: str) -> Place:
        if code not in self.countries:
            raise SystemExit(f"{where}: unknown country code {code!r}")
        return self.countries[code]

    def towns(self) -> list[Place]:
        """The GeoNames cities500 places added so far (continents share the source but are regions)."""
        return [p for p in self.places if p.source == "geonames" and p.kind == "point"]

    def write(self, out: Path, meta: dict) -> dict:
        return write_gazetteer(self.places, out, meta)


def write_gazetteer(places: list[Place], out: Path, meta: dict) -> dict:
    """Write places (ids by position), their names and shapes, and meta to ``out`` (via a temporary file)."""
    import shapely
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript(SCHEMA)
    names = []
    for place_id, p in enumerate(places, start=1):
        bbox = p.bbox or (None, None, None, None)
        db.execute("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (
            place_id, p.geonameid, p.name, p.kind, p.feature, p.country_code, p.admin1, p.admin2,
            p.population, p.lat, p.lon, *bbox, p.source))
        if p.shape is not None and not p.shape.is_empty:
            db.execute("INSERT INTO shapes VALUES (?,?)", (place_id, shapely.to_wkb(p.shape)))
        if p.coast is not None:
            db.execute("INSERT INTO coasts VALUES (?,?)", (place_id, shapely.to_wkb(p.coast)))
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
