"""GeoNames dump files (allCountries.txt, cities500.txt, alternateNamesV2.txt, or their .zip) and
`geomap gazetteer build --geonames`: adding a user's dump to a copy of the shipped gazetteer."""
from __future__ import annotations

import io
import json
import shutil
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from geomap.names import name_key

from ..common import Place, is_latin, kind_of
from ..writer import counts_by_type

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
    """The rows of a 19-column GeoNames file (comments and malformed lines skipped)."""
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
        named = add_alternate_names(db, alternate_names, known)
    counts = counts_by_type(db)
    db.execute("INSERT OR REPLACE INTO meta VALUES ('counts', ?)", (json.dumps(counts, sort_keys=True),))
    db.execute("INSERT OR REPLACE INTO meta VALUES ('sources', ?)", (
        db.execute("SELECT value FROM meta WHERE key = 'sources'").fetchone()[0] + f"; GeoNames dump {dump.name}",))
    db.commit()
    db.close()
    return {"added places": added, "added names": named, **counts}


def add_alternate_names(db: sqlite3.Connection, path: Path, known: dict[int, int]) -> int:
    """English (or unlabelled) alternate names and abbreviations of the places in the gazetteer; how many
    were new."""
    named = 0
    with open_text(path) as f:
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
    return named
