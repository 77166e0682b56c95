"""Approximate places: a mention the gazetteer lacks, drawn at the place the text puts it in or near."""
import json
from dataclasses import replace
import math

import pandas as pd
import pytest
from geopy.distance import geodesic

import geomap
from geomap.mapping import popup_html

pytestmark = pytest.mark.model   # these tests run the spaCy model

# invented villages: the gazetteer surely lacks them
VILLAGE = "Zorvanka"


def spans(text, *names):
    return [(text.index(n), text.index(n) + len(n)) for n in names]


def resolved(text, container):
    """Rows of ``resolve`` for the village and its container, as gold spans."""
    return geomap.resolve(text, spans(text, VILLAGE, container))


@pytest.mark.parametrize("text, container", [
    ("Fighters entered the village of Zorvanka near Aleppo on Monday.", "Aleppo"),          # near
    ("The clash was at Zorvanka in Aleppo province.", "Aleppo"),                              # in
    ("Troops camped outside Zorvanka outside Damascus.", "Damascus"),                         # outside
    ("Shelling hit the Zorvanka area of Benghazi overnight.", "Benghazi"),                    # area of
    ("Police raided the Zorvanka district of Benghazi.", "Benghazi"),                         # district of
    ("Gunmen attacked Zorvanka, a village in Idlib province, at night.", "Idlib"),          # apposition
    ("Rebels took Zorvanka, Aleppo, after days of fighting.", "Aleppo"),                      # comma pair
    ("Rebels took Zorvanka, southern Aleppo, after days of fighting.", "southern Aleppo"),    # comma pair, part
    ("Clashes in Zorvanka north of Damascus left two dead.", "Damascus"),                    # direction
    ("Zorvanka, about 10 km from Damascus, was shelled.", "Damascus"),                        # distance
    ("Workers at the Zorvanka Gas Fields near Homs fled.", "Homs"),                           # site words
])
def test_an_unknown_village_is_placed_at_the_place_the_text_puts_it(text, container):
    village, place = resolved(text, container).itertuples(index=False)
    assert place.placed_by == "gazetteer" and not math.isnan(place.lat)
    assert village.placed_by == f"near:{place.name}"
    assert (village.lat, village.lon) == (place.lat, place.lon)
    assert village.kind == "point" and village.geometry.geom_type == "Point"
    assert (village.geometry.x, village.geometry.y) == (village.lon, village.lat)
    assert pd.isna(village.geonameid) and pd.isna(village.name)
    assert 0 < village.score < 0.2 and village.score < place.score


def test_a_distance_and_direction_from_a_town_move_the_point():
    text = "Zorvanka, 20 km (12 miles) north of Aleppo, was shelled."
    village, aleppo = resolved(text, "Aleppo").itertuples(index=False)
    assert village.placed_by == "near:Aleppo"
    assert geodesic((village.lat, village.lon), (aleppo.lat, aleppo.lon)).km == pytest.approx(20, abs=0.01)
    assert village.lat > aleppo.lat and village.lon == pytest.approx(aleppo.lon, abs=1e-5)
    text = "Zorvanka, 10 miles southwest of Aleppo, was shelled."
    village, aleppo = resolved(text, "Aleppo").itertuples(index=False)
    assert geodesic((village.lat, village.lon), (aleppo.lat, aleppo.lon)).km == pytest.approx(16.09, abs=0.01)
    assert village.lat < aleppo.lat and village.lon < aleppo.lon


@pytest.mark.parametrize("text, others", [
    ("Troops reached Zorvanka, Aleppo and Idlib.", ("Aleppo", "Idlib")),     # a list, not "X, Y"
    ("Troops reached Idlib, Zorvanka, Aleppo.", ("Idlib", "Aleppo")),        # a list, X in the middle
    ("Zorvanka was quiet. Aleppo was shelled.", ("Aleppo",)),                # another sentence
    ("Zorvanka and Aleppo were shelled.", ("Aleppo",)),                      # "and" ties nothing
    ("Zorvanka residents fled to Aleppo.", ("Aleppo",)),                     # words between that are no tie
    ("Zorvanka in Syria was shelled.", ("Syria",)),                          # a container too large to say where
    ("They called Zorvanka, the Aleppo of the east, home.", ("Aleppo",)),     # "X, the Y": an apposition
])
def test_no_tie_no_place(text, others):
    gdf = geomap.resolve(text, sorted(spans(text, VILLAGE, *others)))
    village = gdf[gdf["mention"] == VILLAGE].iloc[0]
    assert math.isnan(village["lat"]) and village.geometry is None and pd.isna(village["placed_by"])


