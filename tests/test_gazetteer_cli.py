"""`geomap gazetteer` and `geomap cache`: info, a GeoNames dump import, the cache switches."""
import zipfile

import pytest
from click.testing import CliRunner

from geomap.candidates import Gazetteer
from geomap.cli import cli

# Two rows in the 19-column GeoNames dump format: one new town, one place the gazetteer has (Stavanger).
DUMP_ROWS = [
    ["9999901", "Quillonby", "Quillonby", "Quillonby Town,Kwillonbi", "52.1", "-1.2", "P", "PPL", "GB", "",
     "ENG", "", "", "", "4321", "", "90", "Europe/London", "2024-01-01"],
    ["3137115", "Stavanger", "Stavanger", "", "58.97005", "5.73332", "P", "PPLA", "NO", "", "14", "", "", "", "151669",
     "", "10", "Europe/Oslo", "2024-01-01"],
    ["9999902", "Some Hotel", "Some Hotel", "", "52.0", "-1.0", "S", "HTL", "GB", "", "", "", "", "", "0", "", "",
     "Europe/London", "2024-01-01"],
]
ALTERNATE_ROWS = [
    ["1", "3137115", "en", "Stavangerby", "", "", "", "", "", ""],
    ["2", "9999901", "de", "Quillonbü", "", "", "", "", "", ""],   # not English: skipped
]


def write_zip(path, member, rows):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, "".join("\t".join(r) + "\n" for r in rows))
    return path


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path / "cache"))
    return CliRunner()


def test_gazetteer_info_prints_counts_and_sources(runner):
    result = runner.invoke(cli, ["gazetteer", "info"])
    assert result.exit_code == 0, result.output
    assert "countries" in result.output and "populated places" in result.output
    assert "GeoNames" in result.output and "Natural Earth" in result.output


def test_geonames_dump_import_adds_places_and_names(runner, tmp_path):
    dump = write_zip(tmp_path / "allCountries.zip", "allCountries.txt", DUMP_ROWS)
    alternates = write_zip(tmp_path / "alternateNamesV2.zip", "alternateNamesV2.txt", ALTERNATE_ROWS)
    out = tmp_path / "gazetteer.sqlite"
    result = runner.invoke(cli, ["gazetteer", "build", "--geonames", str(dump), "--alternate-names", str(alternates),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    gazetteer = Gazetteer(out)
    (town,) = gazetteer.lookup("Quillonby")
    assert town.geonameid == 9999901 and town.population == 4321 and town.kind == "point"
    assert gazetteer.lookup("Kwillonbi")[0].geonameid == 9999901
    assert gazetteer.lookup("Quillonbu") == ()          # a German name is not imported
    assert gazetteer.lookup("Some Hotel") == ()         # hotels are not places news locates
    stavangers = [c for c in gazetteer.lookup("Stavangerby") if c.geonameid == 3137115]
    assert len(stavangers) == 1                          # an existing place gets the name, not a twin
    assert gazetteer.lookup("Turkey")[0].is_country      # the base gazetteer is kept


def test_build_with_a_missing_dump_is_one_clear_line(runner, tmp_path):
    result = runner.invoke(cli, ["gazetteer", "build", "--geonames", str(tmp_path / "none.zip"), "-o",
                                 str(tmp_path / "g.sqlite")])
    assert result.exit_code != 0 and "does not exist" in result.output


def test_cache_info_and_clear(runner, tmp_path):
    result = runner.invoke(cli, ["cache", "info"])
    assert result.exit_code == 0 and str(tmp_path / "cache") in result.output
    result = runner.invoke(cli, ["cache", "clear"])
    assert result.exit_code == 0 and "removed" in result.output


def test_no_cache_switch_disables_the_cache(runner, monkeypatch):
    monkeypatch.delenv("GEOMAP_NO_CACHE", raising=False)
    result = runner.invoke(cli, ["--no-cache", "cache", "info"])
    assert result.exit_code == 0 and "disabled" in result.output
