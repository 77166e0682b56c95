"""``near=``: where the texts come from (a local paper's home) decides between towns of one name."""
import json
import pickle

import pytest
from click.testing import CliRunner

import geomap
from geomap.cli import cli
from geomap.models import Candidate
from geomap.parser import Geoparser
from geomap.resolution import Near, where_is
from geomap.resolution.near import NEAR_PROVINCE_WEIGHT, NEAR_TOWN_WEIGHT

from .helpers import resolve_words

TEXT = "Police in Alexandria arrested two men on Sunday."


def candidate(**fields) -> Candidate:
    base = dict(place_id=1, geonameid=None, name="X", kind="point", feature="PPL", country_code="US", admin1="LA",
                population=1000, lat=31.31, lon=-92.45, west=None, south=None, east=None, north=None, matched="name")
    return Candidate(**{**base, **fields})


def test_a_town_and_its_province_resolve_like_a_text_naming_them(gazetteer):
    macon = where_is("Macon, Georgia", gazetteer)
    assert (macon.country_code, macon.admin1, macon.kind) == ("US", "GA", "point")
    assert macon.lat == pytest.approx(32.84, abs=0.1) and macon.lon == pytest.approx(-83.63, abs=0.1)
    assert where_is("Macon, France", gazetteer).country_code == "FR"


def test_a_province_is_a_region_and_coordinates_a_point(gazetteer):
    minnesota = where_is("Minnesota", gazetteer)
    assert (minnesota.country_code, minnesota.admin1, minnesota.kind) == ("US", "MN", "region")
    point = where_is((45.0, -93.0), gazetteer)
    assert (point.lat, point.lon, point.country_code, point.kind) == (45.0, -93.0, None, "point")
    assert where_is(None, gazetteer) is None and where_is(point, gazetteer) is point


@pytest.mark.parametrize("bad", ["Qqzxville", "", "  ", 42, (95.0, 0.0), ("a", "b", "c")])
def test_a_place_the_gazetteer_lacks_or_a_bad_value_is_a_clear_error(gazetteer, bad):
    with pytest.raises((ValueError, TypeError)) as err:
        where_is(bad, gazetteer)
    assert "near" in str(err.value) or isinstance(err.value, TypeError)


def test_the_prior_favours_towns_near_it_and_in_its_province_never_countries():
    home = Near("Alexandria", 31.31, -92.45, "US", "LA")
    assert home.weight(candidate()) == NEAR_TOWN_WEIGHT + NEAR_PROVINCE_WEIGHT
    assert home.weight(candidate(lat=30.45, lon=-91.19)) == NEAR_TOWN_WEIGHT + NEAR_PROVINCE_WEIGHT  # Baton Rouge, 150 km
    assert home.weight(candidate(lat=29.95, lon=-90.07)) == NEAR_PROVINCE_WEIGHT   # New Orleans, 270 km
    assert home.weight(candidate(lat=31.5, lon=-94.0, admin1="TX")) == NEAR_TOWN_WEIGHT    # across the state line
    assert home.weight(candidate(lat=38.8, lon=-77.05, admin1="VA")) == 0.0
    assert home.weight(candidate(kind="region", feature="PCLI", admin1=None)) == 0.0
    region = Near("Louisiana", 31.0, -92.0, "US", "LA", kind="region")
    assert region.weight(candidate(lat=29.95, lon=-90.07)) == NEAR_PROVINCE_WEIGHT


def test_near_turns_a_namesake_to_the_local_town(gazetteer):
    (alone,) = resolve_words(gazetteer, TEXT, ["Alexandria"])
    home = where_is("Alexandria, Louisiana", gazetteer)
    (local,) = resolve_words(gazetteer, TEXT, ["Alexandria"], near=home)
    (virginia,) = resolve_words(gazetteer, TEXT, ["Alexandria"], near=where_is("Virginia", gazetteer))
    assert alone.candidate.country_code == "EG"
    assert (local.candidate.country_code, local.candidate.admin1) == ("US", "LA")
    assert (virginia.candidate.country_code, virginia.candidate.admin1) == ("US", "VA")


def test_near_does_not_move_a_place_the_text_pins_down(gazetteer):
    text = "Floods in Romania hit Alexandria."
    romania, town = resolve_words(gazetteer, text, ["Romania", "Alexandria"], near=where_is("Virginia", gazetteer))
    assert romania.candidate.country_code == "RO"


@pytest.mark.model
def test_geoparse_and_the_geoparser_take_near():
    gdf = geomap.geoparse(TEXT, near="Alexandria, Louisiana")
    assert list(gdf["country_code"]) == ["US"] and gdf["lat"].iloc[0] == pytest.approx(31.3, abs=0.2)
    geoparser = Geoparser(near="Virginia")
    assert geoparser.parse(TEXT)["lon"].iloc[0] == pytest.approx(-77.05, abs=0.3)
    assert geoparser.parse(TEXT, near="Louisiana")["lat"].iloc[0] == pytest.approx(31.3, abs=0.2)
    assert pickle.loads(pickle.dumps(geoparser)).near == "Virginia"
    resolved = geomap.resolve(TEXT, [(10, 20)], near=(31.3, -92.4))
    assert resolved["country_code"].iloc[0] == "US"


@pytest.mark.model
def test_cli_near(tmp_path):
    source = tmp_path / "story.txt"
    source.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out.geojson"
    runner = CliRunner()
    result = runner.invoke(cli, ["geojson", str(source), "-o", str(out), "--near", "Alexandria, Louisiana"])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["features"][0]["properties"]["country_code"] == "US"
    result = runner.invoke(cli, ["geojson", str(source), "-o", str(out), "--near", "Qqzxville"])
    assert result.exit_code == 1 and "Qqzxville" in result.output and "Traceback" not in result.output
