"""geomap.compounds.near_cues: the compound patterns searched near their cues find what a search of the whole text
finds."""
import re

import pytest

from geomap.compounds import _PATTERNS, CUES, REACH, cue_stretches, gap_after, gap_before, near_cues

from .helpers import SEED

NAME = "Alpha of Beta of Gamma of Delta of Epsilon of Zeta"   # a name at its longest: six words, ten gaps
# each pattern at its longest, beside cues that start no compound, across lines, at the edges of the text, and
# cues close together
TEXTS = [
    f"Reports say {NAME} - {NAME}\n north-eastern border was shut.",
    f"Officials said {NAME}'s  southern border between it and {NAME} was shut, and its frontier with {NAME} too.",
    f"Troops guard the border between {NAME} and {NAME} today.",
    f"Ships off {NAME}'s {NAME} coastline sank; ships off the {NAME} coast of {NAME} sank, and the country's coast.",
    f"Jets entered {NAME}'s sovereign air space, the country's sovereign\n\nairspace and USA's airspace too. "
    "xsouth-eastern Syria, the border. border border Syria-Turkey border",
    f"The border{NAME}'s southern border between it and {NAME} was shut.",   # a name from the first cue's end
    "border", "Turkey's border", "Syria-Turkey border", "air space of the border coast", "",
]


def whole_search(pattern, text):
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


def near_search(pattern, kind, text):
    return [(m.span(), m.groupdict()) for m in near_cues(pattern, text, cue_stretches(CUES[kind], text, *REACH[kind]))]


@pytest.mark.parametrize("text", TEXTS + [SEED.read_text(encoding="utf-8")])
def test_near_cues_finds_what_a_whole_search_finds(text):
    searched = [(kind, pattern) for kind, pattern in _PATTERNS if kind in REACH]
    assert any(whole_search(pattern, text) for _, pattern in searched) or len(text) < 40
    for kind, pattern in searched:
        assert near_search(pattern, kind, text) == whole_search(pattern, text), pattern.pattern


def test_a_compound_too_long_for_its_reach_is_what_the_reach_leaves_out():
    """The reach is what keeps the two searches alike: one run of whitespace less, and the longest border is lost."""
    kind, pattern = next((k, p) for k, p in _PATTERNS if k == "border")
    text = TEXTS[0]
    before, spans = REACH[kind]
    short = [m.span() for m in near_cues(pattern, text, cue_stretches(CUES[kind], text, before - 1, spans))]
    assert whole_search(pattern, text) and short != [span for span, _ in whole_search(pattern, text)]
    assert re.search(r"\s", pattern.pattern)


def test_gaps_are_counted_from_a_position_however_long_the_words():
    text = "a  b\tc\n\nd"
    assert [gap_before(text, 8, n) for n in (1, 2, 3, 4)] == [8, 5, 3, 0]
    assert [gap_after(text, 0, n) for n in (1, 2, 3, 4)] == [1, 4, 6, len(text)]
    long = "x " + "y" * 500 + " z"
    assert gap_before(long, len(long) - 1, 2) == 2 and gap_after(long, 0, 2) == 502
