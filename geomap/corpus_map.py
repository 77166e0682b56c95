"""Many documents on one map: point places clustered and as a heat map, regions shaded by how many
documents name them (each region's shape stored once), and a time slider where happenings carry dates.

``mapping.render_map`` draws one article, one layer per happening; this module draws a corpus, where
layers per happening would be thousands. Everything shown comes from the articles or the gazetteer, so
every text is escaped; popups list the first ``POPUP_LIMIT`` documents behind a place.
"""
from __future__ import annotations

import json
import re
import warnings
from datetime import date
from html import escape
from pathlib import Path
from typing import Iterable, Optional, Union

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .candidates import DISPLAY_TOLERANCE_DEG
from .mapping import (PALETTE, approximate_near, display_geometry, drop_repeated_demonyms, fit_bounds,
                      inline_plugin_assets, make_offline)
from .vocabulary import MONTHS

BATCH_SUFFIXES = (".parquet", ".geojsonl", ".gpkg", ".geojson")
POPUP_LIMIT = 10       # documents listed in a popup, then "and N more documents"
SENTENCE_CHARS = 240   # of each sentence quoted: 10,000 rows' popups stay a few MB
SHADES = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]  # ColorBrewer YlOrRd: more documents, darker
POINT_COLOUR = PALETTE[0]
# the slider's places of the day: dark rings, apart from the clusters' coloured bubbles and the shaded regions
DATED_STYLE = {"radius": 7, "color": "#222222", "weight": 2.5, "fillColor": "#ffffff", "fillOpacity": 0.7}
# Leaflet.markercluster draws a circle marker like any marker; the popup and tooltip are escaped HTML.
POINT_MARKER_JS = """function (row) {
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]),
        {radius: 6, color: "%s", weight: 1, fillColor: "%s", fillOpacity: 0.8});
    marker.bindPopup(row[2], {maxWidth: 360});
    marker.bindTooltip(row[3]);
    return marker;
}""" % (POINT_COLOUR, POINT_COLOUR)


def is_batch_output(name: Union[str, Path]) -> bool:
    """Whether ``name`` is what ``geomap batch`` writes (by its suffix) rather than a text document."""
    return Path(name).suffix.lower() in BATCH_SUFFIXES


def read_places(sources: Union[str, Path, Iterable[Union[str, Path]]]) -> gpd.GeoDataFrame:
    """The places of one batch output or several, as one frame."""
    from .batch.writers import read_output
    paths = [sources] if isinstance(sources, (str, Path)) else list(sources)
    frames = [read_output(Path(path)) for path in paths]
    return frames[0] if len(frames) == 1 else gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


def render_corpus_map(places: Union[gpd.GeoDataFrame, str, Path, Iterable], path: Union[str, Path, None] = None, *,
                      simplify: Optional[float] = DISPLAY_TOLERANCE_DEG, tiles: str = "OpenStreetMap",
                      offline: bool = False, time_slider: bool = True) -> folium.Map:
    """Draw many documents' places on one map and save it to ``path`` if given.

    ``places`` is a frame as ``geoparse`` or ``geoparse_batch`` return it (documents named by ``doc_id``
    where it has one, else by ``doc``), or the path of a batch output (a .parquet folder, .geojsonl,
    .gpkg, .geojson) or a list of them. Point places are clustered and summed in a heat-map layer;
    regions, borders and coasts are one layer, each shape once, shaded by the number of documents that
    name it; happenings with a full date ("Oct. 12, 2015", "2015-10-12") get a time slider when there
    are two dates or more (``time_slider=False``: none). Shapes are simplified to ``simplify`` degrees for
    display (None: full detail). ``offline=True`` inlines the scripts and draws country outlines instead
    of web tiles; the time slider's scripts have no PyPI package, so an offline map has no slider.
    """
    gdf = places if isinstance(places, gpd.GeoDataFrame) else read_places(places)
    located = drop_repeated_demonyms(gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty])
    located = located.assign(document=document_labels(located))
    # clusters need the map's own zoom limit: an offline map has no tile layer to lend it one
    fmap = folium.Map(tiles=None if offline else tiles, control_scale=True, maxZoom=18)
    if offline:
        make_offline(fmap)
    is_point = np.asarray(located.geometry.geom_type == "Point")
    add_regions(fmap, located[~is_point], simplify)
    add_points(fmap, located[is_point])
    if time_slider:
        dated = located.assign(day=[absolute_date(text) for text in located["event_date"]]).dropna(subset=["day"])
        if dated["day"].nunique() >= 2:
            if offline:
                warnings.warn("an offline corpus map has no time slider: its scripts have no PyPI package")
            else:
                add_time_slider(fmap, dated)
    if len(located):
        fmap.fit_bounds(fit_bounds(located), padding=(20, 20))
    folium.LayerControl(collapsed=False).add_to(fmap)
    if offline:
        inline_plugin_assets(fmap)
    if path is not None:
        fmap.save(str(path))
    return fmap


