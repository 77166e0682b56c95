"""What GIS readers make of the files geomap writes: built from hand-made places, no spaCy."""
import json
import math

import pyogrio
import pytest

import geomap
from geomap.batch import read_output
from geomap.export import EXTENT_COLUMNS, to_geodataframe
from geomap.models import OTHER, Event, Mention, Place

TEXT = "Ships crossed the Mediterranean near Zorvanka, Aleppo."


def place(start, end, **fields):
    mention = Mention(start, end, TEXT[start:end], "GPE")
    values = dict(name=mention.text, kind="point", feature="PPL", country_codes=(), geonameid=None, lat=35.0,
                  lon=18.0, score=0.9, geometry=("point", 18.0, 35.0), placed_by="gazetteer")
    return Place(mention=mention, **{**values, **fields})


SEA = place(18, 31, kind="region", feature="SEA", extent=(-6.0, 30.0, 36.0, 46.0), geonameid=363196)
VILLAGE = place(37, 45, name=None, country_codes=("SY",), placed_by="near", near="Aleppo", score=0.09)
ALEPPO = place(47, 53, country_codes=("SY",), geonameid=170063, lat=36.2, lon=37.16,
               geometry=("point", 37.16, 36.2))
BORDER = place(0, 5, name="Syria–Turkey border", kind="border", feature="border", country_codes=("SY", "TR"),
               geometry=("point", 37.0, 36.8), lat=36.8, lon=37.0)
EVENT = Event(id=1, label=OTHER, trigger_start=None, trigger_end=None)


def frame(*places):
    return to_geodataframe([(0, p, EVENT) for p in places])


def test_structured_values_are_formatted_at_output():
    gdf = frame(BORDER, VILLAGE, ALEPPO)
    assert gdf["country_code"].tolist() == ["SY,TR", "SY", "SY"]
    assert gdf["placed_by"].tolist() == ["gazetteer", "near:Aleppo", "gazetteer"]
    assert gdf["found_by"].tolist() == gdf["source"].tolist() == ["GPE"] * 3   # source: found_by's old name


def test_extent_columns_are_numbers_for_gdal(tmp_path):
    # GDAL types a GeoJSON property by its values: null in every feature, it would read as a string
    path = tmp_path / "places.geojson"
    geomap.to_geojson(frame(VILLAGE, ALEPPO), path)
    fields = dict(zip(*(pyogrio.read_info(path)[key] for key in ("fields", "dtypes"))))
    assert not set(EXTENT_COLUMNS) & set(fields) and fields["lat"] == fields["score"] == "float64"
    geomap.to_geojson(frame(SEA, ALEPPO), path)
    fields = dict(zip(*(pyogrio.read_info(path)[key] for key in ("fields", "dtypes"))))
    assert [fields[column] for column in EXTENT_COLUMNS] == ["float64"] * 4
    back = geomap.to_geojson(frame(SEA, ALEPPO))
    assert [list(f["properties"]).count("west") for f in json.loads(back)["features"]] == [1, 0]


def test_a_batch_geojson_reads_back_with_every_column_in_order(tmp_path):
    gdf = frame(ALEPPO, SEA)
    gdf.insert(0, "doc_id", "a")
    path = tmp_path / "places.geojsonl"
    path.write_text("".join(line + "\n" for line in geomap.export.feature_texts(gdf)), encoding="utf-8")
    back = read_output(path)
    assert list(back.columns) == list(gdf.columns)
    assert math.isnan(back["west"][0]) and back["west"][1] == pytest.approx(-6.0)
