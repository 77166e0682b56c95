"""Property-based tests of the documented failure contract (README, geomap.errors, geomap.parser).

- One text: ``parse`` returns a table, or raises ``geomap.InputError`` for bad input (binary/NUL, invalid
  UTF-8, over 1,000,000 characters). A ``StageError`` is an internal fault: for any text here it is a
  bug, so it is left to propagate and fails the property (Hypothesis shrinks the text and reports each
  distinct fault on its own).
- A list: never raises; every good document comes out (the same rows as when it is parsed alone) and is
  absent from ``gdf.attrs["failures"]``; each bad one is there, once, as ``Failure(doc, doc_id, "input",
  message)``, with a ``UserWarning``.
- Every row's span points at its text; ``resolve`` gives one row per span, in order.

Place names are drawn from the gazetteer that ships (read at test time, not a list in this file). The
spaCy model is loaded once per session; texts are short. Profiles (tests/conftest.py): ``ci`` (default,
deterministic) and ``soak`` (10,000 examples a test): ``pytest tests/test_properties.py
--hypothesis-profile=soak``.
"""
from __future__ import annotations

import warnings
from functools import lru_cache

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import geomap
from geomap.errors import STAGES, Failure
from geomap.export import COLUMNS
from geomap.inputs import MAX_CHARS

pytestmark = pytest.mark.model


# -- the geoparser, once per session ------------------------------------------------------------
@pytest.fixture(scope="session")
def geoparser():
    parser = geomap.default_geoparser()
    parser.parse("Talks in Oslo.")  # load the model and the gazetteer before the first example is timed
    return parser


@pytest.fixture(scope="session")
def collecting(geoparser):
    return geomap.Geoparser(nlp=geoparser.nlp, gazetteer=geoparser.gazetteer, ranker=geoparser.ranker,
                            on_error="collect")


# -- names from the gazetteer, read when first drawn ---------------------------------------------
def _names(sql: str) -> list[str]:
    from geomap.candidates import default_gazetteer
    names = sorted({name for (name,) in default_gazetteer().db.execute(sql) if name and name.strip()})
    assert names, sql
    return names


@lru_cache(maxsize=None)
def populated_names() -> list[str]:
    """Cities, countries and provinces with people: names the ranker will want to place."""
    return _names("SELECT name FROM places WHERE population >= 50000")


@lru_cache(maxsize=None)
def unpopulated_region_names() -> list[str]:
    """Regions with population 0 (islands, seas, rivers, some provinces: Malaita, Gwangju, Bouvet Island)."""
    return _names("SELECT name FROM places WHERE kind = 'region' AND population = 0")


populated = st.deferred(lambda: st.sampled_from(populated_names()))
unpopulated = st.deferred(lambda: st.sampled_from(unpopulated_region_names()))
unknown = st.from_regex(r"[A-Z][a-z]{3,9}(an|ia|stan|land)?", fullmatch=True)  # a name no gazetteer has
region_like = st.one_of(unpopulated, unknown, populated)

CASINGS = (str, str.upper, str.lower, str.title, str.swapcase, str.capitalize)
cased = st.builds(lambda name, case: case(name), st.one_of(populated, unpopulated), st.sampled_from(CASINGS))

FILLER = ("Talks", "in", "held", "near", "the", "storm", "hit", "on", "Monday", "officials", "said", "and",
          "from", "to", "rain", "fell", "over", "troops", "of", "The", "President", "visited", "flights")
SEPARATORS = (" ", " ", " ", ", ", ". ", "; ", ": ", "! ", "? ", " - ", " — ", "\n", "\n\n", " (", ") ", ' "', '" ',
              "'s ", "’s ", "... ", "/", "-", "")


@st.composite
def sentence_with_names(draw, names=cased):
    """A short text of filler words and place names in random casing and punctuation, with the
    names' (start, end) spans."""
    parts = draw(st.lists(st.one_of(st.sampled_from(FILLER), names.map(lambda n: ("name", n))), min_size=1,
                          max_size=10))
    text, spans = "", []
    for part in parts:
        text += draw(st.sampled_from(SEPARATORS)) if text else ""
        if isinstance(part, tuple):
            spans.append((len(text), len(text) + len(part[1])))
            part = part[1]
        text += part
    text += draw(st.sampled_from(("", ".", "!", "?", "\n")))
    return text, [(s, e) for s, e in spans if s < e]


