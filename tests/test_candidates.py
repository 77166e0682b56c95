import multiprocessing
import os
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point

from geomap.candidates import Gazetteer
from geomap.errors import GazetteerError


def test_city_lookup_carries_gazetteer_fields(gazetteer):
    stavanger = next(c for c in gazetteer.lookup("Stavanger") if c.country_code == "NO" and c.feature.startswith("PPL"))
    assert stavanger.kind == "point" and stavanger.geonameid == 3137115
    assert stavanger.population > 100_000
    assert abs(stavanger.lat - 58.97) < 0.01 and abs(stavanger.lon - 5.73) < 0.01
    assert stavanger.matched == "name"


def test_country_is_a_region_with_polygon_and_label_point(gazetteer):
    turkey = next(c for c in gazetteer.lookup("Turkey") if c.is_country)
    assert turkey.kind == "region" and turkey.country_code == "TR" and turkey.feature == "PCLI"
    shape = gazetteer.shape(turkey.place_id)
    assert shape.geom_type in {"Polygon", "MultiPolygon"} and shape.is_valid
    assert shape.contains(Point(turkey.lon, turkey.lat))  # label point, not Ankara
    assert gazetteer.lookup("Turkey")[0].is_country  # countries come first in the file


@pytest.mark.parametrize("alias, code", [("UK", "GB"), ("Holland", "NL"), ("Ivory Coast", "CI"), ("Türkiye", "TR")])
def test_curated_country_aliases(gazetteer, alias, code):
    assert any(c.is_country and c.country_code == code for c in gazetteer.lookup(alias))


def test_france_and_norway_have_codes_although_natural_earth_says_minus_99(gazetteer):
    assert gazetteer.country("FR").name == "France"
    assert gazetteer.country("NO").name == "Norway"


def test_lookup_is_case_and_diacritic_insensitive(gazetteer):
    assert {c.place_id for c in gazetteer.lookup("zurich")} == {c.place_id for c in gazetteer.lookup("Zürich")}
    assert gazetteer.lookup("Zürich")


def test_alternate_names_match_as_alias(gazetteer):
    moscow = [c for c in gazetteer.lookup("Moskva") if c.country_code == "RU"]
    assert moscow and moscow[0].matched == "alias"


def test_unknown_and_empty_names_have_no_candidates(gazetteer):
    assert gazetteer.lookup("Qwxzzyville") == ()
    assert gazetteer.lookup("  ") == ()


def test_continent_has_union_polygon(gazetteer):
    europe = next(c for c in gazetteer.lookup("Europe") if c.feature == "CONT")
    assert gazetteer.shape(europe.place_id).area > 100


def test_missing_file_raises_gazetteer_error(tmp_path):
    with pytest.raises(GazetteerError, match="not found"):
        Gazetteer(Path(tmp_path) / "none.sqlite").lookup("Oslo")


@pytest.mark.parametrize("name, expected_name, how", [
    ("Calif.", "California", "abbreviation"),
    ("NSW", "New South Wales", "abbreviation"),
    ("La.", "Louisiana", "abbreviation"),
    ("St. Petersburg", "Saint Petersburg", None),
    ("Saint Louis", "St. Louis", None),
    ("Mt. Kenya", "Kenya", None),
])
def test_abbreviations_find_the_full_name(gazetteer, name, expected_name, how):
    found = gazetteer.lookup(name)
    match = next((c for c in found if c.name == expected_name or expected_name in c.name), None)
    assert match is not None, [c.name for c in found]
    if how:
        assert match.matched == how


def test_fuzzy_lookup_only_when_asked_and_says_so(gazetteer):
    assert gazetteer.lookup("Brussles") == ()
    found = gazetteer.lookup("Brussles", True)
    assert found and found[0].name == "Brussels" and found[0].matched == "fuzzy"
    assert gazetteer.lookup("Qwxzzyville", True) == ()


def test_folded_match_is_marked(gazetteer):
    zurich = next(c for c in gazetteer.lookup("Zurich") if c.country_code == "CH")
    assert zurich.name == "Zürich" and zurich.matched == "folded"


@pytest.mark.parametrize("demonym, code", [("Turkish", "TR"), ("Syrian", "SY"), ("Syrians", "SY"), ("Russian", "RU")])
def test_demonyms_point_to_their_country(gazetteer, demonym, code):
    found = [c for c in gazetteer.lookup(demonym) if c.matched == "demonym"]
    assert found and found[0].is_country and found[0].country_code == code


def test_first_level_region_has_polygon_codes_and_prominence(gazetteer):
    kentucky = next(c for c in gazetteer.lookup("Kentucky") if c.feature == "ADM1")
    assert kentucky.country_code == "US" and kentucky.admin1 == "KY" and kentucky.population > 1_000_000
    shape = gazetteer.shape(kentucky.place_id)
    assert shape.is_valid and -90 < shape.centroid.x < -82 and 36 < shape.centroid.y < 39
    display = gazetteer.shape(kentucky.place_id, "display")
    assert len(shapely.get_coordinates(display)) < len(shapely.get_coordinates(shape))


