"""A standalone Folium map: one layer per event, markers for points, polygons for regions, lines for borders;
a happening's actors as outlines, the datelines in a "filed from" layer off at open."""
from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Optional, Union

import folium
import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import mapping

from .candidates import DISPLAY_TOLERANCE_DEG
from .export import placed_near
from .models import OTHER

# Colour-blind-safe qualitative palette (Okabe & Ito, then Tableau), cycled when events outnumber it.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
           "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7"]
OTHER_COLOUR = "#7f7f7f"
FILED_COLOUR = "#4d4d4d"
FILED_FROM = "filed from"   # the layer of the datelines' places
FIT_MAX_ZOOM = 9   # ~300 km across: places close together (a town and its province's part) keep their setting
DATELINE, ACTOR = "dateline", "actor"   # event_role values drawn apart (geomap.happenings.roles)
# Maps draw shapes at the gazetteer's display precision (DISPLAY_TOLERANCE_DEG, ~2 km: invisible at
# country zoom) with coordinates rounded to ~100 m: the seed's map went from 1.9 MB to under 1 MB.
DISPLAY_DECIMALS = 3


def render_map(gdf: gpd.GeoDataFrame, path: Union[str, Path, None] = None, *,
               simplify: Optional[float] = DISPLAY_TOLERANCE_DEG, tiles: str = "OpenStreetMap",
               offline: bool = False) -> folium.Map:
    """Build the map of ``gdf`` (as ``geoparse`` returns it) and save it to ``path`` if given: one
    layer per happening, for one article (``render_corpus_map`` draws many documents on one map).

    Shapes are simplified to ``simplify`` degrees and rounded for display; ``simplify=None`` keeps
    them at full detail. ``offline=True`` writes a page that needs no network at all: Leaflet and
    jQuery are inlined (from the XStatic packages on PyPI) and country outlines from the gazetteer
    replace the web tiles.
    """
    located = drop_repeated_demonyms(gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty])
    # where the stories were filed: a layer of its own, off at open (it is no happening's place)
    filed = (located["event_role"] == DATELINE).to_numpy() if "event_role" in located.columns else \
        np.zeros(len(located), dtype=bool)
    fmap = folium.Map(tiles=None if offline else tiles, control_scale=True)
    if offline:
        make_offline(fmap)
    layers = [(label, rows, is_other, OTHER_COLOUR if is_other else PALETTE[number % len(PALETTE)])
              for number, (label, rows, is_other) in enumerate(events_in_order(located[~filed]))]
    if filed.any():
        layers.append((FILED_FROM, located[filed], True, FILED_COLOUR))
    display = shape_display(simplify)
    for label, rows, hidden, colour in layers:
        layer_name = f'<span style="color:{colour}">&#9632;</span> {escape(str(label))}'
        # places that are no happening's location are there to look up, not to read the map by
        layer = folium.FeatureGroup(name=layer_name, show=not hidden)
        for _, row in rows.iterrows():
            add_place(layer, row, colour, display)
        layer.add_to(fmap)
    if len(located):
        # framed on where things happened: not on the datelines (hidden) nor on the actors (Russia's point
        # is in Siberia)
        where = ~filed & (located["event_role"] != ACTOR).to_numpy() if "event_role" in located.columns else ~filed
        fmap.fit_bounds(fit_bounds(located[where] if where.any() else located), padding=(20, 20),
                        max_zoom=FIT_MAX_ZOOM)
    folium.LayerControl(collapsed=False).add_to(fmap)
    # the layer list is also the legend: keep it from covering the map on long articles
    fmap.get_root().header.add_child(folium.Element(
        "<style>.leaflet-control-layers-expanded{max-height:45vh;max-width:340px;overflow-y:auto;"
        "font-size:12px}</style>"), name="legend_size")
    if offline:
        inline_plugin_assets(fmap)
    if path is not None:
        fmap.save(str(path))
    return fmap


def display_geometry(geom, simplify: Optional[float]) -> dict:
    """A shape as GeoJSON geometry for a map: simplified to ``simplify`` degrees and rounded to
    ``DISPLAY_DECIMALS``, or as it is when ``simplify`` is None (full detail)."""
    if not simplify:
        return mapping(geom)
    shape = shapely.simplify(geom, simplify, preserve_topology=True)
    return mapping(shapely.transform(shape, lambda xy: np.round(xy, DISPLAY_DECIMALS)))


def shape_display(simplify: Optional[float]):
    """``display_geometry`` that works on each shape once: an article names a country again and again
    (the seed names Russia four times: 30,000 points to simplify and round each time), and its rows share
    the place's one shape."""
    shown: dict[int, tuple] = {}

    def display(geom) -> dict:
        if id(geom) not in shown:
            shown[id(geom)] = (geom, display_geometry(geom, simplify))   # the shape held: its id stays its own
        return shown[id(geom)][1]
    return display


