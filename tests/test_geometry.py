import pickle
from dataclasses import replace

import pytest
import shapely
import spacy
from shapely.geometry import Point

from geomap.candidates import Gazetteer
from geomap.geometry import (BORDER_TOLERANCE_DEG, LAND_GAP_DEG, NEIGHBOUR_DEG, build_place, country_shapes, length_km,
                             lines_of, shape_of, shared_border, water_boundary)
from geomap.recognition import mentions_from_spans
from geomap.resolution import resolve_mentions

BLANK = spacy.blank("en")


def place_for(gazetteer, text):
    """The place built for the text, its geometry key turned into its shape (as outputs do)."""
    (mention,) = mentions_from_spans(BLANK(text), [(0, len(text))], gazetteer)
    (resolution,) = resolve_mentions(text, [mention], gazetteer)
    place = build_place(mention, resolution, gazetteer)
    return replace(place, geometry=shape_of(place.geometry, gazetteer))


@pytest.mark.parametrize("text, kind", [("Stavanger", "point"), ("Norway", "place"), ("Syria-Turkey border", "border"),
                                        ("Turkey's southern border", "side"), ("Syria's Mediterranean coast", "coast"),
                                        ("northern Syria", "part")])
def test_places_carry_a_small_geometry_key(gazetteer, text, kind):
    (mention,) = mentions_from_spans(BLANK(text), [(0, len(text))], gazetteer)
    (resolution,) = resolve_mentions(text, [mention], gazetteer)
    key = build_place(mention, resolution, gazetteer).geometry
    assert key[0] == kind and len(pickle.dumps(key)) < 100
    assert shape_of(key, gazetteer) is shape_of(key, gazetteer)   # computed once


def test_county_with_a_polygon_is_drawn_as_it(gazetteer):
    place = place_for(gazetteer, "Fulton County")
    assert place.feature == "ADM2" and place.kind == "region"
    assert place.geometry.geom_type in ("Polygon", "MultiPolygon")
    assert place.geometry.contains(Point(place.lon, place.lat))   # its seat, still its point


def test_syria_turkey_border_is_the_real_shared_line(gazetteer):
    place = place_for(gazetteer, "Syria-Turkey border")
    assert place.kind == "border" and place.geometry.geom_type in {"LineString", "MultiLineString"}
    assert 700 < length_km(place.geometry) < 950   # the real border is about 820-910 km
    minx, miny, maxx, maxy = place.geometry.bounds
    assert 35.5 < minx < 36.5 and 42 < maxx < 42.6   # Mediterranean coast to the Tigris
    assert 35.5 < miny and maxy < 37.5
    assert place.geometry.distance(Point(place.lon, place.lat)) < 1e-6  # midpoint lies on the line


def test_countries_that_do_not_touch_have_no_border(gazetteer):
    norway = next(c for c in gazetteer.lookup("Norway") if c.is_country)
    syria = next(c for c in gazetteer.lookup("Syria") if c.is_country)
    assert shared_border(norway, syria, gazetteer) is None
    assert place_for(gazetteer, "Norway-Syria border").geometry is None


def test_country_gets_its_polygon_and_label_point(gazetteer):
    place = place_for(gazetteer, "Norway")
    assert place.kind == "region" and place.geometry.geom_type == "MultiPolygon"
    assert place.geometry.contains(Point(place.lon, place.lat))


def test_city_gets_a_point(gazetteer):
    place = place_for(gazetteer, "Stavanger")
    assert place.kind == "point" and place.geometry.equals(Point(5.73332, 58.97005))


def test_unknown_place_has_no_geometry(gazetteer):
    place = place_for(gazetteer, "Qwxzzyville")
    assert place.geometry is None and place.lat is None and place.kind is None


@pytest.mark.parametrize("coords, km", [([(0, 0), (1, 0)], 111.3), ([(0, 0), (0, 1)], 110.6)])
def test_length_km_is_geodesic(coords, km):
    from shapely.geometry import LineString
    assert abs(length_km(LineString(coords)) - km) < 0.5


def test_coast_is_the_boundary_away_from_land_borders_near_the_sea(gazetteer):
    place = place_for(gazetteer, "Syria's Mediterranean coast")
    assert place.kind == "border" and place.feature == "coast"
    assert 100 < length_km(place.geometry) < 300        # Syria's coast is about 190 km
    assert place.geometry.bounds[0] > 35.6 and place.geometry.bounds[2] < 36.3


