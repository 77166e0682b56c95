"""Gazetteer-based recognition rules, on small docs annotated by hand (no trained model needed).

These are the rules alone (``recognizer=RULES``): the learned recognizer reads their verdicts as features,
and needs a real pipeline's parse and token vectors (tests/test_learned_recognition.py)."""
import pytest
import spacy
from spacy.tokens import Span

from geomap.recognition import RULES
from geomap.recognition import find_mentions as find_any
from geomap.recognition.rules import gazetteer_mentions

NLP = spacy.blank("en")


def make_doc(text, ents=(), propn=None):
    """A doc of ``text`` with entities given as (start_word, end_word, label) and capitalised words as PROPN."""
    doc = NLP(text)
    for token in doc:
        if token.text[:1].isupper() if propn is None else token.i in propn:
            token.pos_ = "PROPN"
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
    return doc


def find_mentions(doc, gazetteer, **options):
    return find_any(doc, gazetteer, recognizer=RULES, **options)


def found(doc, gazetteer, **options):
    return [(m.text, m.role) for m in find_mentions(doc, gazetteer, **options)]


def test_country_the_model_called_a_person_is_a_place(gazetteer):
    doc = make_doc("Botswana reported two cases .", ents=[(0, 1, "PERSON")])
    assert found(doc, gazetteer) == [("Botswana", "literal")]


def test_town_the_model_called_an_organisation_needs_context(gazetteer):
    bare = make_doc("Krasnodar reported two cases .", ents=[(0, 1, "ORG")])
    placed = make_doc("Birds died in Krasnodar last week .", ents=[(3, 4, "ORG")])
    assert found(bare, gazetteer) == [("Krasnodar", "literal")]   # a city of 100,000+ people
    assert found(placed, gazetteer) == [("Krasnodar", "literal")]
    town = make_doc("Franklin said the tests were clean .", ents=[(0, 1, "PERSON")])
    assert found(town, gazetteer) == []
    assert found(make_doc("The tests were done in Franklin ."), gazetteer) == [("Franklin", "literal")]


def test_town_region_pair(gazetteer):
    doc = make_doc("A trader from Sukoharjo , Central Java died .")
    assert [t for t, _ in found(doc, gazetteer)] == ["Sukoharjo", "Central Java"]


def test_place_inside_an_organisation_is_a_modifier_only_when_asked(gazetteer):
    doc = make_doc("the Ohio Department of Health said so .", ents=[(1, 5, "ORG")])
    assert found(doc, gazetteer) == []
    assert found(doc, gazetteer, modifiers=True) == [("Ohio", "modifier")]


def test_place_inside_a_person_name_is_never_a_place(gazetteer):
    doc = make_doc("Jordan Peterson spoke .", ents=[(0, 2, "PERSON")])
    assert found(doc, gazetteer, modifiers=True) == []


def test_dotted_abbreviation_is_a_place(gazetteer):
    doc = make_doc("Officials in the U.S. agreed .")
    assert found(doc, gazetteer) == [("U.S.", "literal")]


@pytest.mark.parametrize("text", [
    "The UN agreed .",            # 'Un' is a town in India, but an acronym must match in capitals
    "Western officials agreed .",  # generic word
    "The Centre agreed .",
    "The FDA agreed .",            # a GeoNames alias of Fada, Chad
])
def test_acronyms_and_generic_words_are_not_places(gazetteer, text):
    assert found(make_doc(text), gazetteer) == []


def test_disease_names_are_not_places(gazetteer):
    doc = make_doc("West Nile virus reached Texas . Cases of Reston virus rose . Reston spread fast . "
                   "Students in Reston were safe .")
    places = [t for t, _ in found(doc, gazetteer)]
    assert places == ["Texas", "Reston"]
    assert [m.start for m in find_mentions(doc, gazetteer) if m.text == "Reston"] == [doc.text.rindex("Reston")]


def test_ebola_is_the_disease(gazetteer):
    assert found(make_doc("Ebola killed nine ."), gazetteer) == []


def test_model_mentions_win_over_gazetteer_matches(gazetteer):
    doc = make_doc("Rain fell in Paris .", ents=[(3, 4, "GPE")])
    assert [(m.text, m.label) for m in find_mentions(doc, gazetteer)] == [("Paris", "GPE")]
    assert gazetteer_mentions(doc, gazetteer, find_mentions(doc, gazetteer)) == []


def test_demonym_the_model_called_a_place_is_a_demonym(gazetteer):
    doc = make_doc("Angolan officials met .", ents=[(0, 1, "GPE")])
    assert found(doc, gazetteer) == []
    assert found(doc, gazetteer, demonyms=True) == [("Angolan", "demonym")]


