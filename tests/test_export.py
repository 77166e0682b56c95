import json

import pytest

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import shape

import geomap
from geomap import export

pytestmark = pytest.mark.model   # these tests run the spaCy model


def test_geodataframe_has_the_public_columns(seed_gdf):
    for column in ["doc", "start", "end", "mention", "name", "kind", "feature", "country_code", "geonameid",
                   "lat", "lon", "score", "event", "geometry"]:
        assert column in seed_gdf.columns
    assert seed_gdf.crs.to_epsg() == 4326
    assert set(seed_gdf["kind"].dropna()) <= {"point", "region", "border"}
    assert seed_gdf["score"].between(0, 1).all()
    # values, not only names: the first rows are Stavanger, Norway, in that order, with their GeoNames ids
    first = seed_gdf.iloc[0]
    assert (first["mention"], first["name"], first["kind"], first["feature"], first["country_code"],
            int(first["geonameid"])) == ("Stavanger", "Stavanger", "point", "PPLA", "NO", 3137115)
    assert (first["lat"], first["lon"]) == pytest.approx((58.97, 5.733), abs=0.01)
    assert seed_gdf.iloc[1][["mention", "kind", "country_code"]].tolist() == ["Norway", "region", "NO"]
    turkey = seed_gdf[seed_gdf["mention"] == "Turkey"].iloc[0]
    assert (turkey["name"], turkey["kind"], turkey["feature"], turkey["country_code"], int(turkey["geonameid"])) == \
        ("Turkey", "region", "PCLI", "TR", 298795)
    assert turkey.geometry.geom_type in ("Polygon", "MultiPolygon") and not turkey["approximate"]
    # a border: both sides' codes in one string, written from the place's tuple of codes; a line
    border = seed_gdf[seed_gdf["mention"] == "Syria-Turkey border"].iloc[0]
    assert (border["name"], border["kind"], border["feature"], border["country_code"]) == \
        ("Syria–Turkey border", "border", "border", "SY,TR")
    assert border.geometry.geom_type.endswith("LineString") and pd.isna(border["geonameid"])
    assert set(seed_gdf["placed_by"]) == {"gazetteer"} and seed_gdf["found_by"].tolist() == seed_gdf["source"].tolist()
    assert seed_gdf.loc[seed_gdf["found_by"] == "BORDER", "mention"].tolist() == [
        "southern border with Syria", "Syria-Turkey border"]


def test_gis_readers_get_numbers_for_the_seed(seed_gdf, tmp_path):
    # GDAL types a GeoJSON property by its values: a null in every feature would read as a string column, so
    # the extent is written only where a row has one (the seed's one is the Mediterranean, a sea drawn as its
    # point); without such a row the columns are absent, with one they read as numbers
    without_extent = seed_gdf[seed_gdf["west"].isna()]
    assert len(without_extent) == len(seed_gdf) - 1
    for frame, extent in ((without_extent, []), (seed_gdf, ["west", "south", "east", "north"])):
        path = tmp_path / "seed.geojson"
        geomap.to_geojson(frame, path)
        back = gpd.read_file(path)
        numeric = [c for c in export.FLOAT_COLUMNS if c in back.columns]
        assert numeric == ["lat", "lon", "score", *extent] and all(back[c].dtype == "float64" for c in numeric)
        assert back["geonameid"].dtype == "float64" and back["event_id"].dtype.kind == "i"   # ids, nulls in some rows


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
    # spans given: what is tested is the row of a region stored without a polygon, not recognition
    gdf = geomap.resolve("Ships crossed the Mediterranean to reach Malta.", [(18, 31), (41, 46)])
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


def reference_frame(rows, gazetteer):
    """The frame as first written, plainly: a record per row, then each column cast to its dtype (slow)."""
    records = [
        {
            "doc": doc, "start": p.mention.start, "end": p.mention.end, "mention": p.mention.text,
            "name": p.name, "kind": p.kind, "feature": p.feature,
            "country_code": ",".join(p.country_codes) or None,
            "geonameid": p.geonameid, "lat": p.lat, "lon": p.lon,
            "approximate": p.kind == "region" and p.geometry is not None and p.geometry[0] == "point",
            **dict(zip(("west", "south", "east", "north"), p.extent or (None,) * 4)), "score": p.score,
            "placed_by": f"near:{p.near}" if p.placed_by == "near" else p.placed_by,
            "event": e.label, "event_id": e.id, "event_role": p.event_role, "trigger_start": e.trigger_start,
            "trigger_end": e.trigger_end,
            "event_date": e.date, "event_actors": "; ".join(e.actors),
            "found_by": p.mention.label, "role": p.mention.role, "metonym": p.mention.metonym,
            "sentence": p.sentence, "source": p.mention.label,
        }
        for doc, p, e in rows
    ]
    frame = pd.DataFrame.from_records(records, columns=export.COLUMNS)
    for column in ("geonameid", "event_id", "trigger_start", "trigger_end"):
        frame[column] = frame[column].astype("Int64")
    for column in ("doc", "start", "end"):
        frame[column] = frame[column].astype("int64")
    for column in ("lat", "lon", "score", "west", "south", "east", "north"):
        frame[column] = frame[column].astype("float64")
    frame["placed_by"] = frame["placed_by"].astype("string")
    geometry = gpd.GeoSeries(export.shapes([p.geometry for _, p, _ in rows], gazetteer), crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


@pytest.fixture
def frames_built(monkeypatch):
    """The rows each call hands to ``to_geodataframe``, with the frame it built from them."""
    built = []

    def recording(rows, gazetteer=None, **options):
        gdf = to_geodataframe(rows, gazetteer, **options)
        built.append((rows, gazetteer, gdf, dict(gdf.attrs)))  # attrs as built: the caller adds its own
        return gdf

    to_geodataframe = export.to_geodataframe
    monkeypatch.setattr(export, "to_geodataframe", recording)
    return built


def test_geodataframe_is_the_reference_construction(frames_built, seed_text):
    geomap.geoparse(seed_text, demonyms=True, modifiers=True)       # events, dates, actors, roles, metonyms
    geomap.geoparse([seed_text, "Ships crossed the Mediterranean to reach Malta."])  # several docs; an extent
    geomap.resolve("Qwxzzyville and Paris", [(0, 11), (16, 21)])    # a place that nothing fits
    geomap.resolve("Qwxzzyville", [(0, 11)])                        # no place at all: no name, kind, date
    geomap.geoparse("")                                              # no rows
    assert len(frames_built) == 5
    for rows, gazetteer, gdf, attrs in frames_built:
        expected = reference_frame(rows, gazetteer)
        pd.testing.assert_frame_equal(gdf, expected, check_dtype=True, check_exact=True,
                                      check_index_type=True, check_column_type=True)
        assert type(gdf) is gpd.GeoDataFrame and gdf.geometry.name == "geometry"
        assert gdf.crs == expected.crs and attrs == expected.attrs
        # rows that name one shape share the object: GeoJSON writes a shared shape once
        assert all(a is b for a, b in zip(gdf.geometry, expected.geometry))
    # the inputs cover text columns with a missing value, with none but missing ones, and no rows at all
    partly, unplaced, empty = (gdf for *_, gdf, _ in frames_built[2:])
    assert partly["name"].isna().tolist() == [True, False] and unplaced["name"].isna().all()
    assert len(empty) == 0