def test_us_county_is_a_region_point_in_its_state(gazetteer):
    scott = [c for c in gazetteer.lookup("Scott County") if c.feature == "ADM2"]
    assert len(scott) > 5 and all(c.country_code == "US" and c.admin1 for c in scott)


def test_airport_is_a_point(gazetteer):
    (heathrow,) = [c for c in gazetteer.lookup("London Heathrow Airport") if c.feature == "AIRP"]
    assert heathrow.kind == "point" and heathrow.country_code == "GB"


@pytest.mark.parametrize("name, feature", [
    ("Mediterranean", "SEA"), ("Strait of Hormuz", "STRT"), ("Gaza Strip", "ZN"), ("Sahara", "DSRT"),
    ("Danube", "STM"), ("Himalayas", "MTS"),
])
def test_curated_physical_features(gazetteer, name, feature):
    found = next(c for c in gazetteer.lookup(name) if c.feature == feature)
    assert found.kind == "region" and found.west < found.lon < found.east and found.south < found.lat < found.north


@pytest.mark.parametrize("name, member, outsider", [
    ("Middle East", "SY", "NO"), ("Balkans", "RS", "TR"), ("European Union", "FR", "NO"), ("Scandinavia", "NO", "TR"),
])
def test_macro_regions_are_unions_of_countries(gazetteer, name, member, outsider):
    region = next(c for c in gazetteer.lookup(name) if c.feature == "RGN")
    shape = gazetteer.shape(region.place_id)
    inside = gazetteer.country(member)
    outside = gazetteer.country(outsider)
    assert shape.contains(Point(inside.lon, inside.lat)) and not shape.contains(Point(outside.lon, outside.lat))


def test_gazetteer_that_is_not_sqlite_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(GazetteerError, match="not a geomap gazetteer"):
        Gazetteer(path).lookup("Oslo")


def test_a_place_own_name_abbreviated_is_no_alias(gazetteer):
    # GeoNames lists "St. Paris" among Saint Paris's alternate names: it is the name itself, abbreviated
    assert {c.matched for c in gazetteer.lookup("St. Paris") if c.name == "Saint Paris"} == {"folded"}


# ------------------------------------------------------------ shapes kept by bytes, connections never across a fork

def test_shape_cache_is_bounded_by_bytes():
    gazetteer = Gazetteer(shape_cache_bytes=2_000_000)
    countries = gazetteer.country_ids()
    first = gazetteer.shape(countries[0])
    for place_id in countries:
        gazetteer.shape(place_id)
        assert gazetteer.shapes.bytes <= 2_000_000
    assert 0 < len(gazetteer.shapes) < len(countries)
    assert gazetteer.shape(countries[0]).equals(first)   # read again once dropped


def test_close_closes_every_thread_connection_and_the_next_lookup_reopens():
    import sqlite3
    import threading
    gazetteer = Gazetteer()
    main = gazetteer.db
    other = []
    thread = threading.Thread(target=lambda: other.append(gazetteer.db))
    thread.start()
    thread.join()
    assert other[0] is not main
    gazetteer.close()
    for conn in (main, other[0]):
        with pytest.raises(sqlite3.ProgrammingError, match="closed"):
            conn.execute("SELECT 1")
    assert gazetteer.lookup("Oslo") and gazetteer.db is not main


def _lookups_in_a_forked_child(gazetteer, inherited, answer):
    import gc

    from geomap import candidates
    try:
        assert gazetteer.lookup("Stavanger") and gazetteer.country("NO")   # not cached: both query the file
        gc.collect()   # the inherited connection, no longer this thread's, must not be closed by the GC either
        assert gazetteer.db is not inherited and any(c is inherited for c in candidates._INHERITED)
        answer.send("ok")
    except BaseException as exc:  # report instead of dying silently
        answer.send(repr(exc))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_a_forked_child_never_uses_its_parent_connection(tmp_path):
    """SQLite forbids using a connection across fork(): the child opens its own. Every statement run on the
    parent's connection is traced, with the process that ran it."""
    gazetteer = Gazetteer()
    gazetteer.lookup("Oslo")   # the parent's connection is open
    inherited = gazetteer.db
    trace = tmp_path / "trace.txt"

    def record(statement):
        with trace.open("a") as handle:
            handle.write(f"{os.getpid()}\n")
    inherited.set_trace_callback(record)
    context = multiprocessing.get_context("fork")
    mine, theirs = context.Pipe()
    child = context.Process(target=_lookups_in_a_forked_child, args=(gazetteer, inherited, theirs))
    child.start()
    assert mine.poll(60), "child did not answer"
    assert mine.recv() == "ok"
    child.join(10)
    assert child.exitcode == 0
    assert gazetteer.lookup("Bergen") and gazetteer.db is inherited   # still open, still the parent's
    assert set(trace.read_text().split()) == {str(os.getpid())}
