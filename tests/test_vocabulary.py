"""One vocabulary: every stage reads its word lists from geomap.vocabulary, and a stage that needs another
list names how it differs. No spaCy here."""
import ast
import importlib.util
import io
import re
import tarfile
from pathlib import Path

import pytest

from geomap import vocabulary as v
from geomap.geometry import SIDES
from geomap.names import data_lines

PACKAGE = Path(v.__file__).parent


def test_the_compass_is_the_data_files_directions():
    spelled = {word.replace("-", "") for word in data_lines("directions.txt")} - {"centre", "center"}
    assert set(v.COMPASS) == spelled and len(v.COMPASS) == 8
    assert set(v.COMPASS) <= {word.lower().removesuffix("ern").replace("-", "") for word in v.DIRECTION_ADJECTIVES}
    assert [v.BEARINGS[p] for p in ("north", "east", "south", "west", "northwest")] == [0, 90, 180, 270, 315]
    assert SIDES["northeast"] == (0.5, 0.5, 1, 1) and SIDES["south"] == (0, 0, 1, 0.5) and set(SIDES) == {
        *v.COMPASS, "central"}


@pytest.mark.parametrize("text, matches", [("north", True), ("north-east", True), ("north east", True),
                                           ("southwest", True), ("west", True), ("northern", False),
                                           ("central", False), ("north-", False)])
def test_compass_pattern(text, matches):
    assert bool(re.fullmatch(v.compass_pattern(), text)) is matches


def test_event_prepositions_name_their_difference_from_the_locative_ones():
    assert v.EVENT_PREPOSITIONS - v.LOCATIVE_PREPOSITIONS == {"on", "onto", "off"}
    assert v.LOCATIVE_PREPOSITIONS - v.EVENT_PREPOSITIONS == {"via", "between"}
    assert {p for p in v.CONTAINING_PREPOSITIONS if " " not in p} <= v.LOCATIVE_PREPOSITIONS | {"nearby"}


def string_literals(path: Path) -> set[str]:
    return {node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


@pytest.mark.parametrize("word, where", [("village", ["vocabulary.py"]), ("northeast", ["vocabulary.py"]),
                                         ("january", ["vocabulary.py"]), ("monday", ["vocabulary.py"]),
                                         ("throughout", []), ("towards", [])])   # these two: a data file's
def test_a_shared_word_is_written_only_in_the_vocabulary(word, where):
    # a list that holds it is written once; the stages import it (docstrings and comments aside)
    written = sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                     if word in string_literals(path))
    assert written == where


def test_every_compound_pattern_has_its_cue():
    """compound_mentions skips a kind whose cue the text lacks: each pattern's own example must hold its
    kind's cue, and a text without any cue yields no match of any pattern."""
    from geomap.compounds import _PATTERNS, CUES
    from geomap.names import data_table
    rows = data_table("compound_patterns.tsv")
    assert {kind for kind, _ in _PATTERNS} <= set(CUES)
    for row, (kind, pattern) in zip(rows, _PATTERNS):
        assert pattern.search(row["example"]) and CUES[kind].search(row["example"]), row["example"]
    plain = "Officials in Ankara met leaders of Syria and Turkey's allies on Monday."
    assert not any(cue.search(plain) for cue in CUES.values())


def test_the_name_lists_are_built_by_their_recipe(tmp_path):
    """scripts/build_name_lists.py reads the census files from the names sdist; the shipped lists carry its
    headers, so a list edited by hand, or a recipe changed without rebuilding, shows here."""
    script = PACKAGE.parent / "scripts" / "build_name_lists.py"
    spec = importlib.util.spec_from_file_location("build_name_lists", script)
    recipe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(recipe)
    files = {"dist.all.last": "SMITH          1.006  1.006      1\nWELCH          0.044 27.104    240\n"
                              "DANIELLE       0.000 85.560  47782\n",
             "dist.male.first": "JAMES          3.318  3.318      1\nAARON          0.010 51.000    150\n",
             "dist.female.first": "DANIELLE       0.038 55.000    139\nZULA           0.009 90.000   4000\n"}
    sdist = tmp_path / "names-0.3.0.tar.gz"
    with tarfile.open(sdist, "w:gz") as archive:
        for name, text in files.items():
            member = tarfile.TarInfo(f"names-0.3.0/names/{name}")
            member.size = len(text.encode())
            archive.addfile(member, io.BytesIO(text.encode()))
    assert recipe.surnames(sdist) == recipe.SURNAMES_HEADER + "smith\t1006\nwelch\t44\n"
    assert recipe.first_names(sdist) == recipe.FIRST_NAMES_HEADER + "aaron\ndanielle\njames\n"
    assert (PACKAGE / "data" / "first_names.txt").read_text(encoding="utf-8").startswith(recipe.FIRST_NAMES_HEADER)
