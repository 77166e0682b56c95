import pytest

from geomap.mentions import border_mentions, find_mentions, mentions_from_spans


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
    (found,) = border_mentions(text, gazetteer, [])
    assert found.text == mention and found.parts == parts and text[found.start:found.end] == mention


def test_border_pronoun_takes_the_country_named_before(nlp, gazetteer):
    text = "NATO offered to help Turkey defend its southern border with Syria."
    found = find_mentions(nlp(text), gazetteer)
    border = next(m for m in found if m.label == "BORDER")
    assert border.text == "southern border with Syria" and border.parts == ("Turkey", "Syria")
    assert border.direction == "southern"


def test_border_needs_two_known_regions(gazetteer):
    assert border_mentions("the Smith-Jones border collie", gazetteer, []) == []


def test_mentions_from_spans_keep_every_span(gazetteer):
    text = "From Oslo to the Syria-Turkey border."
    found = mentions_from_spans(text, [(5, 9), (17, 36)], gazetteer)
    assert [m.text for m in found] == ["Oslo", "Syria-Turkey border"]
    assert found[0].label == "GIVEN" and found[1].parts == ("Syria", "Turkey")
