import math

import pytest

import geomap

pytestmark = pytest.mark.model   # these tests run the spaCy model


def row(gdf, mention):
    return gdf[gdf["mention"] == mention].iloc[0]


EXPECTED = [
    # mention, name, kind, country
    ("Stavanger", "Stavanger", "point", "NO"),
    ("Norway", "Norway", "region", "NO"),
    ("Brussels", "Brussels", "point", "BE"),
    ("Moscow", "Moscow", "point", "RU"),
    ("Turkey", "Turkey", "region", "TR"),
    ("Russia", "Russia", "region", "RU"),
    ("Syria’s Mediterranean coast", "Syria: Mediterranean Sea coast", "border", "SY"),
    ("the government-held north of the country", "north Syria", "region", "SY"),
    ("the country’s sovereign air space", "Turkey airspace", "region", "TR"),
    ("Turkey’s airspace", "Turkey airspace", "region", "TR"),
]


@pytest.mark.parametrize("mention, name, kind, country", EXPECTED)
def test_seed_places(seed_gdf, mention, name, kind, country):
    found = row(seed_gdf, mention)
    assert (found["name"], found["kind"], found["country_code"]) == (name, kind, country)
    assert not math.isnan(found["lat"]) and found["event"]


def test_seed_borders_are_lines_on_the_syria_turkey_border(seed_gdf):
    borders = seed_gdf[seed_gdf["feature"] == "border"]
    assert set(borders["mention"]) == {"southern border with Syria", "Syria-Turkey border"}
    for geom, lat, lon in zip(borders.geometry, borders["lat"], borders["lon"]):
        assert geom.geom_type in {"LineString", "MultiLineString"}
        assert 36 < lat < 37.5 and 36 < lon < 42.5


def test_seed_coast_lies_on_syrias_coast(seed_gdf):
    coast = row(seed_gdf, "Syria’s Mediterranean coast")
    minx, miny, maxx, maxy = coast.geometry.bounds
    assert coast["feature"] == "coast" and 35.6 < minx and maxx < 36.3 and 34.5 < miny and maxy < 36.1


def test_seed_north_of_the_country_is_northern_syria(seed_gdf):
    north = row(seed_gdf, "the government-held north of the country")
    assert north["feature"] == "part" and north.geometry.bounds[1] > 34.5 and north["lat"] > 35.5


def test_seed_has_no_non_places(seed_gdf):
    assert not set(seed_gdf["mention"]) & {"NATO", "Reuters", "NTB Scanpix", "Islamic State", "Turkish Armed Forces",
                                          "Turkish Armed Forces Over Time", "Carina Johansen"}


def test_spans_point_at_the_text(seed_text, seed_gdf):
    for start, end, mention in zip(seed_gdf["start"], seed_gdf["end"], seed_gdf["mention"]):
        assert seed_text[start:end] == mention


def test_list_input_numbers_documents():
    gdf = geomap.geoparse(["Talks in Oslo.", "Nothing.", "Rain in Lima, Peru."])
    assert list(gdf["doc"]) == [0, 2, 2] and list(gdf["mention"]) == ["Oslo", "Lima", "Peru"]


def test_bad_document_in_a_list_loses_none_of_the_others():
    with pytest.warns(UserWarning, match="document 1 skipped"):
        gdf = geomap.geoparse(["Talks in Oslo.", b"\xff\xfe broken", "Rain in Lima."])
    assert list(gdf["doc"]) == [0, 2]
    assert [(f.doc, f.stage) for f in gdf.attrs["failures"]] == [(1, "input")]


@pytest.mark.parametrize("text, places", [
    ("", []),
    ("   \n", []),
    # a capital named as in English is found in other Latin-script languages too
    ("Der Bundestag tagte gestern in Berlin.", [("Berlin", "Berlin", "point", "DE")]),
    # the model and the gazetteer's names are English: Japanese script finds nothing, and says so by an empty table
    ("日本の首相が東京で会見した。", []),
])
def test_empty_or_foreign_text_gives_a_table_not_a_traceback(text, places):
    gdf = geomap.geoparse(text)
    assert list(gdf.columns)[:3] == ["doc", "start", "end"]
    assert list(zip(gdf["mention"], gdf["name"], gdf["kind"], gdf["country_code"])) == places
    assert gdf.attrs["failures"] == [] and (gdf["doc"] == 0).all()
    for start, end, mention in zip(gdf["start"], gdf["end"], gdf["mention"]):
        assert text[start:end] == mention


