"""The Geoparser object and its one failure policy (issue 12)."""
import subprocess
import sys
import warnings

import pytest

import geomap
from geomap import Failure, Geoparser, InputError, StageError
from geomap.cache import NullCache
from geomap.resolution import HAND_WEIGHTS, Ranker


@pytest.mark.model


def test_the_three_repros_give_the_right_answer():
    cairo = geomap.geoparse("CAIRO (Reuters) - Egypt said on Monday that talks in Cairo would resume.")
    assert set(cairo.loc[cairo["mention"].str.lower() == "cairo", "country_code"]) == {"EG"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no document skipped
        listed = geomap.geoparse(["Talks in Oslo.", "Storms battered northern Malaita on Monday.", "Rain in Lima, Peru."])
    assert sorted(set(listed["doc"])) == [0, 1, 2] and listed.attrs["failures"] == []
    hurricane = geomap.geoparse("The hurricane hit Florida, Alabama and South Carolina before reaching Georgia's "
                                "coast near Savannah.")
    coast = hurricane[hurricane["feature"] == "coast"].iloc[0]
    assert coast["country_code"] == "US" and 30 < coast["lat"] < 32.5 and -82 < coast["lon"] < -80


def test_module_functions_share_one_geoparser():
    assert geomap.default_geoparser() is geomap.default_geoparser()
    assert isinstance(geomap.default_geoparser(), Geoparser)


@pytest.mark.model


def test_parse_pipe_and_resolve_agree_with_the_module_functions():
    parser = Geoparser()
    text = "NATO met in Stavanger, Norway."
    expected = geomap.geoparse(text)
    assert parser.parse(text)[["mention", "name"]].values.tolist() == expected[["mention", "name"]].values.tolist()
    (piped,) = list(parser.pipe([text]))
    assert piped[["mention", "name"]].values.tolist() == expected[["mention", "name"]].values.tolist()
    resolved = parser.resolve(text, [(12, 21)])
    assert list(resolved["name"]) == ["Stavanger"] and list(resolved["country_code"]) == ["NO"]


@pytest.mark.model


def test_a_ranker_of_your_own_is_the_one_used():
    # "none of them" outweighs every candidate: nothing is placed, but every row is kept
    gdf = Geoparser(ranker=Ranker(HAND_WEIGHTS, none=1000.0)).parse("Talks in Oslo, Norway.")
    assert list(gdf["mention"]) == ["Oslo", "Norway"] and gdf["name"].isna().all()


def test_one_bad_text_raises_a_documented_error():
    with pytest.raises(InputError):
        Geoparser().parse(b"\xff\xfe not utf-8")
    with pytest.raises(ValueError, match="on_error"):
        Geoparser(on_error="ignore")


def test_collect_gives_an_empty_frame_with_the_failure():
    gdf = Geoparser(on_error="collect").parse(b"binary\x00data")
    assert len(gdf) == 0
    assert gdf.attrs["failures"] == [Failure(0, 0, "input", "input looks binary (it has NUL bytes), not text")]


@pytest.mark.model


def test_an_internal_fault_names_its_stage_and_loses_no_other_document(monkeypatch):
    from geomap import happenings

    real = happenings.assign_events

    def broken(doc, places):
        if "Lima" in doc.text:
            raise KeyError("boom")
        return real(doc, places)

    monkeypatch.setattr(happenings, "assign_events", broken)
    with pytest.raises(StageError, match="events failed: KeyError") as raised:
        Geoparser().parse("Rain in Lima.")
    assert raised.value.stage == "events" and isinstance(raised.value.__cause__, KeyError)
    with pytest.warns(UserWarning, match="document 1 skipped"):
        gdf = Geoparser().parse(["Talks in Oslo.", "Rain in Lima.", "Snow in Bergen."])
    assert sorted(set(gdf["doc"])) == [0, 2]
    assert [(f.doc, f.stage) for f in gdf.attrs["failures"]] == [(1, "events")]
    frames = list(Geoparser().pipe([("Talks in Oslo.", "a"), ("Rain in Lima.", "b")], as_tuples=True))
    assert [f.attrs["doc_id"] for f in frames] == ["a", "b"]
    assert len(frames[0]) == 1 and frames[1].attrs["failures"][0].doc_id == "b"


@pytest.mark.model   # the workers run the model (spawned ones loaded it where this suite could not see)
def test_pipe_on_two_processes_keeps_order_and_failures():
    texts = ["Talks in Oslo.", b"\xff", "Rain in Lima, Peru.", "Nothing here."]
    frames = list(Geoparser().pipe(texts, n_process=2, batch_size=1))
    assert [list(f["mention"]) for f in frames] == [["Oslo"], [], ["Lima", "Peru"], []]
    assert [f.attrs["failures"][0].stage if f.attrs["failures"] else None for f in frames] == [None, "input", None, None]


def test_no_cache_geoparser_does_not_touch_the_environment(monkeypatch):
    monkeypatch.delenv("GEOMAP_NO_CACHE", raising=False)
    parser = Geoparser(cache=NullCache())
    assert parser.gazetteer.cache.disabled
    assert "GEOMAP_NO_CACHE" not in __import__("os").environ
    with pytest.raises(ValueError, match="cache"):
        Geoparser(gazetteer=parser.gazetteer, cache=NullCache())


def test_import_geomap_loads_no_heavy_library():
    code = ("import sys, geomap; heavy = [m for m in ('spacy', 'geopandas', 'folium', 'shapely') if m in sys.modules];"
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_public_functions_do_not_shadow_submodules():
    import importlib
    assert callable(geomap.resolve) and callable(geomap.events)
    assert importlib.import_module("geomap.resolution").__name__ == "geomap.resolution"
    assert importlib.import_module("geomap.happenings").__name__ == "geomap.happenings"
    assert callable(geomap.resolve) and callable(geomap.events)  # importing the modules changed nothing


@pytest.mark.model


def test_a_gazetteer_name_no_place_fits_leaves_no_row(gazetteer, monkeypatch):
    # "Jewish" is an alias of Russia's Jewish Autonomous Oblast: recognised from the gazetteer, then no
    # candidate fits; a name the model found keeps its row, placed or not (an unknown village)
    import geomap
    from geomap import resolution
    from geomap.models import Mention
    text = "A Jewish family lived in Ruritania ."
    monkeypatch.setattr("geomap.recognition.find_mentions", lambda doc, gaz, **kw: [
        Mention(2, 8, "Jewish", "GAZ"), Mention(25, 34, "Ruritania", "GPE")])
    monkeypatch.setattr(resolution, "resolve_mentions", lambda text, mentions, gaz, **kw: [
        resolution.Resolution(None, 0.0) for _ in mentions])
    gdf = geomap.Geoparser(gazetteer=gazetteer).parse(text)
    assert list(gdf.mention) == ["Ruritania"] and gdf.geometry.isna().all()
    # ... unless the text says place: "in Kfar Nabuda" keeps its row, unplaced
    text = "Shells fell in Kfar Nabuda on Monday ."
    monkeypatch.setattr("geomap.recognition.find_mentions", lambda doc, gaz, **kw: [Mention(15, 26, "Kfar Nabuda", "GAZ")])
    assert list(geomap.Geoparser(gazetteer=gazetteer).parse(text).mention) == ["Kfar Nabuda"]


def test_the_parts_of_a_geoparser_are_importable_from_geomap():
    from geomap.cache import NullCache
    from geomap.candidates import Gazetteer
    from geomap.resolution import Ranker
    assert (geomap.Gazetteer, geomap.Ranker, geomap.NullCache) == (Gazetteer, Ranker, NullCache)
    assert {"Gazetteer", "Ranker", "NullCache"} <= set(geomap.__all__)
    parser = geomap.Geoparser(gazetteer=geomap.Gazetteer(), ranker=geomap.Ranker({}))
    assert isinstance(parser.gazetteer, Gazetteer) and parser.ranker.weights == {}


def test_every_package_is_installed():
    """A subpackage missing from pyproject's list works from a checkout and breaks a pip install."""
    import tomllib
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    listed = set(tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(root).parts) for p in (root / "geomap").rglob("__init__.py")}
    assert found <= listed, f"add to pyproject.toml [tool.setuptools] packages: {sorted(found - listed)}"