def document_labels(gdf: gpd.GeoDataFrame) -> list[str]:
    """Each row's document as a reader knows it: its id from the batch, else its number."""
    if "doc_id" in gdf.columns:
        return [str(doc_id) for doc_id in gdf["doc_id"]]
    return [f"document {doc}" for doc in gdf["doc"]]


def grouped(keys: Iterable, *values: Iterable) -> dict:
    """key -> the list of its rows' value tuples, keys in order of first appearance. Plain Python: a
    pandas group per place costs a millisecond, and 10,000 rows have thousands of places."""
    groups: dict = {}
    for key, *row in zip(keys, *values):
        groups.setdefault(key, []).append(tuple(row))
    return groups


def first_per_document(pairs: list[tuple]) -> list[tuple]:
    """(document, text) pairs, the first of each document, in order."""
    return list(dict(reversed(pairs)).items())[::-1]


def documents_popup(heading: str, pairs: list[tuple], noun: str = "named in") -> str:
    """A heading, how many documents there are, and the first POPUP_LIMIT of them with their text (the
    sentence that names the place, or the happening); every text escaped."""
    firsts = first_per_document(pairs)
    lines = [f"<b>{escape(heading)}</b><br>{noun} {counted(len(firsts), 'document')}<br>"]
    for document, text in firsts[:POPUP_LIMIT]:
        lines.append(f"<b>{escape(document)}</b>: <i>{escape(shortened(text))}</i><br>")
    if len(firsts) > POPUP_LIMIT:
        lines.append(f"and {counted(len(firsts) - POPUP_LIMIT, 'more document')}")
    return "".join(lines)


def counted(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def shortened(sentence) -> str:
    text = "" if sentence is None or sentence is pd.NA or (isinstance(sentence, float) and np.isnan(sentence)) \
        else " ".join(str(sentence).split())
    return text if len(text) <= SENTENCE_CHARS else text[:SENTENCE_CHARS - 1] + "…"


def place_labels(gdf: gpd.GeoDataFrame) -> list[str]:
    """Each row's place as the map names it: the gazetteer's name, or the mention and where it is near."""
    placed_by = gdf["placed_by"] if "placed_by" in gdf.columns else [None] * len(gdf)
    labels = []
    for mention, name, how in zip(gdf["mention"], gdf["name"], placed_by):
        near = approximate_near({"placed_by": how})
        labels.append(f"{mention} (approximate: near {near})" if near is not None else str(name))
    return labels


# -- regions -----------------------------------------------------------------------------------------
def add_regions(fmap: folium.Map, regions: gpd.GeoDataFrame, simplify: Optional[float]) -> None:
    """One GeoJson layer: each distinct shape once, with its document count, shade and popup."""
    if not len(regions):
        return
    geoms = np.asarray(regions.geometry.array)
    # rows read back from a file no longer share one object per region: a shape is known by its extent
    # and size, which no two different shapes of a gazetteer share (cheap, where hashing WKB is not)
    bounds = np.round(shapely.bounds(geoms), 6)
    keys = [(*box, size) for box, size in zip(map(tuple, bounds), shapely.get_num_coordinates(geoms))]
    groups = grouped(keys, range(len(geoms)), place_labels(regions), regions["document"], regions["sentence"])
    counts = {key: len({document for _, _, document, _ in rows}) for key, rows in groups.items()}
    lows = shade_classes(max(counts.values()))
    features = []
    for key, rows in groups.items():
        geom = geoms[rows[0][0]]
        names = list(dict.fromkeys(name for _, name, _, _ in rows))
        heading = names[0] + (f" (also: {', '.join(names[1:3])})" if len(names) > 1 else "")
        features.append({"type": "Feature", "geometry": display_geometry(geom, simplify), "properties": {
            "label": escape(f"{names[0]}: {counted(counts[key], 'document')}"),
            "popup": documents_popup(heading, [(document, sentence) for _, _, document, sentence in rows]),
            "documents": counts[key], "shade": shade_of(counts[key], lows), "line": "Line" in geom.geom_type,
            "area": float(geom.area)}})
    features.sort(key=lambda f: -f["properties"].pop("area"))   # small regions on top, to be clicked
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features}, name="Regions, by documents naming them",
        style_function=region_style, highlight_function=lambda _f: {"weight": 3, "color": "#333"},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=360),
    ).add_to(fmap)
    add_legend(fmap, lows, max(counts.values()))


def region_style(feature) -> dict:
    shade = feature["properties"]["shade"]
    if feature["properties"]["line"]:   # a border or coast: the line itself is the shape
        return {"color": shade, "weight": 5, "opacity": 0.9}
    return {"color": "#6b6b6b", "weight": 0.8, "fillColor": shade, "fillOpacity": 0.45}


