"""`geomap gazetteer add/remove`: the user's own places (polygons, lines, points) in their copy of the gazetteer."""
import json
import sqlite3

import geopandas
import pytest
import shapely
from click.testing import CliRunner
from shapely.geometry import LineString, Point, Polygon

import geomap
from geomap.candidates import Gazetteer, packaged_gazetteer_path
from geomap.cli import cli
from geomap.models import Candidate
from geomap.user_gazetteer import Fields, add_dataset, writable_gazetteer

# an invented neighbourhood in Berlin, and one without people on record
KELLERHOF = Polygon([(13.40, 52.50), (13.42, 52.50), (13.42, 52.52), (13.40, 52.52)])
MARBEK = Polygon([(13.43, 52.50), (13.45, 52.50), (13.44, 52.53)])
VILLAGES_CSV = "Name;Lat;LNG;Land;Einwohner\nBrammelsdorf;51.1;10.2;de;310\nQuernitz;51.2;10.3;DE;\n"


def feature_collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": properties, "geometry": shapely.geometry.mapping(geometry)}
        for properties, geometry in features]})


@pytest.fixture
def out(tmp_path, monkeypatch):
    """The gazetteer to write; $GEOMAP_GAZETTEER points at it, so nothing reaches the real user folder."""
    path = tmp_path / "user" / "gazetteer.sqlite"
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(path))
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path / "cache"))
    return path


@pytest.fixture
def neighbourhoods(tmp_path):
    path = tmp_path / "neighbourhoods.geojson"
    path.write_text(feature_collection(
        ({"name": "Kellerhof Quarter", "other": "Kellerhof; Old Kellerhof", "people": 5400}, KELLERHOF),
        ({"name": "Marbek Yards", "other": None, "people": None}, MARBEK),
        ({"name": "", "other": "nameless", "people": 3}, MARBEK)))
    return path


@pytest.fixture
def villages(tmp_path):
    path = tmp_path / "villages.csv"
    path.write_text(VILLAGES_CSV, encoding="utf-8")
    return path


def add(*args):
    return CliRunner().invoke(cli, ["gazetteer", "add", *map(str, args)])


def user_rows(path, source):
    with sqlite3.connect(path) as db:
        places = db.execute("SELECT COUNT(*) FROM places WHERE source = ?", (source,)).fetchone()[0]
        names = db.execute("SELECT COUNT(*) FROM names WHERE place_id IN (SELECT id FROM places WHERE source = ?)",
                           (source,)).fetchone()[0]
        shapes = db.execute("SELECT COUNT(*) FROM shapes WHERE place_id IN (SELECT id FROM places WHERE source = ?)",
                            (source,)).fetchone()[0]
    return places, names, shapes


def test_a_polygon_is_a_region_with_its_shape_and_names(out, neighbourhoods):
    result = add(neighbourhoods, "--alias", "other", "--population-field", "people", "--country", "de")
    assert result.exit_code == 0, result.output
    assert "added 2 places (2 shapes, 4 names) as dataset neighbourhoods" in result.output
    assert "skipped 1 row without a name (row 3)" in result.output
    (place,) = Gazetteer(out).lookup("Kellerhof Quarter")
    assert (place.kind, place.feature, place.country_code, place.population) == ("region", "AREA", "DE", 5400)
    assert place.source == "user:neighbourhoods" and place.is_user_place and place.geonameid is None
    assert KELLERHOF.contains(Point(place.lon, place.lat))
    assert Gazetteer(out).shape(place.place_id).equals(KELLERHOF)
    assert [c.matched for c in Gazetteer(out).lookup("Old Kellerhof")] == ["alias"]
    assert Gazetteer(out).lookup("Marbek Yards")[0].population == 0