@st.composite
def datelines(draw):
    """A wire story's opening: "CAIRO (Reuters) - ... Cairo ...", the name in capitals and then as written."""
    city = draw(populated)
    country = draw(st.one_of(st.just(""), populated.map(lambda n: ", " + n.upper())))
    agency = draw(st.sampled_from(("Reuters", "AP", "AFP", "Xinhua", "dpa")))
    dash = draw(st.sampled_from((" - ", " — ", " – ", " -- ", ": ")))
    head = f"{draw(st.sampled_from((str.upper, str)))(city)}{country} ({agency}){dash}"
    other = draw(populated)
    body = draw(st.sampled_from((
        "{other} said on Monday that talks in {city} would resume.",
        "Officials in {city} said the talks would move to {other}.",
        "The storm that hit {other} reached {city} overnight.",
        "{city} and {other} signed the deal.",
    ))).format(city=draw(st.sampled_from(CASINGS))(city), other=other)
    return head + body


COMPOUNDS = (
    "Storms battered northern {x} on Monday.",
    "Troops massed on {x}'s coast.",
    "Ships sailed off {x}’s coast near {y}.",
    "Shelling along the {x}-{y} border went on.",
    "Refugees crossed the {x}–{y} border.",
    "{x} said fighting spread to the north of the country.",
    "Rebels held the north of the country.",
    "Jets flew over the southern border with {x}.",
    "Rain fell in eastern {x} and western {y}.",
    "The {x} region and central {y} were flooded.",
    "Jets entered {x}'s airspace.",
    "A boat sank off the coast of {x}.",
    "Aid reached {x}’s Mediterranean coast.",
)


@st.composite
def compound_texts(draw):
    """Compounds around unknown or population-less regions ("northern X", "X's coast", "the X-Y border")."""
    templates = draw(st.lists(st.sampled_from(COMPOUNDS), min_size=1, max_size=3))
    return " ".join(t.format(x=draw(region_like), y=draw(region_like)) for t in templates)


random_text = st.text(max_size=200)  # any Unicode but lone surrogates, NUL included
mixed_text = st.lists(st.one_of(st.text(max_size=12), cased), max_size=8).map(" ".join)
good_text = st.one_of(sentence_with_names().map(lambda t: t[0]), datelines(), compound_texts(), mixed_text,
                      random_text.filter(lambda t: "\x00" not in t))