OUTLINE_TOLERANCE_DEG = 0.05
OUTLINE_STYLE = {"color": "#9a9a9a", "weight": 0.6, "fillColor": "#f3f1ec", "fillOpacity": 1.0}


def make_offline(fmap: folium.Map) -> None:
    """Inline the scripts and styles the map needs and draw country outlines as its basemap. Call
    ``inline_plugin_assets`` too once the map's plugins are added."""
    from xstatic.pkg import jquery, leaflet  # optional at import time: only offline maps need them
    fmap.default_js, fmap.default_css = [], []  # on this map only: no CDN links
    leaflet_dir, jquery_dir = Path(leaflet.BASE_DIR), Path(jquery.BASE_DIR)
    header = fmap.get_root().header
    header.add_child(folium.Element(f"<style>{(leaflet_dir / 'leaflet.css').read_text(encoding='utf-8')}</style>"),
                     name="leaflet_css_inline")
    for name, script in (("leaflet", leaflet_dir / "leaflet.js"), ("jquery", jquery_dir / "jquery.min.js")):
        header.add_child(folium.Element(f"<script>{script.read_text(encoding='utf-8')}</script>"),
                         name=f"{name}_inline")
    folium.GeoJson(country_outlines(), name="countries", style_function=lambda _f: OUTLINE_STYLE,
                   control=False, interactive=False).add_to(fmap)
    fmap.get_root().header.add_child(folium.Element("<style>.leaflet-container{background:#cfe3ef}</style>"),
                                     name="sea_colour")


def plugin_asset(url: str) -> Path:
    """The local copy of a script or style a Folium plugin links to, from a pinned package."""
    from xstatic.pkg import leaflet_markercluster
    local = {
        "leaflet.markercluster.js": Path(leaflet_markercluster.BASE_DIR) / "leaflet.markercluster.js",
        "MarkerCluster.css": Path(leaflet_markercluster.BASE_DIR) / "MarkerCluster.css",
        "MarkerCluster.Default.css": Path(leaflet_markercluster.BASE_DIR) / "MarkerCluster.Default.css",
        "leaflet_heat.min.js": Path(folium.__file__).parent / "templates" / "leaflet_heat.min.js",
    }
    for ending, path in local.items():
        if url.endswith("/" + ending):
            return path
    raise ValueError(f"no local copy of {url} for an offline map")


def inline_plugin_assets(fmap: folium.Map) -> None:
    """Replace the CDN links of the map's plugins (marker clusters, heat map) with their inlined files."""
    header = fmap.get_root().header
    for element in walk(fmap):
        if element is fmap or not (getattr(element, "default_js", None) or getattr(element, "default_css", None)):
            continue
        for name, url in element.default_js:
            header.add_child(folium.Element(f"<script>{plugin_asset(url).read_text(encoding='utf-8')}</script>"),
                             name=f"{name}_inline")
        for name, url in element.default_css:
            header.add_child(folium.Element(f"<style>{plugin_asset(url).read_text(encoding='utf-8')}</style>"),
                             name=f"{name}_inline")
        element.default_js, element.default_css = [], []  # on this element only: no CDN links


def walk(element):
    """The element and everything under it."""
    yield element
    for child in element._children.values():
        yield from walk(child)


def country_outlines() -> dict:
    """Every country of the gazetteer, simplified for a world basemap."""
    from .candidates import default_gazetteer
    gazetteer = default_gazetteer()
    features = []
    for place_id in gazetteer.country_ids():
        shape = gazetteer.shape(place_id)
        if shape is not None:
            outline = shapely.simplify(shape, OUTLINE_TOLERANCE_DEG, preserve_topology=True)
            features.append({"type": "Feature", "properties": {}, "geometry": mapping(outline)})
    return {"type": "FeatureCollection", "features": features}


def fit_bounds(gdf: gpd.GeoDataFrame) -> list[list[float]]:
    """[[south, west], [north, east]] around the representative points and border lines.

    Whole polygons would fit the map to the world: Norway's includes Bouvet Island in the South
    Atlantic and Russia's crosses the antimeridian.
    """
    lats, lons = list(gdf["lat"].dropna()), list(gdf["lon"].dropna())
    for geom in gdf.loc[gdf["kind"] == "border"].geometry:
        minx, miny, maxx, maxy = geom.bounds
        lats += [miny, maxy]
        lons += [minx, maxx]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]  # Leaflet wants [lat, lon]


