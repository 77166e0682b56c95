"""The user's own places: a file of points, polygons or lines added to the user's copy of the gazetteer.

``geomap gazetteer add FILE`` reads any vector file GDAL reads (GeoPackage, GeoJSON, Shapefile,
FlatGeobuf, ...) or a CSV with longitude/latitude columns, and writes its features as one *dataset*:
places with ``source`` ``user:<dataset>``, their names (``how`` name/alias, keyed by
``geomap.names.name_key``) and, for polygons and lines, their shapes. Polygons and lines are kind
``region`` (a river, like a district, is an extent a text places things in or along), drawn at their
``representative_point``; points are kind ``point``. Re-adding a dataset replaces it.

The package's own gazetteer is never written: the file written is ``--output``, else
``$GEOMAP_GAZETTEER``, else the one in the user data folder, copied from the package's first.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import sqlite3
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Optional

from .errors import UserDataError
from .names import name_key
from .user_files import find_column, listed, read_places_file, require_field

SOURCE_PREFIX = "user:"
DEFAULT_FEATURE = {"point": "PPL", "polygon": "AREA", "line": "STM"}
ALIAS_SEPARATORS = (";", "|")  # several aliases in one field: "Kellerhof; Old Kellerhof"
ROWS_NAMED = 5  # how many skipped rows a report lists by number


@dataclass(frozen=True)
class Fields:
    """Which of the file's fields hold what; a fixed value (``feature``, ``country``) applies to every row."""

    name: Optional[str] = None          # default: a field called "name", any case
    aliases: tuple[str, ...] = ()
    feature: Optional[str] = None
    feature_field: Optional[str] = None
    kind: Optional[str] = None          # point | region: overrides what the geometry says
    country: Optional[str] = None
    country_field: Optional[str] = None
    population_field: Optional[str] = None
    lon: Optional[str] = None           # CSV only; default: lon, lng, longitude or x
    lat: Optional[str] = None           # CSV only; default: lat, latitude or y
    layer: Optional[str] = None         # needed when the file has several layers


@dataclass
class UserPlace:
    name: str
    aliases: list[str]
    kind: str
    feature: str
    country_code: Optional[str]
    population: int
    lat: float
    lon: float
    shape: Any = None                   # a shapely polygon or line, None for points


@dataclass
class Added:
    """What ``add_dataset`` wrote, and the rows it left out (row numbers from 1, the first after a header)."""

    dataset: str
    places: int
    shapes: int
    names: int
    replaced: int
    skipped: dict[str, list[int]] = field(default_factory=dict)   # reason -> rows


# -- where ----------------------------------------------------------------------------------
def target_gazetteer(output: Optional[Path] = None) -> Path:
    """The gazetteer file to change: ``output``, else $GEOMAP_GAZETTEER, else the user's; never the package's."""
    from .candidates import packaged_gazetteer_path, user_gazetteer_path
    override = os.environ.get("GEOMAP_GAZETTEER")
    target = Path(output) if output else Path(override) if override else user_gazetteer_path()
    if target.exists() and target.resolve() == packaged_gazetteer_path().resolve():
        raise UserDataError(f"{target} is the gazetteer that ships with geomap: choose another file with --output")
    return target


def writable_gazetteer(output: Optional[Path] = None) -> Path:
    """``target_gazetteer``, made a copy of the package's gazetteer when it does not exist yet."""
    from .candidates import packaged_gazetteer_path
    target = target_gazetteer(output)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        shutil.copyfile(packaged_gazetteer_path(), partial)
        partial.replace(target)  # never a half-copied file where geomap looks
    return target


def dataset_source(dataset: str) -> str:
    return SOURCE_PREFIX + dataset


