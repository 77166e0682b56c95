from geomap.events import OTHER, assign_events
from geomap.geometry import build_place
from geomap.mentions import find_mentions
from geomap.resolve import resolve_mentions


def events_of(nlp, gazetteer, text):
    doc = nlp(text)
    mentions = find_mentions(doc, gazetteer)
    places = [build_place(m, r, gazetteer) for m, r in zip(mentions, resolve_mentions(text, mentions, gazetteer))]
    events, which = assign_events(doc, places)
    return events, {p.mention.text: events[w] for p, w in zip(places, which)}


def test_places_in_different_clauses_get_different_events(nlp, gazetteer):
    text = "Ministers met in Oslo on Monday. Rebels attacked positions in Aleppo on Tuesday."
    events, by_place = events_of(nlp, gazetteer, text)
    assert len(events) == 2
    assert "met" in by_place["Oslo"].label and "attacked" in by_place["Aleppo"].label
    oslo = by_place["Oslo"]
    assert text[oslo.trigger_start:oslo.trigger_end] == "met"


def test_places_of_one_happening_share_an_event(nlp, gazetteer):
    events, by_place = events_of(nlp, gazetteer, "Leaders from Germany and France met in Brussels.")
    assert by_place["Germany"].id == by_place["Brussels"].id == by_place["France"].id


def test_event_ids_follow_reading_order(nlp, gazetteer):
    events, _ = events_of(nlp, gazetteer, "Troops moved to Kabul. Aid arrived in Herat. Talks began in Doha.")
    assert [e.id for e in events] == [1, 2, 3]
    assert [e.place_indexes for e in events] == [(0,), (1,), (2,)]


def test_headline_without_verb_is_labelled_by_its_words(nlp, gazetteer):
    events, by_place = events_of(nlp, gazetteer, "Floods in Bangladesh\n\nThe rain went on.")
    assert by_place["Bangladesh"].label != OTHER
