import json

import pytest

import geopandas as gpd
import shapely
from shapely.geometry import shape

import geomap


def test_geodataframe_has_the_public_columns(seed_gdf):
    for column in ["doc", "start", "end", "mention", "name", "kind", "feature", "country_code", "geonameid",
                   "lat", "lon", "score", "event", "geometry"]:
        assert column in seed_gdf.columns
    assert seed_gdf.crs.to_epsg() == 4326
    assert set(seed_gdf["kind"].dropna()) <= {"point", "region", "border"}
    assert seed_gdf["score"].between(0, 1).all()


def test_geojson_follows_rfc7946(seed_gdf, tmp_path):
    path = tmp_path / "places.geojson"
    geomap.to_geojson(seed_gdf, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert len(data["features"]) == len(seed_gdf)
    for feature in data["features"]:
        geom = feature["geometry"]
        assert set(feature["properties"]) >= {"mention", "name", "kind", "event", "score"}
        if geom is None:
            continue
        text = json.dumps(geom["coordinates"])
        assert all(len(n.split(".")[1]) <= 6 for n in text.replace("[", " ").replace("]", " ").replace(",", " ").split()
                   if "." in n)
        parsed = shape(geom)
        assert parsed.is_valid
        for polygon in getattr(parsed, "geoms", [parsed]):
            if polygon.geom_type == "Polygon":
                assert polygon.exterior.is_ccw
                assert all(not ring.is_ccw for ring in polygon.interiors)
        for lon, lat in shapely.get_coordinates(parsed):
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_geojson_is_byte_identical_for_the_same_input(seed_text):
    assert geomap.to_geojson(geomap.geoparse(seed_text)) == geomap.to_geojson(geomap.geoparse(seed_text))


def test_geojson_reads_back_with_geopandas(seed_gdf, tmp_path):
    path = tmp_path / "places.geojson"
    geomap.to_geojson(seed_gdf, path)
    back = gpd.read_file(path)
    assert len(back) == len(seed_gdf) and list(back["mention"]) == list(seed_gdf["mention"])


def test_unresolved_place_is_a_feature_with_null_geometry():
    gdf = geomap.resolve("Qwxzzyville", [(0, 11)])
    data = json.loads(geomap.to_geojson(gdf))
    assert data["features"][0]["geometry"] is None
    assert data["features"][0]["properties"]["lat"] is None


def test_empty_result_writes_an_empty_collection():
    assert json.loads(geomap.to_geojson(geomap.geoparse(""))) == {"type": "FeatureCollection", "features": []}


def test_region_without_polygon_is_an_approximate_point_with_extent():
    gdf = geomap.geoparse("Ships crossed the Mediterranean to reach Malta.")
    sea = gdf[gdf["mention"] == "Mediterranean"].iloc[0]
    assert sea["kind"] == "region" and sea["approximate"] and sea.geometry.geom_type == "Point"
    assert sea["west"] < sea["lon"] < sea["east"] and sea["south"] < sea["lat"] < sea["north"]
    malta = gdf[gdf["mention"] == "Malta"].iloc[0]
    assert not malta["approximate"] and malta["west"] != malta["west"]  # NaN: it has its polygon


@pytest.mark.parametrize("suffix, writer", [(".gpkg", "to_file"), (".parquet", "to_parquet")])
def test_round_trip_through_geopackage_and_geoparquet(seed_gdf, tmp_path, suffix, writer):
    path = tmp_path / f"places{suffix}"
    getattr(seed_gdf, writer)(path)
    back = gpd.read_file(path) if suffix == ".gpkg" else gpd.read_parquet(path)
    assert len(back) == len(seed_gdf) and back.crs.to_epsg() == 4326
    assert list(back["mention"]) == list(seed_gdf["mention"])
    for before, after in zip(seed_gdf.geometry, back.geometry):
        assert before.geom_type == after.geom_type and before.equals_exact(after, 1e-9)


def test_no_geojson_ring_crosses_the_antimeridian():
    data = json.loads(geomap.to_geojson(geomap.geoparse("Russia, Fiji and the United States met.")))
    assert {f["properties"]["country_code"] for f in data["features"]} == {"RU", "FJ", "US"}
    for feature in data["features"]:
        for polygon in getattr(shape(feature["geometry"]), "geoms", [shape(feature["geometry"])]):
            xs = [x for x, _ in polygon.exterior.coords]
            assert max(xs) - min(xs) < 180   # split at ±180° (RFC 7946 §3.1.9), never wrapped


def test_geojson_can_be_simplified_for_display(seed_gdf):
    full, light = geomap.to_geojson(seed_gdf), geomap.to_geojson(seed_gdf, simplify=0.05)
    assert len(light) < len(full) / 2
    for feature in json.loads(light)["features"]:
        if feature["geometry"]:
            assert shape(feature["geometry"]).is_valid