# -- rows to places -------------------------------------------------------------------------
def places_from(path: Path, frame, fields: Fields) -> tuple[list[UserPlace], dict[str, list[int]]]:
    """One place a row; rows without a name or a geometry are skipped (listed by reason)."""
    columns = list(frame.columns)
    name_field = fields.name or find_column(columns, ("name",))
    if name_field is None:
        raise UserDataError(f"{path}: no 'name' field (give --name); its fields are {listed(columns)}")
    for wanted in (name_field, *fields.aliases, fields.feature_field, fields.country_field, fields.population_field):
        require_field(path, wanted, columns)
    places, skipped = [], {}
    for number, (row, geometry) in enumerate(zip(frame.to_dict("records"), frame.geometry), start=1):
        name = text(row.get(name_field))
        reason = "without a name" if not name else "without a geometry" if geometry is None or geometry.is_empty else None
        if reason:
            skipped.setdefault(reason, []).append(number)
            continue
        places.append(place_of(path, number, row, name, geometry, fields))
    return places, skipped


def place_of(path: Path, number: int, row: dict, name: str, geometry, fields: Fields) -> UserPlace:
    import shapely
    geometry = shapely.force_2d(geometry)
    shape_type = geometry_type(geometry)
    if shape_type == "polygon" and not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    kind = fields.kind or ("point" if shape_type == "point" else "region")
    point = geometry.representative_point()
    feature = fields.feature or text(row.get(fields.feature_field)) or DEFAULT_FEATURE[shape_type]
    return UserPlace(
        name=name, aliases=[a for f in fields.aliases for a in split_aliases(text(row.get(f)))],
        kind=kind, feature=feature.upper(), country_code=country_of(path, number, row, fields),
        population=population_of(path, number, row, fields.population_field),
        lat=round(point.y, 6), lon=round(point.x, 6),
        shape=geometry if kind == "region" and shape_type != "point" else None)


def geometry_type(geometry) -> str:
    """point, line or polygon: a collection counts as its largest dimension."""
    types = {part.geom_type for part in getattr(geometry, "geoms", [geometry])}
    if any("Polygon" in t for t in types):
        return "polygon"
    return "line" if any("LineString" in t or t == "LinearRing" for t in types) else "point"


def text(value) -> str:
    """A field's value as stripped text; missing values (None, NaN) are empty."""
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    return "" if missing else str(value).strip()


def split_aliases(value: str) -> list[str]:
    for separator in ALIAS_SEPARATORS:
        value = value.replace(separator, "\n")
    return [alias.strip() for alias in value.splitlines() if alias.strip()]


def country_of(path: Path, number: int, row: dict, fields: Fields) -> Optional[str]:
    code = (fields.country or text(row.get(fields.country_field))).upper() or None
    if code is not None and not (len(code) == 2 and code.isalpha()):
        raise UserDataError(f"{path}: row {number}: country {code!r} is not a two-letter ISO code")
    return code


def population_of(path: Path, number: int, row: dict, population_field: Optional[str]) -> int:
    value = text(row.get(population_field)) if population_field else ""
    try:
        return int(float(value.replace(",", ""))) if value else 0
    except ValueError:
        raise UserDataError(f"{path}: row {number}: population {value!r} is not a number") from None


# -- writing --------------------------------------------------------------------------------
def add_dataset(gazetteer: Path, source_file: Path, fields: Fields = Fields(), dataset: Optional[str] = None) -> Added:
    """Read ``source_file`` and write its places into ``gazetteer`` as ``dataset`` (default: the file's stem, and
    ``-LAYER`` when a layer is chosen), replacing an earlier dataset of that name."""
    source_file = Path(source_file)
    dataset = (dataset or "-".join(filter(None, (source_file.stem, fields.layer)))).strip()
    if not dataset:
        raise UserDataError("the dataset needs a name (--dataset)")
    if fields.kind not in (None, "point", "region"):
        raise UserDataError(f"kind {fields.kind!r}: point or region")
    frame = read_places_file(source_file, lon=fields.lon, lat=fields.lat, layer=fields.layer)
    places, skipped = places_from(source_file, frame, fields)
    if not places:
        raise UserDataError(f"{source_file}: no places to add" + "".join(
            f"; {len(rows)} rows {reason}" for reason, rows in skipped.items()))
    with open_for_writing(gazetteer) as db:
        replaced = delete_dataset(db, dataset)["place"]
        names, shapes = insert_places(db, dataset_source(dataset), places)
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (dataset_source(dataset), json.dumps(
            {"file": str(source_file.resolve()), "added": datetime.now(timezone.utc).isoformat(timespec="seconds")})))
        mark_revised(db)
    return Added(dataset, len(places), shapes, names, replaced, skipped)


