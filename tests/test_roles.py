"""Roles of a happening's places (location, actor, dateline, mention) and the metonymy classifier."""
import importlib.util
import json

import folium
import numpy as np
import pytest

import geomap
from geomap.batch import STRING_COLUMNS, normalise
from geomap.export import COLUMNS, to_geodataframe
from geomap.happenings.roles import ROLES, role_of, with_roles
from geomap.mapping import FILED_FROM
from geomap.models import Event, Mention, Place
from geomap.names import in_dateline
from geomap.recognition.metonymy import MetonymyModel, shipped_metonymy

from .conftest import ROOT

STORY = "BEIRUT (AP) — Turkey has shelled a city in northeastern Syria on Tuesday."


@pytest.mark.parametrize("text, name, expected", [
    ("BEIRUT (AP) — Turkey has shelled a city.", "BEIRUT", True),
    ("CAIRO, Egypt (AP) — Talks began.", "Egypt", True),           # the region after the town
    ("Hanoi (VNA) – Vietnam signed a deal.", "Hanoi", True),       # any case, closed by an agency and a dash
    ("Man killed by car. Goose Creek — A Goose Creek man was hit.", "Goose Creek", True),  # after a headline
    ("We flew to Cairo, Egypt on Monday.", "Egypt", False),
    ("Egyptian-US partnership grows.", "Egyptian", False),
    ("He said. " + "x" * 400 + ". Paris — a city of light.", "Paris", False),   # far from a headline
])
def test_a_dateline_is_the_town_a_story_was_filed_from(text, name, expected):
    start = text.index(name)
    assert in_dateline(text, start, start + len(name)) is expected


def place(text: str, name: str, *, metonym: bool = False, role: str = "literal") -> Place:
    start = text.index(name)
    mention = Mention(start, start + len(name), name, "GPE", role=role, metonym=metonym)
    return Place(mention, name, "point", "PPL", "SY", None, 35.0, 40.0, 0.9, ("point", 40.0, 35.0))


SHELLED = Event(1, "Turkey shelled a city", 25, 32, (0, 1, 2))
OTHERS = Event(2, "other mentions", None, None, ())


def test_each_place_has_one_role_in_its_event():
    beirut, turkey, syria = place(STORY, "BEIRUT"), place(STORY, "Turkey", metonym=True), place(STORY, "Syria")
    assert [role_of(STORY, p, SHELLED) for p in (beirut, turkey, syria)] == ["dateline", "actor", "location"]
    assert role_of(STORY, syria, OTHERS) == "mention"
    russian = place("Russian jets infiltrated Turkey.", "Russian", role="demonym")
    assert role_of("Russian jets infiltrated Turkey.", russian, SHELLED) == "actor"
    placed = with_roles(STORY, [beirut, turkey], [OTHERS, SHELLED])
    assert [p.event_role for p in placed] == ["dateline", "actor"] and set(ROLES) >= {"location", "mention"}


def rows_with_roles():
    beirut, turkey, syria = place(STORY, "BEIRUT"), place(STORY, "Turkey", metonym=True), place(STORY, "Syria")
    places = with_roles(STORY, [beirut, turkey, syria], [OTHERS, SHELLED, SHELLED])
    return [(0, p, e) for p, e in zip(places, [OTHERS, SHELLED, SHELLED])]


def test_event_role_is_a_column_of_the_frame_geojson_and_batch_outputs():
    assert COLUMNS.index("event_role") == COLUMNS.index("event_id") + 1 and "event_role" in STRING_COLUMNS
    gdf = to_geodataframe(rows_with_roles())
    assert gdf["event_role"].tolist() == ["dateline", "actor", "location"]
    features = json.loads(geomap.to_geojson(gdf))["features"]
    assert [f["properties"]["event_role"] for f in features] == ["dateline", "actor", "location"]
    gdf.insert(0, "doc_id", ["a"] * len(gdf))
    assert normalise(gdf)["event_role"].dtype == normalise(gdf)["event"].dtype   # text, as every text column


def test_events_list_locations_and_actors_apart():
    table = geomap.events(to_geodataframe(rows_with_roles()))
    shelled = table[table["event"] == "Turkey shelled a city"].iloc[0]
    assert shelled["locations"] == ["Syria"] and shelled["actors"] == ["Turkey"]
    assert shelled.geometry.equals(to_geodataframe(rows_with_roles()).geometry.iloc[2])   # where, not who
    others = table[table["event"] == "other mentions"].iloc[0]
    assert others["locations"] == [] and others["actors"] == [] and others["places"] == ["BEIRUT"]


