"""Outputs for GIS: the GeoDataFrame every call returns, and GeoJSON (RFC 7946) from it."""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Iterator, Optional, Union

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from shapely.geometry import mapping

from .models import NEAR, Event, Place

COLUMNS = [
    "doc", "start", "end", "mention", "name", "kind", "feature", "country_code", "geonameid",
    "lat", "lon", "approximate", "west", "south", "east", "north", "score", "placed_by",
    "event", "event_id", "event_role", "trigger_start", "trigger_end", "event_date", "event_actors",
    "found_by", "role", "metonym", "sentence",
    "source",   # deprecated: found_by's values under its old name, for one release (README)
]
EXTENT_COLUMNS = ["west", "south", "east", "north"]
INTEGER_COLUMNS = ["geonameid", "event_id", "trigger_start", "trigger_end"]  # nullable (Int64)
INT64_COLUMNS = ["doc", "start", "end"]
FLOAT_COLUMNS = ["lat", "lon", "score", *EXTENT_COLUMNS]  # NaN for none
# a new text column: pandas' nullable string, so that its type is the same when every row is unplaced
STRING_COLUMNS = ["placed_by"]
NEAR_PREFIX = NEAR + ":"   # placed_by of an approximate place: "near:Aleppo"
WGS84 = CRS.from_user_input("EPSG:4326")  # every frame's CRS: parsed once, not twice a frame
COORDINATE_DECIMALS = 6  # ~10 cm: RFC 7946 section 11.2 advises no more


def to_geodataframe(rows: list[tuple[int, Place, Event]], gazetteer=None, *,
                    known: Optional[dict] = None) -> gpd.GeoDataFrame:
    """One row per (document, place, event) triple, in document and text order, EPSG:4326.

    Geometry is joined here: each distinct key of the places (see ``Place``) becomes its shape once,
    from ``gazetteer`` (default: the default gazetteer), or from ``known`` (WKB by key, made
    elsewhere), and the rows that name it share that object.
    """
    # Every geoparse call builds one: each column is made once, already of its final dtype, rather
    # than a frame of records whose columns are then cast (pandas' casts were most of the time).
    values = list(zip(*(_row_values(doc, p, e) for doc, p, e in rows))) or [()] * len(COLUMNS)
    columns = {name: _typed(name, column) for name, column in zip(COLUMNS, values)}
    # The geometry is a column of the data from the start, rather than added to the frame: adding one
    # makes geopandas first ask the frame for a CRS it has not got, which fails slowly (half the time left).
    columns["geometry"] = gpd.array.from_shapely(shapes([p.geometry for _, p, _ in rows], gazetteer, known),
                                                 crs=WGS84)
    return gpd.GeoDataFrame(columns, geometry="geometry", crs=WGS84)


def _row_values(doc: int, p: Place, e: Event) -> tuple:
    """One row's values, in the order of ``COLUMNS``."""
    m = p.mention
    approximate = p.kind == "region" and p.geometry is not None and p.geometry[0] == "point"
    return (doc, m.start, m.end, m.text, p.name, p.kind, p.feature, ",".join(p.country_codes) or None, p.geonameid,
            p.lat, p.lon, approximate, *(p.extent or (None,) * 4), p.score, placed_by_text(p),
            e.label, e.id, p.event_role, e.trigger_start, e.trigger_end, e.date, "; ".join(e.actors),
            m.label, m.role, m.metonym, p.sentence, m.label)


def placed_by_text(place: Place) -> Optional[str]:
    """The ``placed_by`` column: "gazetteer", "near:<name>" for an approximate place, or None."""
    return f"{NEAR_PREFIX}{place.near}" if place.placed_by == NEAR else place.placed_by


def placed_near(placed_by) -> Optional[str]:
    """What ``placed_by_text`` wrote, read back by a reader of the frame (the maps): the name of the
    place an approximate place is drawn near, else None."""
    return placed_by[len(NEAR_PREFIX):] if isinstance(placed_by, str) and placed_by.startswith(NEAR_PREFIX) else None


def _typed(name: str, column: tuple):
    """A column's values as an array of its dtype. Text and flag columns are left to pandas' inference, as
    before (``str`` or ``bool``; ``object`` where every value is None); empty, they are ``object`` columns, as
    ``DataFrame.from_records([])`` made them, where pandas would infer ``float64`` for an empty list."""
    if name in INTEGER_COLUMNS:  # nullable: a place without a geonameid, an event without a trigger
        return pd.array(column, dtype="Int64")
    if name in INT64_COLUMNS:
        return np.array(column, dtype=np.int64)
    if name in FLOAT_COLUMNS:
        return np.array(column, dtype=np.float64)  # None becomes NaN
    if name in STRING_COLUMNS:
        return pd.array(column, dtype="string")  # None becomes NA
    return list(column) if column else np.array([], dtype=object)


def shapes(keys: list, gazetteer=None, known: Optional[dict] = None) -> list:
    """The shape of each geometry key, each distinct key converted once and its object shared."""
    from .geometry import shape_of
    known = known or {}
    distinct = dict.fromkeys(keys)
    if gazetteer is None and any(key is not None and key[0] != "point" and key not in known for key in distinct):
        from .candidates import default_gazetteer
        gazetteer = default_gazetteer()
    for key in distinct:
        distinct[key] = shapely.from_wkb(known[key]) if key in known else shape_of(key, gazetteer)
    return [distinct[key] for key in keys]