def test_a_csv_village_list_is_points(out, villages):
    result = add(villages, "--country-field", "Land", "--population-field", "Einwohner")
    assert result.exit_code == 0, result.output
    (village,) = Gazetteer(out).lookup("Brammelsdorf")
    assert (village.kind, village.feature, village.lat, village.lon) == ("point", "PPL", 51.1, 10.2)
    assert (village.country_code, village.population, village.source) == ("DE", 310, "user:villages")
    assert Gazetteer(out).shape(village.place_id) is None
    assert user_rows(out, "user:villages") == (2, 2, 0)


def test_a_geopackage_in_another_crs_is_reprojected(out, tmp_path):
    path = tmp_path / "parks.gpkg"
    frame = geopandas.GeoDataFrame({"label": ["Ostwiese Park"], "code": ["PRK"]}, geometry=[KELLERHOF], crs=4326)
    frame.to_crs(3857).to_file(path, driver="GPKG")
    result = add(path, "--name", "label", "--feature-field", "code", "--dataset", "parks")
    assert result.exit_code == 0, result.output
    (park,) = Gazetteer(out).lookup("Ostwiese Park")
    assert park.feature == "PRK" and park.source == "user:parks"
    shape = Gazetteer(out).shape(park.place_id)
    assert shape.bounds == pytest.approx(KELLERHOF.bounds, abs=1e-6)


def test_a_line_is_a_region_drawn_on_the_line(out, tmp_path):
    river = LineString([(13.0, 52.0), (13.5, 52.2), (14.0, 52.1)])
    path = tmp_path / "rivers.geojson"
    path.write_text(feature_collection(({"name": "Wendelbach"}, river)))
    assert add(path).exit_code == 0
    (place,) = Gazetteer(out).lookup("Wendelbach")
    assert (place.kind, place.feature) == ("region", "STM")
    assert river.distance(Point(place.lon, place.lat)) < 1e-6
    assert Gazetteer(out).shape(place.place_id).geom_type == "LineString"


def test_kind_and_feature_options_override_the_geometry(out, neighbourhoods):
    assert add(neighbourhoods, "--kind", "point", "--feature", "ppl").exit_code == 0
    (place,) = Gazetteer(out).lookup("Kellerhof Quarter")
    assert (place.kind, place.feature) == ("point", "PPL")
    assert Gazetteer(out).shape(place.place_id) is None


def test_adding_again_replaces_the_dataset(out, neighbourhoods, tmp_path):
    assert add(neighbourhoods).exit_code == 0
    neighbourhoods.write_text(feature_collection(({"name": "Kellerhof Quarter"}, MARBEK)))
    result = add(neighbourhoods)
    assert result.exit_code == 0 and "replacing 2 places" in result.output
    assert user_rows(out, "user:neighbourhoods") == (1, 1, 1)
    assert Gazetteer(out).lookup("Marbek Yards") == ()
    (place,) = Gazetteer(out).lookup("Kellerhof Quarter")
    assert Gazetteer(out).shape(place.place_id).equals(MARBEK)


def test_remove_deletes_places_names_and_shapes(out, neighbourhoods, villages):
    assert add(neighbourhoods, "--alias", "other").exit_code == 0
    assert add(villages).exit_code == 0
    result = CliRunner().invoke(cli, ["gazetteer", "remove", "neighbourhoods"])
    assert result.exit_code == 0, result.output
    assert "2 places, 4 names, 2 shapes" in result.output
    assert user_rows(out, "user:neighbourhoods") == (0, 0, 0)
    assert Gazetteer(out).lookup("Old Kellerhof") == ()
    assert Gazetteer(out).lookup("Brammelsdorf")          # the other dataset stays
    assert Gazetteer(out).lookup("Turkey")[0].is_country  # and the base gazetteer
    again = CliRunner().invoke(cli, ["gazetteer", "remove", "neighbourhoods"])
    assert again.exit_code == 1 and "no dataset 'neighbourhoods'" in again.output and "villages" in again.output


def test_info_lists_the_user_datasets(out, neighbourhoods, villages):
    add(neighbourhoods), add(villages)
    result = CliRunner().invoke(cli, ["gazetteer", "info"])
    assert result.exit_code == 0, result.output
    assert "user dataset neighbourhoods: 2 places, 2 shapes from " + str(neighbourhoods) in result.output
    assert "user dataset villages: 2 places, 0 shapes" in result.output


