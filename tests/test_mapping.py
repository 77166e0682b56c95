import folium

import geomap


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


def test_map_is_fitted_to_the_places(seed_gdf, tmp_path):
    path = tmp_path / "map.html"
    geomap.render_map(seed_gdf, path)
    html = path.read_text(encoding="utf-8")
    assert "fitBounds" in html and "L.control.layers" in html


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
    geomap.render_map(geomap.geoparse("Nothing here."), path)
    assert path.stat().st_size > 0


def test_demonym_is_drawn_only_when_its_country_has_no_other_mention(tmp_path):
    gdf = geomap.geoparse("Russian jets bombed Russia's neighbour. Syrian rebels fought near the coast.",
                          demonyms=True)
    fmap = geomap.render_map(gdf)
    tooltips = [c for layer in children_of(fmap, folium.FeatureGroup) for c in layer._children.values()]
    drawn = len(tooltips)
    located = gdf[gdf.geometry.notna()]
    assert drawn == len(located) - 1   # "Russian" shares its event with "Russia"; "Syrian" stands alone