def test_single_bad_text_raises_input_error():
    with pytest.raises(geomap.InputError):
        geomap.geoparse(b"\x00\x01binary")


def test_resolve_returns_one_row_per_span_in_order(seed_text):
    words = ["Moscow", "Stavanger", "Syria-Turkey border", "Secretary-General"]
    spans = [(seed_text.index(w), seed_text.index(w) + len(w)) for w in words]
    gdf = geomap.resolve(seed_text, spans)
    assert list(zip(gdf["start"], gdf["end"])) == spans
    assert list(gdf["country_code"][:2]) == ["RU", "NO"] and gdf["kind"].iloc[2] == "border"
    assert math.isnan(gdf["lat"].iloc[3]) and gdf.geometry.iloc[3] is None


def test_resolve_and_geoparse_choose_alike(seed_text, seed_gdf):
    spans = list(zip(seed_gdf["start"], seed_gdf["end"]))
    resolved = geomap.resolve(seed_text, spans)
    assert list(resolved["name"]) == list(seed_gdf["name"])


@pytest.mark.parametrize("spans", [[(5, 2)], [(0, 10_000)], [("a", "b")], [(1,)]])
def test_resolve_rejects_bad_spans(spans):
    with pytest.raises(geomap.InputError):
        geomap.resolve("Talks in Oslo.", spans)


def test_seed_places_are_exactly_the_readers(seed_gdf):
    # every place a reader sees, and nothing else ("Turkish Armed Forces Over Time" is a chart's title); the
    # regions named inside a compound have rows of their own ("Syria", "Mediterranean" in "Syria's Mediterranean coast")
    assert set(seed_gdf["mention"]) == {
        "Stavanger", "Norway", "Brussels", "Moscow", "Turkey", "Russia", "Syria", "Mediterranean",
        "southern border with Syria",
        "Syria-Turkey border", "Syria’s Mediterranean coast", "the government-held north of the country",
        "the country’s sovereign air space", "Turkey’s airspace"}


def test_regions_named_inside_a_compound_have_rows_of_their_own():
    text = "Shelling hit northern Syria on Monday, near the Turkish-Syrian border and the north of the country."
    gdf = geomap.geoparse(text)
    rows = list(zip(gdf["mention"], gdf["found_by"]))
    # "Syria" in "northern Syria" is named there; the border's sides are demonyms and the country is no name
    assert rows == [("northern Syria", "PART"), ("Syria", "INNER"), ("Turkish-Syrian border", "BORDER"),
                    ("the north of the country", "PART")]
    part, syria = gdf.iloc[0], gdf.iloc[1]
    assert (syria["start"], syria["end"], syria["geonameid"], syria["kind"]) == (22, 27, 163843, "region")
    assert (syria["event_id"], syria["event_role"]) == (part["event_id"], part["event_role"])
    # resolve answers the spans it is given, one row each
    assert list(geomap.resolve(text, [(13, 27)])["mention"]) == ["northern Syria"]
    # with demonyms, the sides named by theirs are rows too, as demonyms
    named = geomap.geoparse(text, demonyms=True)
    demonyms = named[named["found_by"] == "INNER"]
    assert list(zip(demonyms["mention"], demonyms["name"], demonyms["role"])) == [
        ("Syria", "Syria", "literal"), ("Turkish", "Turkey", "demonym"), ("Syrian", "Syria", "demonym")]


@pytest.mark.parametrize("text, mention, name", [
    ("Two men were shot in South L.A.. Police said.", "South L.A.", None),          # initials keep their stop
    ("He grew up in Charleston, W.Va. He left.", "W.Va.", "West Virginia"),
    ("Quakes shook western Iran’s Kermanshah province.", "Iran", "Iran"),            # the part ends at "'s"
    ("An earthquake hit Kermanshah province on Sunday.", "Kermanshah province", "Kermanshah"),
])
def test_spans_end_where_the_name_does(text, mention, name):
    gdf = geomap.geoparse(text)
    row = gdf[gdf["mention"] == mention]
    assert len(row) == 1 and (name is None or row["name"].iloc[0] == name)


def test_a_province_named_as_a_compounds_part_is_named_by_the_document():
    # "western Pennsylvania" names Pennsylvania: Bradford is the town in it, not the English city
    gdf = geomap.geoparse("Snow fell across western Pennsylvania. In Bradford, schools closed.")
    bradford = gdf[gdf["mention"] == "Bradford"].iloc[0]
    assert bradford["country_code"] == "US" and 41 < bradford["lat"] < 42.5