# -- bad input -----------------------------------------------------------------------------------
HUGE = "Rain in Oslo. " * (MAX_CHARS // 14 + 1)  # just over the limit
INVALID_UTF8 = (b"\xff", b"\xfe\xff", b"\xc3\x28", b"\x80", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xe2\x82")
bad_input = st.one_of(
    st.builds(lambda a, bad, b: a.encode() + bad + b.encode(), st.text(max_size=20), st.sampled_from(INVALID_UTF8),
              st.text(max_size=20)),                                     # invalid UTF-8
    st.builds(lambda a, b: a + "\x00" + b, st.text(max_size=20), st.text(max_size=20)),   # NUL in a str
    st.builds(lambda a, b: (a + "\x00" + b).encode(), st.text(max_size=20), st.text(max_size=20)),  # NUL in bytes
    st.just(HUGE), st.just(HUGE.encode()),                               # over 1,000,000 characters
    st.sampled_from((None, 42, 3.5)),                                    # not text at all
)
good_input = st.one_of(good_text, good_text.map(str.encode),
                       good_text.map(lambda t: b"\xef\xbb\xbf" + t.encode()))  # UTF-8 with a BOM


def text_of(item):
    """The text geomap should see in ``item``, or None when the contract says it is bad input.
    (Written from the documented contract, not from geomap.inputs.)"""
    if isinstance(item, (bytes, bytearray)):
        if b"\x00" in item:
            return None
        try:
            item = bytes(item).decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
    if not isinstance(item, str) or "\x00" in item or len(item) > MAX_CHARS:
        return None
    return item


# -- checks --------------------------------------------------------------------------------------
def assert_table(gdf, text: str, doc: int = 0):
    assert list(gdf.columns) == [*COLUMNS, "geometry"]
    assert (gdf["doc"] == doc).all()
    assert_spans_point_at(gdf, text)


def assert_spans_point_at(gdf, text: str):
    for start, end, mention in zip(gdf["start"], gdf["end"], gdf["mention"]):
        assert 0 <= start < end <= len(text), (start, end, len(text))
        assert text[start:end] == mention, (start, end, text[start:end], mention)
    assert list(gdf["start"]) == sorted(gdf["start"]), "rows are not in text order"


def assert_failure_shape(failure, doc_ids):
    assert isinstance(failure, Failure)
    assert isinstance(failure.doc, int) and 0 <= failure.doc < len(doc_ids)
    assert failure.doc_id == doc_ids[failure.doc]
    assert failure.stage in STAGES
    assert isinstance(failure.error, str) and failure.error
    line = failure.line()
    assert "\n" not in line and line.startswith(f"{failure.doc_id}: ")


def rows(gdf):
    """The rows' identity, missing values as None: a column's missing value is None when the frame has
    no value in it and NaN when it has some, so a document alone and in a list differ there."""
    return [tuple(None if pd.isna(v) else v for v in r)
            for r in gdf[["start", "end", "mention", "name", "kind", "country_code"]].itertuples(index=False)]


def parse_list(geoparser, items):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gdf = geoparser.parse(items)
    return gdf, [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


# -- one text --------------------------------------------------------------------------------------
@given(text=random_text)
@example(text="")
@example(text="   \n")
@example(text="日本の首相が東京で会見した。")
def test_any_unicode_text_gives_a_table_or_an_input_error(geoparser, text):
    if "\x00" in text:
        with pytest.raises(geomap.InputError):
            geoparser.parse(text)
        return
    assert_table(geoparser.parse(text), text)


@given(text=st.text(alphabet=st.characters(categories=["Cs", "L", "Zs"]), min_size=1, max_size=30)
       .filter(lambda t: any("\ud800" <= c <= "\udfff" for c in t)))
@example(text="Rain in Oslo \ud800 today.")
def test_lone_surrogates_are_bad_input_not_an_internal_fault(geoparser, text):
    """A str with a lone surrogate cannot be written as UTF-8: the caller's fault, so not a StageError."""
    with pytest.raises(geomap.InputError, match="surrogate"):
        geoparser.parse(text)


@given(case=sentence_with_names())
@example(case=("Talks in OSLO, Norway's capital.", [(9, 13), (15, 21)]))
def test_place_names_in_any_casing_and_punctuation(geoparser, case):
    text, spans = case
    assert_table(geoparser.parse(text), text)
    resolved = geoparser.resolve(text, spans)
    assert list(zip(resolved["start"], resolved["end"])) == spans
    assert_spans_point_at(resolved, text)


@given(text=datelines())
@example(text="CAIRO (Reuters) - Egypt said on Monday that talks in Cairo would resume.")
def test_wire_datelines(geoparser, text):
    assert_table(geoparser.parse(text), text)


@given(text=compound_texts())
@example(text="Storms battered northern Malaita on Monday.")
@example(text="Fighting spread to northern Gwangju.")
@example(text="The hurricane hit Florida, Alabama and South Carolina before reaching Georgia's coast near Savannah.")
def test_compounds_around_unknown_or_unpopulated_regions(geoparser, text):
    assert_table(geoparser.parse(text), text)


@given(item=bad_input)
def test_bad_input_raises_input_error_or_is_collected(geoparser, collecting, item):
    assert text_of(item) is None
    if isinstance(item, (str, bytes)):
        with pytest.raises(geomap.InputError):
            geoparser.parse(item)
        gdf = collecting.parse(item)
    else:  # not a text at all: only meaningful as an item of a list
        gdf, _ = parse_list(geoparser, [item])
    assert len(gdf) == 0
    [failure] = gdf.attrs["failures"]
    assert_failure_shape(failure, [0])
    assert failure.stage == "input"


# -- lists mixing good and bad texts -------------------------------------------------------------
@given(items=st.lists(st.one_of(good_input, bad_input), max_size=5))
@example(items=["Talks in Oslo.", "Storms battered northern Malaita on Monday.", "Rain in Lima, Peru."])
@example(items=["Talks in Oslo.", b"\xff\xfe broken", "CAIRO (Reuters) - Talks in Cairo resumed.", HUGE])
def test_every_good_document_of_a_list_comes_out(geoparser, items):
    texts = [text_of(item) for item in items]
    bad = {i for i, text in enumerate(texts) if text is None}
    gdf, warned = parse_list(geoparser, items)

    failures = gdf.attrs["failures"]
    for failure in failures:
        assert_failure_shape(failure, list(range(len(items))))
    lost = [f for f in failures if f.doc not in bad]
    assert not lost, f"good documents did not come out: {lost}"
    assert sorted(f.doc for f in failures) == sorted(bad)
    assert all(f.stage == "input" for f in failures)
    assert sorted(warned) == sorted(f"document {f.doc} skipped: {f.error}" for f in failures)

    assert set(gdf["doc"]) <= set(range(len(items))) - bad
    for i, text in enumerate(texts):
        if text is None:
            continue
        mine = gdf[gdf["doc"] == i]
        assert_spans_point_at(mine, text)
        assert rows(mine) == rows(geoparser.parse(text)), f"document {i} differs from the same text alone"


@given(items=st.lists(st.one_of(good_input, bad_input), max_size=4))
@example(items=["Talks in Oslo.", b"\xff broken", "Storms battered northern Malaita on Monday.", None])
def test_pipe_gives_one_frame_per_text_in_order(geoparser, items):
    ids = [f"doc-{i}" for i in range(len(items))]
    frames = list(geoparser.pipe(zip(items, ids), as_tuples=True, batch_size=3))
    assert [f.attrs["doc_id"] for f in frames] == ids
    for i, (item, frame) in enumerate(zip(items, frames)):
        text = text_of(item)
        failures = frame.attrs["failures"]
        if text is None:
            assert len(frame) == 0 and [(f.doc, f.doc_id, f.stage) for f in failures] == [(i, ids[i], "input")]
            assert_failure_shape(failures[0], ids)
        else:
            assert failures == [], f"good document {i} did not come out: {failures}"
            assert_table(frame, text, doc=i)


# -- scripts/soak.py, on a corpus made here (the tests never read ../shared) -----------------------
def test_soak_script_reports_failures_by_stage_with_doc_ids(tmp_path, capsys):
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("soak", Path(__file__).parent.parent / "scripts" / "soak.py")
    soak = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(soak)
    good = {"id": "ok-1", "text": "Rain in Lima, Peru.", "toponyms": [{"start": 8, "end": 12}, {"start": 14, "end": 18}]}
    nul = {"id": "nul-1", "text": "Rain in\x00 Lima.", "toponyms": []}
    outside = {"id": "span-1", "text": "Rain in Lima.", "toponyms": [{"start": 8, "end": 99}]}
    corpus = tmp_path / "mini.jsonl"
    corpus.write_text("".join(json.dumps(d) + "\n" for d in (good, nul, outside)), encoding="utf-8")

    assert soak.main([str(corpus)]) == 1
    out = capsys.readouterr().out
    assert "mini         raw  documents     3  failed    1  by stage: input 1" in out
    assert "mini         gold documents     3  failed    2  by stage: input 2" in out
    assert "mini raw nul-1: input: input looks binary" in out and "mini gold span-1: input: span (8, 99)" in out
    assert "ok-1" not in out

    corpus.write_text(json.dumps(good) + "\n", encoding="utf-8")
    assert soak.main([str(corpus)]) == 0
    assert "no failures" in capsys.readouterr().out


def test_a_run_of_one_name_repeated_stays_linear():
    """"Aleppo " × n: one giant entity and one long capitalised run. Each name is read within a bounded
    window (covering_entity, the compound patterns' names), so the work grows with n, not n²: counted as
    Python function calls under cProfile, not seconds, so that a busy machine cannot fail it."""
    import cProfile
    import pstats

    import geomap
    geomap.geoparse("Aleppo")
    calls = []
    for n in (400, 1600):
        profile = cProfile.Profile()
        profile.runcall(geomap.geoparse, "Aleppo " * n)
        calls.append(pstats.Stats(profile).total_calls)
    assert calls[1] < 6 * calls[0]   # four times the text: about four times the calls, far from sixteen