def test_a_chain_is_not_followed():
    text = "Fighters entered Zorvanka near Kelbrinta in Aleppo province."
    gdf = geomap.resolve(text, spans(text, VILLAGE, "Kelbrinta", "Aleppo"))
    assert gdf["placed_by"].tolist()[1:] == ["near:Aleppo", "gazetteer"]
    assert math.isnan(gdf["lat"].iloc[0])


def test_geoparse_places_it_too_and_geojson_says_how():
    text = "Fighters entered the village of Zorvanka near Aleppo on Monday."
    gdf = geomap.geoparse(text)
    village = gdf[gdf["mention"] == VILLAGE].iloc[0]
    assert village["placed_by"] == "near:Aleppo" and village["kind"] == "point"
    features = json.loads(geomap.to_geojson(gdf))["features"]
    (feature,) = [f for f in features if f["properties"]["mention"] == VILLAGE]
    assert feature["properties"]["placed_by"] == "near:Aleppo" and feature["geometry"]["type"] == "Point"
    assert feature["properties"]["geonameid"] is None
    assert geomap.to_geojson(geomap.geoparse(text)) == geomap.to_geojson(gdf)   # deterministic
    assert "approximate</b>: near Aleppo" in popup_html(village)


def test_every_row_says_how_it_was_placed(seed_gdf):
    placed = seed_gdf["placed_by"]
    assert str(placed.dtype) == "string"
    assert ((placed == "gazetteer") | placed.str.startswith("near:")).fillna(False).tolist() == \
        seed_gdf.geometry.notna().tolist()


@pytest.mark.parametrize("text", ["", " ", "Zorvanka near", "near Aleppo", "Zorvanka, " * 5000 + "Aleppo"])
def test_odd_text_never_raises(text):
    gdf = geomap.geoparse(text)
    assert list(gdf.columns)[-1] == "geometry" and "placed_by" in gdf.columns


def test_a_container_the_resolver_doubts_is_no_anchor(gazetteer):
    from geomap.models import Mention, Place
    from geomap.nearby import approximate_places
    text = "Zorvanka near Homs"
    village = Place(Mention(0, 8, VILLAGE, "GIVEN"), None, None, None, (), None, None, None, 0.0, None)
    homs = Place(Mention(14, 18, "Homs", "GIVEN"), "Homs", "point", "PPLA", ("SY",), 169577, 34.72682, 36.72339, 0.9,
                 ("point", 36.72339, 34.72682), placed_by="gazetteer")
    sure = approximate_places(text, [village, homs], gazetteer)[0]
    assert (sure.placed_by, sure.near) == ("near", "Homs") and sure.geometry == homs.geometry
    assert sure.country_codes == ("SY",)
    doubtful = approximate_places(text, [village, replace(homs, score=0.2)], gazetteer)[0]
    assert doubtful is village


@pytest.mark.parametrize("text, names, town", [
    # nothing ties the street to a place: the town the story is about, named most often, anchors it
    ("Fire broke out on Zorvanka Street overnight. Officials in Homs said crews from Homs and Aleppo came.",
     ("Zorvanka Street", "Homs", "Homs", "Aleppo"), "Homs"),
    ("Aleppo and Homs sent crews. The Zorvanka Hospital was evacuated.", ("Aleppo", "Homs", "Zorvanka Hospital"),
     "Aleppo"),   # of equals, the one named first
])
def test_a_site_the_gazetteer_lacks_lies_in_the_documents_town(text, names, town):
    gdf = geomap.resolve(text, spans_in_order(text, names))
    site = gdf[gdf["mention"].str.startswith(VILLAGE)].iloc[0]
    anchor = gdf[gdf["mention"] == town].iloc[0]
    assert site["placed_by"] == f"near:{town}" and (site["lat"], site["lon"]) == (anchor["lat"], anchor["lon"])
    assert pd.isna(site["geonameid"]) and site["score"] < anchor["score"]


@pytest.mark.parametrize("text, names", [
    ("Fire broke out on Zorvanka Street in Syria.", ("Zorvanka Street", "Syria")),   # no town named
    ("Zorvanka was shelled. Officials in Homs said so.", ("Zorvanka", "Homs")),        # no site's word
])
def test_no_town_or_no_site_no_place(text, names):
    gdf = geomap.resolve(text, spans_in_order(text, names))
    site = gdf[gdf["mention"].str.startswith(VILLAGE)].iloc[0]
    assert math.isnan(site["lat"]) and pd.isna(site["placed_by"])


def spans_in_order(text, names):
    """Each name's span, a repeated name found after its last one."""
    out, after = [], {}
    for name in names:
        start = text.index(name, after.get(name, 0))
        after[name] = start + len(name)
        out.append((start, start + len(name)))
    return sorted(out)