def drop_repeated_demonyms(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A demonym ("Russian jets") is drawn only where its country has no other mention in that event."""
    if "role" not in gdf.columns:
        return gdf
    named = set(zip(gdf.loc[gdf["role"] != "demonym", "doc"], gdf.loc[gdf["role"] != "demonym", "event_id"],
                    gdf.loc[gdf["role"] != "demonym", "country_code"]))
    keep = [role != "demonym" or (doc, event, code) not in named
            for role, doc, event, code in zip(gdf["role"], gdf["doc"], gdf["event_id"], gdf["country_code"])]
    return gdf[keep]


def events_in_order(gdf: gpd.GeoDataFrame):
    """(label, rows, is_other) per event, in the order the events first appear in the documents, with
    each document's "other mentions" after its happenings."""
    if not len(gdf):
        return []
    keys = gdf[["doc", "event_id"]].drop_duplicates()
    several = gdf["doc"].nunique() > 1
    out = []
    for doc, event_id in keys.itertuples(index=False):
        rows = gdf[(gdf["doc"] == doc) & (gdf["event_id"] == event_id)]
        label = rows["event"].iloc[0]
        out.append((doc, label == OTHER, f"{label} (doc {doc})" if several else label, rows))
    out.sort(key=lambda item: (item[0], item[1]))   # stable: reading order within each group
    return [(label, rows, is_other) for _, is_other, label, rows in out]


def popup_html(row) -> str:
    """Everything here comes from the article or the gazetteer, so all of it is escaped."""
    fields = [
        ("Mention", row["mention"]), ("Place", row["name"]), ("Kind", row["kind"]),
        ("Event", row["event"]), ("Score", f"{row['score']:.2f}"),
        ("GeoNames id", "" if row["geonameid"] is None or str(row["geonameid"]) == "<NA>" else row["geonameid"]),
    ]
    near = approximate_near(row)
    if near is not None:  # drawn where the text puts it, not found in the gazetteer: say so first
        fields.insert(0, ("approximate", f"near {near}"))
    lines = "".join(f"<b>{escape(k)}</b>: {escape(str(v))}<br>" for k, v in fields)
    return f"{role_line(row)}{lines}<i>{escape(str(row['sentence']))}</i>"


def role_line(row) -> str:
    """What the place did, above the fields: "Turkey — acted in: Turkey shelled a city …", or where the
    story was filed from."""
    role, name = event_role(row), escape(str(row["name"] if isinstance(row["name"], str) else row["mention"]))
    if role == ACTOR:
        return f"<b>{name}</b> — acted in: {escape(str(row['event']))}<br>"
    if role == DATELINE:
        return f"<b>{name}</b> — the story was filed from here<br>"
    return ""


def event_role(row) -> Optional[str]:
    role = row.get("event_role") if hasattr(row, "get") else None
    return role if isinstance(role, str) else None


def approximate_near(row) -> Optional[str]:
    """The name of the place a row is drawn near (an approximate place), else None."""
    return placed_near(row.get("placed_by") if hasattr(row, "get") else None)


def add_place(layer: folium.FeatureGroup, row, colour: str, display) -> None:
    """The row's marker or shape on the layer; ``display`` turns a shape into GeoJSON geometry (``shape_display``)."""
    near = approximate_near(row)
    acted = event_role(row) == ACTOR   # who acted, not where: an outline only, never a fill
    label = f"{row['mention']} (approximate: near {near})" if near is not None else row["name"]
    tooltip = folium.Tooltip(escape(f"{label} (acted)" if acted else str(label)))
    popup = folium.Popup(popup_html(row), max_width=360)
    geom = row.geometry
    if row["kind"] == "point" or geom.geom_type == "Point":
        # an approximate place is a dashed, nearly hollow ring: visibly not a gazetteer answer
        # (folium fills any marker given a fill colour: an actor's ring gets none)
        fill = {"fill": False} if acted else {"fill": True, "fill_color": colour, "fill_opacity": 0.15 if near else 0.8}
        folium.CircleMarker(
            location=[row["lat"], row["lon"]], radius=7, color=colour, weight=2, dash_array="3 3" if near else None,
            tooltip=tooltip, popup=popup, **fill,
        ).add_to(layer)
        return
    if row["kind"] == "border":
        style = {"color": colour, "weight": 6, "opacity": 0.9}
    elif acted:
        style = {"color": colour, "weight": 2, "dashArray": "6 4", "fill": False}
    else:  # light fill so that markers on top stay readable
        style = {"color": colour, "weight": 1.5, "fillColor": colour, "fillOpacity": 0.12}
    folium.GeoJson(
        {"type": "Feature", "properties": {}, "geometry": display(geom)},
        style_function=lambda _feature, style=style: style, tooltip=tooltip, popup=popup,
    ).add_to(layer)