def rfc7946_geometry(geom, simplify: Optional[float] = None) -> Optional[dict]:
    """lon/lat rounded to 6 decimals, exterior rings counter-clockwise (RFC 7946 section 3.1.6),
    optionally simplified (tolerance in degrees)."""
    if geom is None or geom.is_empty:
        return None
    if simplify:
        geom = shapely.make_valid(shapely.simplify(geom, simplify, preserve_topology=True))
    geom = shapely.orient_polygons(geom, exterior_cw=False)
    geom = shapely.transform(geom, lambda xy: np.round(xy, COORDINATE_DECIMALS))
    return mapping(geom)


def _plain(value):
    """JSON-safe property values: numpy scalars to Python, NaN and NA to null."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def feature_texts(gdf: gpd.GeoDataFrame, simplify: Optional[float] = None) -> Iterator[str]:
    """Each row as the compact JSON text of its RFC 7946 Feature. A geometry that rows share (the
    gazetteer hands out one polygon per region, named again and again) is rounded and written once:
    doing it for every row was nearly all the time of writing a news corpus.

    The extent columns (``EXTENT_COLUMNS``) are written only where a row has an extent: GDAL types a
    GeoJSON property by its values, and one null in every feature (as in most articles) reads as a
    string; left out, the property is a Real column wherever one row has it, and absent otherwise."""
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    geometries: dict[int, str] = {}  # by object: the frame keeps every geometry alive meanwhile
    for values, geom in zip(gdf[columns].itertuples(index=False, name=None), gdf.geometry):
        if id(geom) not in geometries:
            geometries[id(geom)] = _compact(rfc7946_geometry(geom, simplify))
        properties = {c: _plain(v) for c, v in zip(columns, values)}
        for column in EXTENT_COLUMNS:
            if properties.get(column, 0) is None:
                del properties[column]
        head = _compact({"type": "Feature", "properties": properties})
        yield head[:-1] + ',"geometry":' + geometries[id(geom)] + "}"


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def events(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per event of a geoparse result: its label, trigger, every trigger span of its places,
    date, actors and places, with the union of the places' geometries. ``locations`` and ``actors``
    name its places apart by ``event_role``: where it happened, and the places that acted in it
    ("Turkey" in "Turkey has shelled a city in northeastern Syria"); the geometry is the locations'
    (all the places' for an event with none, as "other mentions")."""
    columns = ["doc", "event_id", "event", "trigger_start", "trigger_end", "triggers", "event_date",
               "event_actors", "places", "mentions", "locations", "actors", "geometry"]
    if not len(gdf):
        return gpd.GeoDataFrame(pd.DataFrame(columns=columns[:-1]), geometry=[], crs="EPSG:4326")
    rows = []
    for (doc, event_id), group in gdf.groupby(["doc", "event_id"], sort=True):
        roles = group["event_role"] if "event_role" in group.columns else pd.Series("location", index=group.index)
        located = group[roles == "location"] if (roles == "location").any() else group
        geoms = [g for g in located.geometry if g is not None and not g.is_empty]
        spans = [(int(s), int(e)) for s, e in zip(group["trigger_start"], group["trigger_end"])
                 if not pd.isna(s) and not pd.isna(e)]
        rows.append({
            "doc": doc, "event_id": event_id, "event": group["event"].iloc[0],
            "trigger_start": group["trigger_start"].iloc[0], "trigger_end": group["trigger_end"].iloc[0],
            "triggers": sorted(set(spans)),
            "event_date": group["event_date"].iloc[0], "event_actors": group["event_actors"].iloc[0],
            "places": list(dict.fromkeys(n for n in group["name"] if isinstance(n, str))),
            "mentions": list(group["mention"]),
            "locations": _names(group[roles == "location"]), "actors": _names(group[roles == "actor"]),
            "geometry": shapely.union_all(geoms) if geoms else None,
        })
    return gpd.GeoDataFrame(rows, columns=columns, geometry="geometry", crs="EPSG:4326")


def _names(rows) -> list[str]:
    """The places' names, each once, in text order (the mention where a place has no name)."""
    return list(dict.fromkeys(n if isinstance(n, str) else m for n, m in zip(rows["name"], rows["mention"])))


def to_geojson(gdf: gpd.GeoDataFrame, path: Union[str, Path, None] = None, *,
               simplify: Optional[float] = None, documents: Optional[list[dict]] = None) -> str:
    """Write ``gdf`` as an RFC 7946 FeatureCollection to ``path`` (if given) and return the text.

    Geometry is written at the frame's (analysis) precision unless ``simplify`` gives a tolerance in
    degrees (0.01 is about 1 km). The same frame always gives the same bytes. ``documents`` (JSON-ready
    dicts, as ``geomap.documents.Document.record`` makes them) are written as the collection's
    ``documents`` member, a foreign member RFC 7946 (section 6.1) allows.
    """
    text = '{"type":"FeatureCollection","features":[' + ",".join(feature_texts(gdf, simplify)) + "]"
    text += (',"documents":' + _compact(documents) if documents is not None else "") + "}"
    if path is not None:
        Path(path).write_text(text + "\n", encoding="utf-8")
    return text