def test_the_packaged_gazetteer_is_copied_never_written(tmp_path, monkeypatch, villages):
    monkeypatch.delenv("GEOMAP_GAZETTEER", raising=False)
    user_file = tmp_path / "data" / "gazetteer.sqlite"
    monkeypatch.setattr("geomap.candidates.user_gazetteer_path", lambda: user_file)
    packaged = packaged_gazetteer_path()
    before = packaged.stat().st_mtime_ns
    result = add(villages)
    assert result.exit_code == 0 and str(user_file) in result.output
    assert Gazetteer(user_file).lookup("Quernitz") and not Gazetteer(packaged).lookup("Quernitz")
    assert packaged.stat().st_mtime_ns == before
    refused = add(villages, "--output", packaged)
    assert refused.exit_code == 1 and "ships with geomap" in refused.output


def test_an_explicit_output_wins_over_the_environment(out, tmp_path, villages):
    other = tmp_path / "other.sqlite"
    assert add(villages, "-o", other).exit_code == 0
    assert Gazetteer(other).lookup("Quernitz") and not out.exists()


def test_adding_and_removing_changes_the_cache_namespace(out, villages):
    writable_gazetteer()
    fingerprints = [Gazetteer(out).fingerprint()]
    add(villages)
    fingerprints.append(Gazetteer(out).fingerprint())
    CliRunner().invoke(cli, ["gazetteer", "remove", "villages"])
    fingerprints.append(Gazetteer(out).fingerprint())
    assert len(set(fingerprints)) == 3


def test_the_library_reports_skipped_rows(out, neighbourhoods):
    added = add_dataset(writable_gazetteer(), neighbourhoods, Fields(aliases=("other",)), "hoods")
    assert (added.dataset, added.places, added.shapes, added.names) == ("hoods", 2, 2, 4)
    assert added.skipped == {"without a name": [3]}


@pytest.mark.parametrize("content, args, message", [
    (None, [], "no such file"),
    ("this is not a map", [], "cannot read it as a vector file"),
    (feature_collection(({"title": "X"}, KELLERHOF)), [], "no 'name' field (give --name); its fields are title"),
    (feature_collection(({"name": "X"}, KELLERHOF)), ["--alias", "aka"], "no field 'aka'; its fields are name"),
    (feature_collection(({"name": ""}, KELLERHOF)), [], "no places to add; 1 rows without a name"),
    (feature_collection(({"name": "X"}, KELLERHOF)), ["--country", "Germany"], "'GERMANY' is not a two-letter"),
    (feature_collection(({"name": "X", "n": "many"}, KELLERHOF)), ["--population-field", "n"],
     "row 1: population 'many' is not a number"),
])
def test_bad_geojson_is_one_clear_line(out, tmp_path, content, args, message):
    path = tmp_path / "places.geojson"
    if content is not None:
        path.write_text(content)
    result = add(path, *args)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("content, args, message", [
    ("name,a,b\nX,1,2\n", [], "no coordinate columns (lon/lng/longitude/x and lat/latitude/y, or --lon and --lat); "
                              "its columns are name, a, b"),
    ("name,lat,lon\nX,1,2\nY,north,3\n", [], "row 2 has coordinates that are not numbers (lon='3', lat='north')"),
    ("name,lat,lon\nX,95,2\n", [], "row 1 has coordinates outside longitude/latitude"),
    ("name,a,b\nX,1,2\n", ["--lon", "a", "--lat", "c"], "no field 'c'; its fields are name, a, b"),
    (b"name,lat,lon\n\xff\xfe,1,2\n", [], "cannot read it as a UTF-8 CSV"),
])
def test_bad_csv_is_one_clear_line(out, tmp_path, content, args, message):
    path = tmp_path / "places.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = add(path, *args)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_csv_with_chosen_coordinate_columns(out, tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("site,east,north\nHollerbruck Mill,11.5,48.2\n")
    assert add(path, "--name", "site", "--lon", "east", "--lat", "north").exit_code == 0
    (mill,) = Gazetteer(out).lookup("Hollerbruck Mill")
    assert (mill.lon, mill.lat) == (11.5, 48.2)