def test_map_draws_actors_as_outlines_and_datelines_in_a_hidden_layer():
    fmap = geomap.render_map(to_geodataframe(rows_with_roles()))
    layers = {layer.layer_name.split("</span> ", 1)[1]: layer for layer in fmap._children.values()
              if isinstance(layer, folium.FeatureGroup)}
    assert list(layers) == ["Turkey shelled a city", FILED_FROM]
    assert layers[FILED_FROM].show is False and layers["Turkey shelled a city"].show is True
    turkey, syria = list(layers["Turkey shelled a city"]._children.values())[:2]
    assert turkey.options["fill"] is False and syria.options["fill"] is True
    html = fmap.get_root().render()
    assert "<b>Turkey</b> — acted in: Turkey shelled a city" in html and "filed from here" in html


def training_script():
    spec = importlib.util.spec_from_file_location("train_metonymy", ROOT / "scripts" / "train_metonymy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_exported_classifier_gives_scikit_learns_probabilities():
    pytest.importorskip("sklearn")
    script = training_script()
    rng = np.random.default_rng(0)
    names = ["dep=nsubj", "dep=pobj", "prep=in", "nsubj_class=speech", "gaz_country", "possessive"]
    rows = [{n: 1.0 for n in names if rng.random() < 0.4} for _ in range(200)]
    y = np.array([int(("dep=nsubj" in r) ^ (rng.random() < 0.1)) for r in rows])
    fitted = script.fit(rows, y)
    exported = script.export(fitted, 0.5)
    unseen = rows[:20] + [{"dep=nsubj": 1.0, "never_seen": 1.0}]
    assert np.abs(exported.probabilities(unseen) - script.predict(fitted, unseen)).max() < 1e-9
    assert MetonymyModel.from_dict(json.loads(json.dumps(exported.to_dict()))).weights == exported.weights


def test_the_shipped_classifier_records_its_data_and_figures():
    model = shipped_metonymy()
    assert model is not None and 0 < model.threshold < 1
    figures = model.about["cross_validated"]["classifier"]
    assert float(figures["Metonymic"].split()[0]) >= 0.70 and float(figures["Literal"].split()[0]) <= 0.05
    assert model.weights["metonymic_verb"] > 0 and model.weights["prep=in"] < 0


# -- with the spaCy model ------------------------------------------------------------------------------------
@pytest.mark.model
def test_a_wire_story_has_its_dateline_actor_and_location():
    gdf = geomap.geoparse(STORY)
    roles = dict(zip(gdf["mention"], gdf["event_role"]))
    assert roles["BEIRUT"] == "dateline" and roles["Turkey"] == "actor"
    assert roles["northeastern Syria"] == roles["Syria"] == "location"   # the part, and the region named in it
    assert gdf.loc[gdf["mention"] == "BEIRUT", "event"].item() == geomap.happenings.OTHER


@pytest.mark.model
@pytest.mark.parametrize("text, name, metonym", [
    ("Moscow warned Ankara on Monday.", "Moscow", True),
    ("Turkey has shelled a city in Syria.", "Turkey", True),
    ("Britain accused Russia of the poisoning.", "Russia", True),   # its object acts too
    ("Snow fell in Moscow on Monday.", "Moscow", False),
    ("He flew from London to Amsterdam.", "Amsterdam", False),
])
def test_the_classifier_tells_a_place_that_acts_from_a_place(text, name, metonym):
    gdf = geomap.geoparse(text)
    assert gdf.loc[gdf["mention"] == name, "metonym"].item() is metonym


@pytest.mark.model
def test_seed_roles_read_right(seed_gdf):
    happenings = seed_gdf[seed_gdf["event"] != geomap.happenings.OTHER]
    assert happenings["event_id"].nunique() == 5
    role = {(m, e): r for m, e, r in zip(seed_gdf["mention"], seed_gdf["event"], seed_gdf["event_role"])}
    violations = next(e for e in happenings["event"] if "violation" in e)
    warned = next(e for m, e in zip(happenings["mention"], happenings["event"]) if m == "Moscow")
    assert role[("Russia", violations)] == "actor"
    assert role[("Moscow", warned)] == "actor" and "warn" in warned.lower()
    assert role[("Stavanger", happenings["event"].iloc[0])] == "location"
    assert (seed_gdf.loc[seed_gdf["event"] == geomap.happenings.OTHER, "event_role"] == "mention").all()
    assert set(seed_gdf.loc[seed_gdf["kind"] == "border", "event_role"]) == {"location"}