def test_unknown_name_with_digits_is_not_a_place(gazetteer):
    doc = make_doc("H5N1 spread to Turkey .", ents=[(0, 1, "GPE"), (3, 4, "GPE")])
    assert found(doc, gazetteer) == [("Turkey", "literal")]


# -- people and organisations taken for places ------------------------------------------------------

def test_name_after_a_title_is_a_person(gazetteer):
    doc = make_doc("Sen. Nelson said Omaha needs help .", ents=[(1, 2, "GPE"), (3, 4, "GPE")])
    assert [t for t, _ in found(doc, gazetteer)] == ["Omaha"]
    doc = make_doc("Coach Ripley was happy .", ents=[(1, 2, "GPE")])
    assert found(doc, gazetteer) == []


def test_name_after_a_first_name_is_a_person(gazetteer):
    doc = make_doc("City Manager Jim Hartmann said so .", ents=[(3, 4, "GPE")])
    assert found(doc, gazetteer) == []


def test_a_persons_surname_is_a_person_all_through_the_document(gazetteer):
    doc = make_doc("Mikheil Saakashvili spoke in Tbilisi . Saakashvili said no .",
                   ents=[(0, 2, "PERSON"), (4, 5, "GPE"), (6, 7, "GPE")])
    assert [t for t, _ in found(doc, gazetteer)] == ["Tbilisi"]
    doc = make_doc("Coach Darren Ripley won . Ripley said the team trained in Ripley .",
                   ents=[(1, 3, "PERSON"), (5, 6, "GPE"), (11, 12, "GPE")])
    assert [m.start for m in find_mentions(doc, gazetteer)] == [doc[11].idx]   # "in Ripley" is the town


def test_a_country_or_big_province_keeps_its_name_whoever_shares_it(gazetteer):
    doc = make_doc("Georgia Smith spoke . Georgia has votes . Washington said so .",
                   ents=[(0, 2, "PERSON"), (4, 5, "GPE"), (8, 9, "GPE")])
    assert [t for t, _ in found(doc, gazetteer)] == ["Georgia", "Washington"]


def test_first_name_that_is_a_place_in_a_list_is_no_person_cue(gazetteer):
    doc = make_doc("Storms hit Austin , Dallas and Tyler Texas .", ents=[(2, 3, "GPE"), (4, 5, "GPE"), (6, 7, "GPE"),
                                                                       (7, 8, "GPE")])
    assert [t for t, _ in found(doc, gazetteer)] == ["Austin", "Dallas", "Tyler", "Texas"]


def test_town_heading_an_institution_is_a_modifier(gazetteer):
    doc = make_doc("The Gainesville Police Department said so .", ents=[(0, 4, "ORG")])
    assert found(doc, gazetteer) == []
    assert found(doc, gazetteer, modifiers=True) == [("Gainesville", "modifier")]   # a city
    doc = make_doc("A fair in Chiefland . The Chiefland Police Department said so .", ents=[(5, 9, "ORG")])
    assert found(doc, gazetteer, modifiers=True) == [("Chiefland", "literal"), ("Chiefland", "modifier")]
    doc = make_doc("The Chiefland Police Department said so .", ents=[(0, 4, "ORG")])
    assert found(doc, gazetteer, modifiers=True) == []   # a town, and nothing else says it is one
    doc = make_doc("The state Supreme Court said so .", ents=[(2, 4, "ORG")])
    assert found(doc, gazetteer, modifiers=True) == []
    company = make_doc("The Gainesville Widgets Inc said so .", ents=[(0, 4, "ORG")])
    assert found(company, gazetteer, modifiers=True) == []
    doc = make_doc("A student at the University of Cincinnati said so .", ents=[(3, 7, "ORG")])
    assert found(doc, gazetteer, modifiers=True) == [("Cincinnati", "modifier")]   # "X of Town"
    for name in ("Riding Club", "Environmental Services", "Post"):   # a club, a service, a newspaper
        doc = make_doc(f"The Gainesville {name} said so .", ents=[(0, 2 + len(name.split()), "ORG")])
        assert found(doc, gazetteer, modifiers=True) == [("Gainesville", "modifier")]


def test_a_town_named_once_as_a_place_is_a_place_all_through(gazetteer):
    doc = make_doc("Pastors ride in Mansfield . Mansfield 's program grew .", ents=[(5, 6, "PERSON")])
    assert found(doc, gazetteer) == [("Mansfield", "literal"), ("Mansfield", "literal")]
    alone = make_doc("Mansfield 's program grew .", ents=[(0, 1, "PERSON")])
    assert found(alone, gazetteer) == []


