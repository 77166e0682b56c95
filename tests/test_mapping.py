import json
import re
from html import escape

import folium
import pytest

import geomap
from geomap.happenings import OTHER
from geomap.mapping import OTHER_COLOUR, PALETTE

pytestmark = pytest.mark.model   # these tests run the spaCy model


def children_of(fmap, kind):
    return [c for c in fmap._children.values() if isinstance(c, kind)]


def test_one_layer_per_event_and_a_layer_control(seed_gdf):
    fmap = geomap.render_map(seed_gdf)
    layers = children_of(fmap, folium.FeatureGroup)
    located = seed_gdf[seed_gdf.geometry.notna()]
    assert len(layers) == located["event_id"].nunique()
    assert children_of(fmap, folium.LayerControl)
    assert all(layer.layer_name for layer in layers)


def test_each_kind_is_drawn_its_way(seed_gdf):
    fmap = geomap.render_map(seed_gdf)
    drawn = [child for layer in children_of(fmap, folium.FeatureGroup) for child in layer._children.values()]
    markers = [c for c in drawn if isinstance(c, folium.CircleMarker)]
    shapes = [c for c in drawn if isinstance(c, folium.GeoJson)]
    assert len(markers) == (seed_gdf.geometry.geom_type == "Point").sum()
    kinds = {c.data["features"][0]["geometry"]["type"] for c in shapes}
    assert kinds & {"Polygon", "MultiPolygon"} and kinds & {"LineString", "MultiLineString"}


def test_a_shape_named_again_is_drawn_from_its_first_display(seed_gdf):
    # the seed names Russia four times, its rows sharing one polygon: simplified and rounded once
    from geomap.mapping import display_geometry, shape_display
    russia = seed_gdf.geometry[seed_gdf["name"] == "Russia"]
    assert len(russia) >= 2 and all(g is russia.iloc[0] for g in russia)
    display = shape_display(0.01)
    first = display(russia.iloc[0])
    assert all(display(g) is first for g in russia)
    assert first == display_geometry(russia.iloc[0], 0.01)
    turkey = seed_gdf.geometry[seed_gdf["name"] == "Turkey"].iloc[0]
    assert display(turkey) == display_geometry(turkey, 0.01) != first


def overlay_names(html):
    """The layer control's overlay names, in order, as the page's JavaScript holds them."""
    block = re.search(r"overlays\s*:\s*\{(.*?)\}", html, re.S).group(1)
    return [json.loads(name) for name in re.findall(r'("(?:[^"\\]|\\.)*")\s*:', block)]


def test_map_is_fitted_to_the_places(seed_gdf, tmp_path):
    path = tmp_path / "map.html"
    geomap.render_map(seed_gdf, path)
    html = path.read_text(encoding="utf-8")
    assert "fitBounds" in html and "L.control.layers" in html
    located = seed_gdf[seed_gdf.geometry.notna()]
    (south, west), (north, east) = json.loads(re.search(r"fitBounds\(\s*(\[\[.*?\]\])", html, re.S).group(1))
    # around every place's point and every border line, and no wider
    lats, lons = list(located["lat"]), list(located["lon"])
    for geom in located.loc[located["kind"] == "border"].geometry:
        lats += [geom.bounds[1], geom.bounds[3]]
        lons += [geom.bounds[0], geom.bounds[2]]
    assert (south, west, north, east) == (min(lats), min(lons), max(lats), max(lons))
    assert 30 < south < north < 72 and 0 < west < east < 105  # Syria up to Norway; Brussels to Russia's point (100° E)
    # one layer per happening, named by it in order of first mention, coloured by the palette; "other
    # mentions" last, in grey
    labels = [label for label in located.drop_duplicates("event_id")["event"] if label != OTHER]
    assert overlay_names(html) == [f'<span style="color:{PALETTE[i % len(PALETTE)]}">&#9632;</span> {escape(label)}'
                                   for i, label in enumerate(labels)] + \
        [f'<span style="color:{OTHER_COLOUR}">&#9632;</span> {OTHER}']
    # each place's popup: its mention, gazetteer name and sentence, escaped
    for _, row in located.iterrows():
        assert f"<b>Mention</b>: {escape(row['mention'])}<br><b>Place</b>: {escape(row['name'])}<br>" in html
        assert f"<i>{escape(row['sentence'])}</i>" in html
    assert html.count("L.popup(") == len(located)


def test_article_text_is_escaped(tmp_path):
    text = 'Protesters wrote <script>alert("x")</script> on walls in Paris, France.'
    gdf = geomap.geoparse(text)
    assert len(gdf)
    path = tmp_path / "map.html"
    geomap.render_map(gdf, path)
    html = path.read_text(encoding="utf-8")
    assert '<script>alert("x")' not in html and "alert(\\\"x\\\")</script>" not in html
    assert "&lt;script&gt;" in html


def test_empty_result_still_makes_a_map(tmp_path):
    path = tmp_path / "map.html"
    gdf = geomap.geoparse("Nothing here.")
    assert len(gdf) == 0
    fmap = geomap.render_map(gdf, path)
    assert path.stat().st_size > 0
    html = path.read_text(encoding="utf-8")
    # a working Leaflet page with its base map and an empty layer list: no layers, no places, nothing to fit
    assert "L.map(" in html and "openstreetmap" in html and "L.control.layers" in html
    assert children_of(fmap, folium.FeatureGroup) == [] and overlay_names(html) == []
    assert "fitBounds" not in html and "L.popup(" not in html and "circleMarker" not in html


def test_demonym_is_drawn_only_when_its_country_has_no_other_mention(tmp_path):
    gdf = geomap.geoparse("Russian jets bombed Russia's neighbour. Syrian rebels fought near the coast.",
                          demonyms=True)
    fmap = geomap.render_map(gdf)
    tooltips = [c for layer in children_of(fmap, folium.FeatureGroup) for c in layer._children.values()]
    drawn = len(tooltips)
    located = gdf[gdf.geometry.notna()]
    assert drawn == len(located) - 1   # "Russian" shares its event with "Russia"; "Syrian" stands alone
