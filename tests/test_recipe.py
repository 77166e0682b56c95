"""The gazetteer build recipe's small pieces (the full build needs npm data and runs in a minute)."""
import zipfile

import pytest
from shapely.geometry import box

from geomap.cli import load_recipe

recipe = load_recipe()


@pytest.mark.parametrize("text, code", [("SVG", True), ("WA", True), ("N.Y.", True), ("Oslo", False), ("NSWX1", False)])
def test_codes_are_not_names(text, code):
    assert recipe.is_code(text) is code


def test_latin_script_only():
    assert recipe.is_latin("Zürich") and recipe.is_latin("Sant Julià de Lòria")
    assert not recipe.is_latin("Москва") and not recipe.is_latin("東京")


@pytest.mark.parametrize("demonym, forms", [("Syrian", ["Syrian", "Syrians"]), ("Israeli", ["Israeli", "Israelis"]),
                                            ("Turkish", ["Turkish"]), (None, [])])
def test_demonym_forms(demonym, forms):
    assert recipe.demonyms(demonym) == forms


def test_country_point_is_the_centre_when_inside_else_the_label():
    country = box(0, 0, 10, 10)
    assert recipe.representative_point(country, [5, 5], (1.0, 1.0)) == (5.0, 5.0)
    assert recipe.representative_point(country, [50, 50], (1.0, 2.0)) == (1.0, 2.0)
    assert recipe.representative_point(country, None, (1.0, 2.0)) == (1.0, 2.0)


@pytest.mark.parametrize("feature, kind", [("PPLC", "point"), ("MTS", "region"), ("MT", "point"), ("ADM1", "region"),
                                           ("SEA", "region"), ("AIRP", "point")])
def test_kind_from_feature_code(feature, kind):
    assert recipe.kind_of(feature) == kind


def test_parenthesis_becomes_alias():
    assert recipe.strip_parenthesis("Homs (Hims)") == "Homs"


def test_geonames_rows_read_from_txt_and_zip(tmp_path):
    line = "\t".join(["3137115", "Stavanger", "Stavanger", "SVG,Stavanger", "58.97", "5.73", "P", "PPLA", "NO", "",
                      "14", "1103", "", "", "151669", "", "10", "Europe/Oslo", "2024-01-01"]) + "\n"
    txt = tmp_path / "cities.txt"
    txt.write_text("# comment\n" + line, encoding="utf-8")
    archive = tmp_path / "cities.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "not data")
        z.writestr("cities.txt", line)
    for path in (txt, archive):
        (row,) = recipe.read_geonames(path)
        assert (row.geonameid, row.feature, row.admin1, row.admin2, row.population) == (3137115, "PPLA", "14", "1103",
                                                                                       151669)
        assert row.alternatenames == ["SVG", "Stavanger"]


def test_curated_tables_parse_and_point_inside_extent():
    rows = recipe.read_tsv("features.tsv")
    assert len(rows) > 400
    for row in rows:
        west, south, east, north = (float(row[k]) for k in ("west", "south", "east", "north"))
        lat, lon = float(row["lat"]), float(row["lon"])
        assert south <= lat <= north
        assert (west <= lon <= east) if west <= east else (lon >= west or lon <= east)
    assert len(recipe.read_tsv("macroregions.tsv")) > 40


def test_topojson_arcs_are_delta_decoded_and_stitched():
    from geomap.recipe.sources.us_atlas import decode_arcs, ring, to_shape
    # a unit square in two arcs: (0,0)->(1,0)->(1,1) and (1,1)->(0,1)->(0,0), quantized at 0.5 and shifted by 10
    topology = {"transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
                "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]]}
    arcs = decode_arcs(topology)
    assert arcs[0] == [(10.0, 20.0), (11.0, 20.0), (11.0, 21.0)]
    assert ring([0, 1], arcs) == [(10.0, 20.0), (11.0, 20.0), (11.0, 21.0), (10.0, 21.0), (10.0, 20.0)]
    # ~1 (= -2) walks arc 1 backwards: the same square the other way round
    assert ring([~1, ~0], arcs) == ring([0, 1], arcs)[::-1]
    square = to_shape({"type": "Polygon", "arcs": [[0, 1]]}, arcs)
    assert square.area == 1.0 and square.bounds == (10.0, 20.0, 11.0, 21.0)
    assert to_shape({"type": "MultiPolygon", "arcs": [[[0, 1]]]}, arcs).area == 1.0
