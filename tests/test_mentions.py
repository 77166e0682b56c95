import pytest

import spacy

from geomap.compounds import compound_mentions
from geomap.recognition import find_mentions, mentions_from_spans

pytestmark = pytest.mark.model   # these tests run the spaCy model

BLANK = spacy.blank("en")


def spans(nlp, gazetteer, text):
    return [(m.text, m.label) for m in find_mentions(nlp(text), gazetteer)]


def test_model_places_are_found(nlp, gazetteer):
    found = [t for t, _ in spans(nlp, gazetteer, "Officials in Germany and France met on Friday.")]
    assert found == ["Germany", "France"]


def test_city_country_pair_is_split_in_two(nlp, gazetteer):
    found = [t for t, _ in spans(nlp, gazetteer, "The summit was held in Lyon, France on Monday.")]
    assert found == ["Lyon", "France"]


def test_gazetteer_recovers_place_the_model_mislabels(nlp, gazetteer, seed_text):
    found = find_mentions(nlp(seed_text), gazetteer)
    stavanger = [m for m in found if m.text == "Stavanger"]
    assert len(stavanger) == 2 and seed_text[stavanger[0].start:stavanger[0].end] == "Stavanger"


@pytest.mark.parametrize("text", [
    "Jordan Peterson spoke on Monday.",
    "We will meet again in March.",
    "NATO Secretary-General Jens Stoltenberg said so.",
])
def test_non_places_are_not_mentions(nlp, gazetteer, text):
    assert spans(nlp, gazetteer, text) == []


@pytest.mark.parametrize("text, mention, parts", [
    ("Clashes on the Syria-Turkey border went on.", "Syria-Turkey border", ("Syria", "Turkey")),
    ("Troops gathered near the Iraq–Syria frontier.", "Iraq–Syria frontier", ("Iraq", "Syria")),
    ("Turkey's southern border with Syria is long.", "Turkey's southern border with Syria", ("Turkey", "Syria")),
    ("Refugees crossed the border between Greece and Turkey.", "border between Greece and Turkey", ("Greece", "Turkey")),
])
def test_border_patterns(gazetteer, text, mention, parts):
    (found,) = compound_mentions(BLANK(text), gazetteer, [])
    assert found.text == mention and found.part_names == parts and text[found.start:found.end] == mention


def test_border_pronoun_takes_the_country_named_before(nlp, gazetteer):
    text = "NATO offered to help Turkey defend its southern border with Syria."
    found = find_mentions(nlp(text), gazetteer)
    border = next(m for m in found if m.label == "BORDER")
    assert border.text == "southern border with Syria" and border.part_names == ("Turkey", "Syria")
    assert border.direction == "southern"


def test_border_needs_two_known_regions(gazetteer):
    assert compound_mentions(BLANK("the Smith-Jones border collie"), gazetteer, []) == []


def test_mentions_from_spans_keep_every_span(gazetteer):
    text = "From Oslo to the Syria-Turkey border."
    found = mentions_from_spans(BLANK(text), [(5, 9), (17, 36)], gazetteer)
    assert [m.text for m in found] == ["Oslo", "Syria-Turkey border"]
    assert found[0].label == "GIVEN" and found[1].part_names == ("Syria", "Turkey")


@pytest.mark.parametrize("text, mention, compound, parts, direction", [
    ("Ships docked on Syria's Mediterranean coast.", "Syria's Mediterranean coast", "coast", ("Syria", "Mediterranean"),
     None),
    ("Fishing on the Black Sea coast of Turkey grew.", "the Black Sea coast of Turkey", "coast", ("Turkey", "Black Sea"),
     None),
    ("Fighting spread in northern Syria.", "northern Syria", "part", ("Syria",), "northern"),
    ("Rain fell in the north-east of Nigeria.", "the north-east of Nigeria", "part", ("Nigeria",), "northeast"),
    ("Jets violated Turkey's sovereign airspace.", "Turkey's sovereign airspace", "airspace", ("Turkey",), None),
    ("Troops massed on the Turkish-Syrian border.", "Turkish-Syrian border", "border", ("Turkish", "Syrian"), None),
    ("Patrols guard Turkey's southern border.", "Turkey's southern border", "border", ("Turkey",), "southern"),
    # the next sentence is not part of the name
    ("Rain fell in northern Georgia. Atlanta stayed dry.", "northern Georgia", "part", ("Georgia",), "northern"),
    # an abbreviation keeps its full stop, a sentence's end is dropped
    ("Snow fell in western Mass. on Monday.", "western Mass.", "part", ("Mass.",), "western"),
    ("Snow fell in western Massachusetts.", "western Massachusetts", "part", ("Massachusetts",), "western"),
])
def test_compound_patterns(gazetteer, text, mention, compound, parts, direction):
    (found,) = compound_mentions(BLANK(text), gazetteer, [])
    assert (found.text, found.compound, found.part_names, found.direction) == (mention, compound, parts, direction)