@pytest.mark.parametrize("text, expected", [
    ("Miss Cordiner said she hoped so .", []),              # a title, not "Miss." (Mississippi)
    ("They bought a new PA system .", []),                  # a two-letter code needs "Town, PA"
    ("Officials in N.Y. agreed .", ["N.Y."]),
    ("He moved to Pittsburgh , PA last year .", ["Pittsburgh", "PA"]),
])
def test_a_province_abbreviation_must_be_written_as_one(gazetteer, text, expected):
    assert [t for t, _ in found(make_doc(text), gazetteer)] == expected


def test_a_town_noun_after_the_name_says_town(gazetteer):
    assert found(make_doc("About 55 Chiefland residents marched Friday ."), gazetteer) == [("Chiefland", "literal")]
    assert found(make_doc("Chiefland Mayor Teal Pomeroy spoke ."), gazetteer) == [("Chiefland", "literal")]
    assert found(make_doc("Chiefland said the tests were clean ."), gazetteer) == []


def test_the_demonym_that_starts_an_organisation_name(gazetteer):
    doc = make_doc("A statement by the Russian Foreign Ministry followed .", ents=[(3, 7, "ORG")])
    assert found(doc, gazetteer, demonyms=True) == [("Russian", "demonym")]
    assert found(doc, gazetteer) == []
    lone = make_doc("The Russian said no .", ents=[(0, 2, "ORG")])   # a one-word name: no organisation's
    assert found(lone, gazetteer, demonyms=True) == []


@pytest.mark.parametrize("text, expected", [
    ("Vandals hit a church . BEIRUT : Unknown men removed the crosses .", ["BEIRUT"]),
    ("Plan due .\nTORRINGTON — Mayor Ryan Bingham spoke .", ["TORRINGTON"]),
    ("SHIFTING GEARS\nSteele was hired .", []),
])
def test_a_dateline_is_a_place_whatever_the_tagger_says(gazetteer, text, expected):
    doc = make_doc(text, propn=set())   # the tagger read the capitals as something else
    assert [t for t, _ in found(doc, gazetteer)] == expected


def test_another_transliteration_of_a_town_name_is_trusted_but_not_a_short_alias():
    from geomap.recognition.evidence import spelling_of
    assert spelling_of("Jarablus", "Jarābulus") and spelling_of("Tal Abyad", "Tall Abyaḑ")
    assert not spelling_of("Kobani", "Mkoani")      # a different town
    assert not spelling_of("SUV", "Suva") and not spelling_of("D", "Detroit")


def test_a_transliterated_town_in_place_context_is_found(gazetteer):
    assert found(make_doc("Clashes broke out in Jarablus on Sunday ."), gazetteer) == [("Jarablus", "literal")]


@pytest.mark.parametrize("text", [
    "The driver , 49 , of Chiefland was charged .",      # age, then where the person lives
    "Deputies searched a house outside of Chiefland .",
    "The residents of Chiefland voted .",
])
def test_of_after_an_age_outside_or_a_town_noun_says_place(gazetteer, text):
    assert found(make_doc(text), gazetteer) == [("Chiefland", "literal")]


def test_a_place_after_in_inside_an_organisation_name_is_literal(gazetteer):
    doc = make_doc("She flew to the Shriners Hospital in Chiefland .", ents=[(3, 8, "ORG")])
    assert found(doc, gazetteer) == [("Chiefland", "literal")]
    title = make_doc("Read Turkish Armed Forces Over Chiefland today .", ents=[(1, 6, "ORG")])
    assert found(title, gazetteer) == []   # a title's capitalised "Over" is no preposition in the text


def test_the_city_of_a_known_town_is_that_town(gazetteer):
    from geomap.recognition.rules import checked
    from geomap.models import Mention
    mention = checked(Mention(0, 20, "The City of Montreal", "GPE"), gazetteer)
    assert (mention.start, mention.text) == (12, "Montreal")


@pytest.mark.parametrize("text, expected", [
    ("Gunmen attacked Zorvanka village on Monday .", ["Zorvanka"]),     # a name no gazetteer has
    ("Troops entered the village of Ma’an .", ["Ma’an"]),               # an apostrophe inside the name
    ("Zorvanka , a village near the river , was burnt .", ["Zorvanka"]),
    ("Shells hit the villages of Zorvanka and Durwa .", ["Zorvanka", "Durwa"]),
    ("Rebels shelled the Zorvanka countryside .", ["Zorvanka"]),
])
def test_a_settlement_noun_makes_any_name_a_place(gazetteer, text, expected):
    assert [m for m, _ in found(make_doc(text), gazetteer)] == expected