@pytest.mark.parametrize("code", ["SY", "TR", "LB"])
def test_a_countrys_stored_coast_is_the_one_drawn_at_run_time(gazetteer, code):
    """The build draws each country's coast with the function run time uses for any other region."""
    country = gazetteer.country(code).place_id
    drawn = water_boundary(gazetteer.shape(country), country_shapes(gazetteer))
    assert shapely.to_wkb(gazetteer.coast(country)) == shapely.to_wkb(drawn)


@pytest.mark.parametrize("code", ["SY", "NO", "GR"])
def test_a_coast_drawn_from_land_clipped_to_its_box_is_the_coast_drawn_from_whole_countries(gazetteer, code):
    shape = gazetteer.shape(gazetteer.country(code).place_id)
    whole = shapely.union_all([s for s in country_shapes(gazetteer) if shapely.dwithin(s, shape, NEIGHBOUR_DEG)])
    whole = whole.buffer(LAND_GAP_DEG, quad_segs=4).buffer(-LAND_GAP_DEG, quad_segs=4)
    reference = lines_of(shapely.intersection(shape.boundary, whole.boundary.buffer(BORDER_TOLERANCE_DEG)))
    clipped = lines_of(water_boundary(shape, country_shapes(gazetteer)))
    assert abs(clipped.length - reference.length) < 1e-5
    assert shapely.hausdorff_distance(clipped, reference) < 1e-5   # ~1 m: GEOS rounds by the input's extent


def test_a_gazetteer_built_before_stored_coasts_has_none_to_give(tmp_path):
    import sqlite3
    older = tmp_path / "older.sqlite"   # a user's copy of a gazetteer built before the coasts table
    db = sqlite3.connect(older)
    db.executescript("CREATE TABLE names (key TEXT); CREATE TABLE shapes (place_id INTEGER PRIMARY KEY, wkb BLOB)")
    db.close()
    assert Gazetteer(older).coast(1) is None


def test_directional_part_is_the_northern_half(gazetteer):
    place = place_for(gazetteer, "northern Syria")
    syria = gazetteer.shape(gazetteer.country("SY").place_id)
    assert place.kind == "region" and place.feature == "part"
    assert place.geometry.bounds[1] >= (syria.bounds[1] + syria.bounds[3]) / 2 - 1e-9
    assert 0.2 < place.geometry.area / syria.area < 0.8
    assert place.geometry.contains(Point(place.lon, place.lat))


def test_border_without_neighbour_is_that_side_of_the_boundary(gazetteer):
    from geomap.geometry import side_of
    turkey = gazetteer.shape(gazetteer.country("TR").place_id)
    south = side_of(turkey.boundary, "southern")
    assert south.bounds[3] <= (turkey.bounds[1] + turkey.bounds[3]) / 2 + 1e-9


def test_border_without_neighbour_from_text(gazetteer):
    place = place_for(gazetteer, "Turkey's southern border")
    turkey = gazetteer.shape(gazetteer.country("TR").place_id)
    assert place.kind == "border" and place.geometry.geom_type in {"LineString", "MultiLineString"}
    assert place.geometry.bounds[3] <= (turkey.bounds[1] + turkey.bounds[3]) / 2 + 1e-9


def test_region_covers_by_polygon_or_extent(gazetteer):
    from geomap.geometry import region_covers
    turkey = gazetteer.country("TR")
    assert region_covers(turkey, 39.93, 32.86, gazetteer) and not region_covers(turkey, 48.85, 2.35, gazetteer)
    sea = next(c for c in gazetteer.lookup("Mediterranean") if c.feature == "SEA")
    assert region_covers(sea, 35.0, 18.0, gazetteer) and not region_covers(sea, 10.0, 18.0, gazetteer)
    bering = next(c for c in gazetteer.lookup("Bering Sea") if c.west > c.east)   # extent across ±180°
    assert region_covers(bering, 58.0, 179.5, gazetteer) and region_covers(bering, 58.0, -175.0, gazetteer)
    ankara = next(c for c in gazetteer.lookup("Ankara") if c.kind == "point")
    assert not region_covers(ankara, 39.93, 32.86, gazetteer)


@pytest.mark.parametrize("text, region", [("Northeast Georgia", "Georgia"), ("Southern California", "California"),
                                          ("southwest Syria", "Syria")])
def test_a_capitalised_or_compass_direction_before_a_region_is_its_part(gazetteer, text, region):
    place = place_for(gazetteer, text)
    assert place.feature == "part" and place.name.endswith(region)


@pytest.mark.parametrize("text, feature", [("Northern Ireland", "ADM1"), ("Western Australia", "ADM1"),
                                           ("Southeast Asia", "RGN")])
def test_a_name_that_starts_with_a_direction_stays_that_name(gazetteer, text, feature):
    assert place_for(gazetteer, text).feature == feature
