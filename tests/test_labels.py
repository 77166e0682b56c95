"""Happenings only where something happens, and labels cut from the parse by whole constituents."""
import importlib.util
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from geomap.happenings import MAX_LABEL_WORDS, OTHER
from geomap.happenings.wording import noun_phrase, render, strip_edges

from .helpers import events_of

SCRIPT = Path(__file__).parent.parent / "scripts" / "label_check.py"
spec = importlib.util.spec_from_file_location("label_check", SCRIPT)
label_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(label_check)


# -- the plain check (scripts/label_check.py) ---------------------------------------------------------------

@pytest.mark.parametrize("label, reasons", [
    ("Turkey has shelled a city in northeastern Syria, Tuesday", []),
    ("NATO parliamentary meeting, Stavanger, Oct. 12, 2015", []),
    ("US drones were flying missions", []),                        # an acronym, not "us"
    ("The wedding took place, Fishguard, 19 May", []),             # the month, not the auxiliary
    ("he returned Cuba", ["pronoun start"]),
    ("October require insured mortgages to undergo stress test, Ottawa", ["date start"]),
    ("centered, Egypt", ["under 3 words"]),
    ("sell Angus cattle to, Missouri", ["ends on a function word"]),
    ('the "Arab Spring" protests', ["quotation mark"]),
    ("the countries’ leaders met in Oslo", []),                    # a possessive, not a quotation mark
])
def test_label_check_names_the_reasons(label, reasons):
    assert label_check.failures(label) == reasons


# -- phrases by whole constituents, on hand-made parses (no model) -------------------------------------------

def parsed(words, heads, deps, tags, pos, spaces=None):
    return Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos, spaces=spaces)


def test_a_shorter_noun_phrase_drops_whole_modifiers():
    # "a city in northeastern Syria that Turkey shelled": the relative clause never, the prepositional
    # phrase at level 0 only, the determiner always
    doc = parsed(["a", "city", "in", "northeastern", "Syria", "that", "Turkey", "shelled"],
                 heads=[1, 1, 1, 4, 2, 7, 7, 1], deps=["det", "ROOT", "prep", "amod", "pobj", "dobj", "nsubj", "relcl"],
                 tags=["DT", "NN", "IN", "JJ", "NNP", "WDT", "NNP", "VBD"],
                 pos=["DET", "NOUN", "ADP", "ADJ", "PROPN", "PRON", "PROPN", "VERB"])
    assert render(doc, noun_phrase(doc[1], 0)) == "a city in northeastern Syria"
    assert render(doc, noun_phrase(doc[1], 1)) == "a city"


def test_a_phrase_never_ends_on_a_word_left_without_its_own():
    doc = parsed(["cattle", "sold", "to", "and"], heads=[1, 1, 1, 1], deps=["nsubj", "ROOT", "prep", "cc"],
                 tags=["NNS", "VBD", "IN", "CC"], pos=["NOUN", "VERB", "ADP", "CCONJ"])
    assert render(doc, strip_edges(doc, [0, 1, 2, 3], article=False)) == "cattle sold"


def test_hyphenated_words_stay_whole():
    doc = parsed(["by", "government", "-", "sanctioned", "bodies"], heads=[0, 3, 3, 4, 0],
                 deps=["ROOT", "npadvmod", "punct", "amod", "pobj"], tags=["IN", "NN", "HYPH", "VBN", "NNS"],
                 pos=["ADP", "NOUN", "PUNCT", "VERB", "NOUN"], spaces=[True, False, False, True, False])
    assert render(doc, [0, 3, 4]) == "by government-sanctioned bodies"


# -- the whole events step, with the model ----------------------------------------------------------------

@pytest.mark.model
def test_a_first_person_quote_is_no_happening(geoparser):
    text = '"We sold 22,000 head of cattle in Gainesville last year," Smith said.'
    events, by_place = events_of(geoparser, text)
    assert by_place["Gainesville"].label == OTHER and len(events) == 1


@pytest.mark.model
@pytest.mark.parametrize("text", [
    "Algeria has a long border with Libya. Algeria traditionally opposes any military presence in Tunisia.",
    "Officials said in Ottawa that prices are high.",
    "If Russia attacks Georgia, it would lose a friend.",
    "The company did not open a store in Boston.",
])
def test_habits_opinions_and_what_did_not_happen_are_no_happenings(geoparser, text):
    events, _ = events_of(geoparser, text)
    assert [e.label for e in events] == [OTHER]


@pytest.mark.model
@pytest.mark.parametrize("text, place, label", [
    # what is reported is the happening, not the saying
    ("Officials in Ankara said rebels attacked Aleppo on Monday.", "Aleppo", "rebels attacked Aleppo, Monday"),
    # the verb and the phrases as the text has them, then place and date
    ("BEIRUT (AP) — Turkey has shelled a city in northeastern Syria on Tuesday.", "northeastern Syria",
     "Turkey has shelled a city in northeastern Syria, Tuesday"),
    # a pronoun named by the entity it stands for
    ("Fidel Castro spoke to the crowd in Santiago. He returned to Havana in 1959.", "Havana",
     "Fidel Castro returned to Havana, 1959"),
])
def test_the_label_says_who_did_what_in_the_texts_words(geoparser, text, place, label):
    _, by_place = events_of(geoparser, text)
    assert by_place[place].label == label


@pytest.mark.model
@pytest.mark.parametrize("text", [
    "Farmers in Missouri sold Angus cattle to buyers from Iowa on Monday.",
    "A group advocating for farmers held a rally in Alberta.",
    "The bank said in October it would require insured mortgages in Ottawa to undergo a stress test.",
    "The engine of a bus overheated on a highway near Cairo, which is centered on the Nile.",
    "The suspect was arrested in Toledo and charged with murder and arson.",
])
def test_a_label_never_ends_on_a_function_word(geoparser, text):
    events, _ = events_of(geoparser, text)
    for label in {e.label for e in events} - {OTHER}:
        assert label_check.failures(label) == [], label
        assert len(label.split()) <= MAX_LABEL_WORDS