def remove_dataset(gazetteer: Path, dataset: str) -> dict[str, int]:
    """Delete the dataset's places, names and shapes (how many of each went); UserDataError when there is no
    such dataset."""
    with open_for_writing(gazetteer) as db:
        removed = delete_dataset(db, dataset)
        if not removed["place"]:
            known = ", ".join(user_datasets(db)) or "none"
            raise UserDataError(f"no dataset {dataset!r} in {gazetteer} (its datasets: {known})")
        mark_revised(db)
    return removed


@contextmanager
def open_for_writing(gazetteer: Path) -> Iterator[sqlite3.Connection]:
    """The gazetteer in one transaction: committed at the end, rolled back on an error. Afterwards the
    shared default gazetteer and geoparser open it anew (they read the file as it was)."""
    if not Path(gazetteer).is_file():
        raise UserDataError(f"no gazetteer at {gazetteer}")
    db = sqlite3.connect(gazetteer)
    try:
        db.execute("SELECT 1 FROM places JOIN names ON names.place_id = places.id LIMIT 1")
        with db:
            yield db
    except sqlite3.DatabaseError as err:
        raise UserDataError(f"{gazetteer} is not a geomap gazetteer: {err}") from None
    finally:
        db.close()
    from .candidates import default_gazetteer
    from .pipeline import default_geoparser
    default_gazetteer.cache_clear()
    default_geoparser.cache_clear()


def insert_places(db: sqlite3.Connection, source: str, places: list[UserPlace]) -> tuple[int, int]:
    """Append the places after the last id; returns (names, shapes) written."""
    import shapely
    next_id = (db.execute("SELECT MAX(id) FROM places").fetchone()[0] or 0) + 1
    names = shapes = 0
    for place_id, place in enumerate(places, start=next_id):
        db.execute("INSERT INTO places (id, geonameid, name, kind, feature, country_code, population, lat, lon,"
                   " source) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (place_id, place.name, place.kind, place.feature, place.country_code, place.population,
                    place.lat, place.lon, source))
        keys = [(name_key(place.name), "name")] + [(name_key(alias), "alias") for alias in place.aliases]
        names += sum(db.execute("INSERT OR IGNORE INTO names VALUES (?, ?, ?)", (key, place_id, how)).rowcount
                     for key, how in keys if key)
        if place.shape is not None:
            db.execute("INSERT INTO shapes VALUES (?, ?)", (place_id, shapely.to_wkb(place.shape)))
            shapes += 1
    return names, shapes


def delete_dataset(db: sqlite3.Connection, dataset: str) -> dict[str, int]:
    """Delete the dataset's rows; how many of each (place, name, shape) went."""
    source = dataset_source(dataset)
    ids = "SELECT id FROM places WHERE source = ?"
    removed = {"name": db.execute(f"DELETE FROM names WHERE place_id IN ({ids})", (source,)).rowcount,
               "shape": db.execute(f"DELETE FROM shapes WHERE place_id IN ({ids})", (source,)).rowcount,
               "place": db.execute("DELETE FROM places WHERE source = ?", (source,)).rowcount}
    db.execute("DELETE FROM meta WHERE key = ?", (source,))
    return removed


def mark_revised(db: sqlite3.Connection) -> None:
    """A new revision: the geocode cache's namespace for this file changes (see Gazetteer.fingerprint)."""
    db.execute("INSERT OR REPLACE INTO meta VALUES ('revision', ?)", (uuid.uuid4().hex,))


def user_datasets(db: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Each user dataset in the file: places, shapes, and the file and time it was added from."""
    meta = dict(db.execute("SELECT key, value FROM meta WHERE key LIKE 'user:%'"))
    rows = db.execute("SELECT p.source, COUNT(*), COUNT(s.place_id) FROM places p LEFT JOIN shapes s"
                      " ON s.place_id = p.id WHERE p.source LIKE 'user:%' GROUP BY p.source ORDER BY p.source")
    return {source[len(SOURCE_PREFIX):]: {"places": places, "shapes": shapes, **json.loads(meta.get(source, "{}"))}
            for source, places, shapes in rows}