def test_candidates_carry_their_source():
    assert Candidate(1, None, "X", "point", "PPL", None, None, 0, 0.0, 0.0, None, None, None, None, "name").source is None
    assert Gazetteer().lookup("Turkey")[0].source == "naturalearth"


# -- geoparsing with the user's places --------------------------------------------------------
@pytest.mark.model
def test_geoparse_finds_a_users_neighbourhood_with_its_polygon(out, neighbourhoods):
    assert add(neighbourhoods).exit_code == 0   # no population on record: a named area, like a physical feature
    gdf = geomap.geoparse("Police closed several streets in Kellerhof Quarter on Tuesday after a fire.",
                          gazetteer=Gazetteer(out))
    (row,) = gdf[gdf["mention"] == "Kellerhof Quarter"].itertuples()
    assert (row.name, row.kind, row.feature) == ("Kellerhof Quarter", "region", "AREA")
    assert row.geometry.equals(KELLERHOF)


@pytest.mark.model


def test_geoparse_finds_villages_where_the_text_names_their_country(out, villages):
    assert add(villages, "--country-field", "Land").exit_code == 0
    gdf = geomap.geoparse("Residents of Brammelsdorf and Quernitz, two villages in Germany, were evacuated.",
                          gazetteer=Gazetteer(out))
    found = {row.name: (row.geometry.x, row.geometry.y) for row in gdf.itertuples() if row.kind == "point"}
    assert found == {"Brammelsdorf": (10.2, 51.1), "Quernitz": (10.3, 51.2)}


@pytest.mark.model


def test_geoparse_finds_a_users_village_without_context(out, villages):
    assert add(villages).exit_code == 0
    gdf = geomap.geoparse("Residents of Quernitz were evacuated on Monday.", gazetteer=Gazetteer(out))
    assert list(gdf["name"]) == ["Quernitz"]   # USER_PLACE_WEIGHT: the user's place clears "none of them"


@pytest.fixture
def fresh_defaults():
    """geomap.geoparse's shared gazetteer and geoparser, forgotten afterwards (they would keep this test's file)."""
    from geomap.candidates import default_gazetteer
    from geomap.pipeline import default_geoparser
    yield
    default_gazetteer.cache_clear()
    default_geoparser.cache_clear()


@pytest.mark.model


def test_geoparse_sees_a_dataset_added_from_python(out, neighbourhoods, fresh_defaults):
    text = "Police closed several streets in Kellerhof Quarter on Tuesday after a fire."
    writable_gazetteer()
    assert geomap.geoparse(text)["name"].isna().all()   # the shared gazetteer is open, without the place
    add_dataset(out, neighbourhoods)
    assert list(geomap.geoparse(text)["name"]) == ["Kellerhof Quarter"]


def test_a_file_with_several_layers_needs_one_chosen(out, tmp_path):
    path = tmp_path / "places.gpkg"
    geopandas.GeoDataFrame({"name": ["Ostwiese Park"]}, geometry=[KELLERHOF], crs=4326).to_file(path, layer="parks")
    river = LineString([(13.0, 52.0), (14.0, 52.1)])
    geopandas.GeoDataFrame({"name": ["Wendelbach"]}, geometry=[river], crs=4326).to_file(path, layer="rivers")
    refused = add(path)
    assert refused.exit_code == 1 and "has 2 layers (parks, rivers): choose one with --layer" in refused.output
    result = add(path, "--layer", "rivers")
    assert result.exit_code == 0 and "as dataset places-rivers" in result.output
    assert Gazetteer(out).lookup("Wendelbach")[0].source == "user:places-rivers"
    assert "Layer 'lakes' could not be opened" in add(path, "--layer", "lakes").output