def shade_classes(most: int) -> list[int]:
    """The lowest document count of each shade: one shade per count up to five, else steps growing
    geometrically up to ``most``, so that a few much-named regions do not wash out the rest."""
    if most <= len(SHADES):
        return list(range(1, most + 1))
    return sorted({max(1, int(round(most ** (step / len(SHADES))))) for step in range(len(SHADES))})


def shade_of(count: int, lows: list[int]) -> str:
    step = max(i for i, low in enumerate(lows) if count >= low)
    # fewer classes than shades: spread them, so that the most-named regions are always the darkest
    return SHADES[round(step * (len(SHADES) - 1) / max(1, len(lows) - 1))]


def add_legend(fmap: folium.Map, lows: list[int], most: int) -> None:
    """A small key in the lower right corner: the shade of each range of document counts."""
    ranges = [str(low) if high - 1 <= low else f"{low}–{high - 1}" for low, high in zip(lows, lows[1:] + [most + 1])]
    rows = "".join(f'<div><span style="background:{shade_of(low, lows)}"></span>{label}</div>'
                   for low, label in zip(lows, ranges))
    fmap.get_root().html.add_child(folium.Element(
        '<div class="geomap-legend"><b>Documents naming a region</b>' + rows + "</div>"
        "<style>.geomap-legend{position:fixed;bottom:24px;right:10px;z-index:1000;background:#fff;padding:6px 8px;"
        "font:12px sans-serif;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3)}.geomap-legend span{display:"
        "inline-block;width:14px;height:10px;margin-right:5px;border:1px solid #999}</style>"), name="region_legend")


# -- points ------------------------------------------------------------------------------------------
def add_points(fmap: folium.Map, points: gpd.GeoDataFrame) -> None:
    """One marker per distinct place, clustered, and the same places as a heat map weighted by mentions."""
    # folium.plugins costs ~0.1 s to import: here, not at the top, so that a one-article map never pays it
    from folium.plugins import FastMarkerCluster, HeatMap
    if not len(points):
        return
    places = zip(place_labels(points), points["lat"].round(5), points["lon"].round(5))
    markers, heat = [], []
    for (label, lat, lon), rows in grouped(places, points["document"], points["sentence"]).items():
        markers.append([lat, lon, documents_popup(label, rows), escape(label)])
        heat.append([lat, lon, len(rows)])
    FastMarkerCluster(markers, callback=POINT_MARKER_JS, name="Places (clustered)").add_to(fmap)
    strongest = max(weight for _, _, weight in heat)
    HeatMap([[lat, lon, weight / strongest] for lat, lon, weight in heat], name="Heat map of mentions",
            radius=18, blur=14, min_opacity=0.35, show=False).add_to(fmap)


# -- time ------------------------------------------------------------------------------------------
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{1,2})?"   # a range ("Oct. 3-4") starts on its first day
DATE_PATTERNS = [re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
                 re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(?P<year>\d{{4}})\b"),
                 re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+(?P<year>\d{{4}})\b")]


def absolute_date(expression) -> Optional[date]:
    """The day a date expression names outright ("Oct. 12, 2015", "12 October 2015", "2015-10-12"), else
    None: "Monday", "last week" or "Oct. 3-4" need the article's own date, which the output lacks."""
    if not isinstance(expression, str):
        return None
    for pattern in DATE_PATTERNS:
        found = pattern.search(expression)
        if not found:
            continue
        month = found["month"]
        number = int(month) if month.isdigit() else next(
            (i for i, name in enumerate(MONTHS, 1) if name.startswith(month.lower())), None)
        try:
            return date(int(found["year"]), number, int(found["day"])) if number else None
        except ValueError:   # "Feb. 30, 2015"
            return None
    return None


def add_time_slider(fmap: folium.Map, dated: gpd.GeoDataFrame) -> None:
    """The dated happenings' places as dots that show on their day (regions at their label point)."""
    from folium.plugins import TimestampedGeoJson
    features = []
    places = zip(dated["day"], place_labels(dated), dated["lat"].round(5), dated["lon"].round(5))
    for (day, label, lat, lon), rows in sorted(grouped(places, dated["document"], dated["event"]).items()):
        popup = documents_popup(f"{label}, {day.isoformat()}", rows, "happenings in")
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": {
            "times": [day.isoformat()], "popup": popup, "tooltip": escape(label), "icon": "circle",
            "iconstyle": DATED_STYLE}})
    # the plugin pastes its data into the page's script as it is: "<" escaped keeps "</script>" out of it
    data = json.dumps({"type": "FeatureCollection", "features": features}).replace("<", "\\u003c")
    TimestampedGeoJson(data, period="P1D", duration="P1D", add_last_point=False, auto_play=False,
                       date_options="YYYY-MM-DD", transition_time=500).add_to(fmap)