def test_a_name_in_apposition_to_a_capital_is_a_place_whatever_the_model_says(gazetteer):
    doc = make_doc("He was shot outside the regional capital , Grozny , on Monday .", ents=[(7, 8, "PERSON")])
    assert found(doc, gazetteer) == [("Grozny", "literal")]


def test_a_demonym_before_a_settlement_noun_is_no_settlement(gazetteer):
    doc = make_doc("Jets flew over Syrian towns .", ents=[(3, 4, "NORP")])
    assert found(doc, gazetteer) == []


@pytest.mark.model


def test_a_settlement_noun_in_a_compound_belongs_to_the_compound(nlp, gazetteer):
    doc = nlp("The Zorvanka city council met on Monday.")
    assert [m.text for m in find_mentions(doc, gazetteer)] == []


def test_a_name_written_without_its_arabic_article_is_found(gazetteer):
    from geomap.recognition.evidence import spelling_of
    assert [c.name for c in gazetteer.lookup("Qamishli")][:1] == ["Al Qāmishlī"]
    assert spelling_of("Hasakah", "Al Ḩasakah") and not spelling_of("Hasakah", "Al Ḩamīdīyah")
    assert found(make_doc("A bomb exploded in al-Hazm on Sunday ."), gazetteer) == [("al-Hazm", "literal")]


def test_names_before_a_plural_settlement_noun_are_all_settlements(gazetteer):
    doc = make_doc("Troops shelled the Zorvanka , Durwa and Maforo suburbs .")
    assert [m for m, _ in found(doc, gazetteer)] == ["Zorvanka", "Durwa", "Maforo"]
    single = make_doc("Smith and Zorvanka , a village , were named .")
    assert [m for m, _ in found(single, gazetteer)] == ["Zorvanka"]   # only a plural noun reaches back


@pytest.mark.parametrize("text, expected", [
    ("Gunmen captured the Zorvanka Gorge on Thursday .", ["Zorvanka Gorge"]),
    ("Rebels stormed the strategic Sheikh Zorvan Hill .", ["Sheikh Zorvan Hill"]),
    ("Zorvan Hill sang on Thursday .", []),                      # a person's name without "the"
])
def test_a_name_ending_in_a_feature_word_after_the_is_a_place(gazetteer, text, expected):
    assert [m for m, _ in found(make_doc(text), gazetteer)] == expected


def test_the_area_after_an_unknown_name_needs_the(gazetteer):
    assert [m for m, _ in found(make_doc("They attacked the Zorvanka area ."), gazetteer)] == ["Zorvanka"]
    assert found(make_doc("Zorvanka area residents met ."), gazetteer) == []


@pytest.mark.model


def test_spaces_between_the_settlement_noun_and_the_name_are_skipped(nlp, gazetteer):
    doc = nlp("A soldier was killed in the nearby town of  Zorvanka on Monday.")
    assert [m.text for m in find_mentions(doc, gazetteer)] == ["Zorvanka"]


def test_a_person_described_by_a_settlement_noun_is_no_settlement(gazetteer):
    doc = make_doc("Zorvan Whitley , a city official , said so .", ents=[(0, 2, "PERSON")])
    assert found(doc, gazetteer) == []


def test_a_city_the_model_ran_on_from_in_lower_case_words_is_a_place(gazetteer):
    doc = make_doc("Jets kept up attacks on Aleppo for the ninth day .", ents=[(5, 10, "WORK_OF_ART")])
    assert found(doc, gazetteer) == [("Aleppo", "literal")]
    title = make_doc("She read Aleppo Nights twice .", ents=[(2, 4, "WORK_OF_ART")])
    assert found(title, gazetteer) == []


@pytest.mark.model


def test_the_object_of_a_verb_only_ground_takes_is_a_place(nlp, gazetteer):
    assert [m.text for m in find_mentions(nlp("Rebels shelled Kafr Zorvanka on Monday."), gazetteer)] == \
        ["Kafr Zorvanka"]
    assert find_mentions(nlp("Police stormed Zorvan's house on Monday."), gazetteer) == []


def test_a_run_too_long_for_a_name_is_no_settlement(gazetteer):
    doc = make_doc("the village of " + "Zorvanka " * 40 + ".")
    assert found(doc, gazetteer) == []
