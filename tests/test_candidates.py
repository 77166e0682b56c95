from pathlib import Path

import pytest

from geomap.candidates import Gazetteer
from geomap.errors import GazetteerError


def test_city_lookup_carries_gazetteer_fields(gazetteer):
    (stavanger,) = [c for c in gazetteer.lookup("Stavanger") if c.country_code == "NO"]
    assert stavanger.kind == "point" and stavanger.geonameid == 3137115
    assert stavanger.population > 100_000
    assert abs(stavanger.lat - 58.97) < 0.01 and abs(stavanger.lon - 5.73) < 0.01
    assert stavanger.matched == "name"


def test_country_is_a_region_with_polygon_and_label_point(gazetteer):
    turkey = next(c for c in gazetteer.lookup("Turkey") if c.is_country)
    assert turkey.kind == "region" and turkey.country_code == "TR" and turkey.feature == "PCLI"
    shape = gazetteer.shape(turkey.place_id)
    assert shape.geom_type in {"Polygon", "MultiPolygon"} and shape.is_valid
    from shapely.geometry import Point
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