@pytest.mark.parametrize("text", [
    "Northern Ireland voted.",          # a name, not a part
    "They drove north of Damascus.",    # outside the city, not a part of it
    "The country's coast guard said.",  # no country named before
    "Farms lie in northern Anderson County. Paris had been quiet.",   # a county, not "Paris" across the stop
])
def test_compound_negatives(gazetteer, text):
    assert compound_mentions(BLANK(text), gazetteer, []) == []


def test_the_country_is_the_country_in_focus(nlp, gazetteer):
    text = ("NATO offered to help Turkey defend its southern border with Syria after jets infiltrated "
            "the country's sovereign air space. Ships docked on Syria's coast, and aircraft landed in "
            "the government-held north of the country.")
    found = {m.compound: m for m in find_mentions(nlp(text), gazetteer) if m.compound in ("airspace", "part")}
    assert found["airspace"].part_names == ("Turkey",)
    assert found["part"].part_names == ("Syria",) and found["part"].text == "the government-held north of the country"


def test_demonyms_are_mentions_of_their_country_only_when_asked(nlp, gazetteer):
    doc = nlp("Russian jets flew over Syrian towns while Turkey watched.")
    assert [m.text for m in find_mentions(doc, gazetteer)] == ["Turkey"]
    with_demonyms = {m.text: m.role for m in find_mentions(doc, gazetteer, demonyms=True)}
    assert with_demonyms == {"Russian": "demonym", "Syrian": "demonym", "Turkey": "literal"}


def test_demonym_resolves_to_its_country():
    import geomap
    gdf = geomap.geoparse("Russian jets flew over the sea.", demonyms=True)
    assert list(gdf["country_code"]) == ["RU"] and list(gdf["kind"]) == ["region"]


@pytest.mark.parametrize("text, place, metonym", [
    ("Moscow warned Ankara on Monday.", "Moscow", True),
    ("Brussels decided to act.", "Brussels", True),
    ("Snow fell in Moscow on Monday.", "Moscow", False),
])
def test_metonyms_are_kept_and_marked(nlp, gazetteer, text, place, metonym):
    found = {m.text: m for m in find_mentions(nlp(text), gazetteer)}
    assert found[place].metonym is metonym


def test_compound_parts_are_mentions_with_their_own_offsets(gazetteer):
    text = "Ships sailed along Georgia's coast and the Syria-Turkey border."
    coast, border = compound_mentions(BLANK(text), gazetteer, [])
    (georgia,) = coast.parts
    assert (georgia.start, georgia.end, georgia.text) == (19, 26, "Georgia")
    assert [text[p.start:p.end] for p in border.parts] == ["Syria", "Turkey"]
    assert all(p.compound is None and not p.parts for p in coast.parts + border.parts)


@pytest.mark.parametrize("text, mention, part", [
    ("Snow fell in the east of France. France said so.", "the east of France", (25, 31)),
    ("In Syria-Turkey border towns, shops shut.", "Syria-Turkey border", (3, 8)),
])
def test_compound_part_is_the_occurrence_next_to_the_compound_words(gazetteer, text, mention, part):
    (found,) = compound_mentions(BLANK(text), gazetteer, [])
    assert found.text == mention and (found.parts[0].start, found.parts[0].end) == part


def test_back_reference_part_is_the_focus_countrys_own_mention(nlp, gazetteer):
    text = "NATO offered to help Turkey defend its southern border with Syria."
    found = find_mentions(nlp(text), gazetteer)
    turkey = next(m for m in found if m.text == "Turkey")
    border = next(m for m in found if m.label == "BORDER")
    assert border.parts[0] == turkey and border.parts[0].start == text.index("Turkey")


def test_generic_word_is_not_a_compound_part(gazetteer):
    # "Valley" is The Valley, Anguilla, in the gazetteer; "Las Vegas Valley" is no region
    assert compound_mentions(BLANK("A crash in the northwestern Las Vegas Valley on Monday."), gazetteer, []) == []


def test_occupied_spans_answer_overlap_like_pairwise_checks():
    import random

    from geomap.models import Occupied
    rng = random.Random(7)
    kept = []
    occupied = Occupied()
    for _ in range(400):
        start = rng.randrange(0, 500)
        end = start + rng.randrange(1, 12)
        pairwise = any(start < e and s < end for s, e in kept)
        assert occupied.overlaps(start, end) == pairwise
        if not pairwise:
            kept.append((start, end))
            occupied.add(start, end)
