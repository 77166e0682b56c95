import numpy as np
import pytest

import geomap
from geomap.models import OTHER

from .helpers import events_of

pytestmark = pytest.mark.model   # these tests run the spaCy model


def test_places_in_different_clauses_get_different_events(geoparser):
    text = "Ministers met in Oslo on Monday. Rebels attacked positions in Aleppo on Tuesday."
    events, by_place = events_of(geoparser, text)
    assert len(events) == 2
    assert "met" in by_place["Oslo"].label and "attacked" in by_place["Aleppo"].label
    oslo = by_place["Oslo"]
    assert text[oslo.trigger_start:oslo.trigger_end] == "met"


def test_places_of_one_happening_share_an_event(geoparser):
    events, by_place = events_of(geoparser, "Leaders from Germany and France met in Brussels.")
    assert by_place["Germany"].id == by_place["Brussels"].id == by_place["France"].id


def test_event_ids_follow_reading_order(geoparser):
    events, _ = events_of(geoparser, "Troops moved to Kabul. Aid arrived in Herat. Talks began in Doha.")
    assert [e.id for e in events] == [1, 2, 3]
    assert [e.place_indexes for e in events] == [(0,), (1,), (2,)]


def test_headline_without_verb_is_labelled_by_its_words(geoparser):
    events, by_place = events_of(geoparser, "Floods in Bangladesh\n\nThe rain went on.")
    assert by_place["Bangladesh"].label != OTHER


def test_event_noun_locates_the_place_and_merges_across_sentences(geoparser):
    text = ("The summit in Oslo opened on Monday. Protesters gathered in Bergen. "
            "Leaders at the summit in Holmestrand agreed on a text.")
    _, by_text = events_of(geoparser, text)
    assert by_text["Oslo"].id == by_text["Holmestrand"].id != by_text["Bergen"].id
    assert by_text["Oslo"].label.startswith("summit") and by_text["Oslo"].date == "Monday"


def test_violations_take_their_date_from_a_later_sentence(geoparser):
    text = ("Russian violations of Turkey's airspace angered Ankara. "
            "Russia said the violations, which took place Oct. 3-4, were an error.")
    events, by_place = events_of(geoparser, text)
    violation = by_place["Turkey's airspace"]
    assert violation.label.startswith("Russian violations") and violation.date == "Oct. 3-4"
    assert "Russian" in violation.actors


def test_complements_belong_to_the_verb_above(geoparser):
    _, by_place = events_of(geoparser, "NATO offered to help Turkey defend its border with Syria.")
    event = by_place["Turkey"]
    assert "offered" in event.label and event.actors == ("NATO",)
    assert by_place["border with Syria"].id == event.id


def test_relative_clause_label_names_its_noun(geoparser):
    # the learned linker puts "Troops arrived on ships that docked at Tartus" at "arrived": a sentence
    # whose only happening is the relative clause's; the label names the noun for the relative pronoun
    _, by_place = events_of(geoparser, "These are the ships that docked at Tartus.")
    assert by_place["Tartus"].label == "the ships docked at Tartus"


def test_events_table_has_one_row_per_event(seed_gdf):
    table = geomap.events(seed_gdf)
    assert len(table) == seed_gdf["event_id"].nunique()
    meeting = table[table["event"].str.contains("meeting")].iloc[0]
    assert meeting["places"] == ["Stavanger", "Norway"] and meeting["event_date"] == "Oct. 12, 2015"
    assert table.crs.to_epsg() == 4326 and table.geometry.notna().all()


def test_linker_reads_the_pipelines_token_vectors(nlp):
    from geomap.happenings.linker import VECTOR_PARTS, VECTOR_WIDTH, Ancestry, default_linker, pair_vector
    doc = nlp("Rebels attacked positions in Aleppo.")
    place, verb = doc[4:5], doc[1]
    vector = pair_vector(doc, Ancestry(doc), place, verb)
    assert vector is not None and vector.shape == (VECTOR_WIDTH * len(VECTOR_PARTS),)
    linker = default_linker()
    assert 0.0 < linker.locate({}, vector) < 1.0 and 0.0 < linker.select({}, vector) < 1.0
    doc.tensor = doc.tensor[:0]   # a pipeline without tok2vec leaves no tensor: the training mean stands in
    assert pair_vector(doc, Ancestry(doc), place, verb) is None
    assert linker.locate({}, None) == linker.locate({}, np.zeros(0, dtype=np.float32))


def test_a_place_links_without_token_vectors(gazetteer):
    from spacy.language import Language

    from geomap.nlp import load_pipeline

    @Language.component("test_drop_tensor")
    def drop_tensor(doc):   # a pipeline without tok2vec leaves no tensor
        doc.tensor = doc.tensor[:0]
        return doc
    nlp = load_pipeline()
    nlp.add_pipe("test_drop_tensor", last=True)
    text = "Rebels attacked positions in Aleppo on Tuesday."
    _, by_place = events_of(geomap.Geoparser(nlp=nlp, gazetteer=gazetteer), text)
    aleppo = by_place["Aleppo"]
    assert text[aleppo.trigger_start:aleppo.trigger_end] == "attacked"


def test_a_place_takes_the_selectors_verb_among_several(geoparser):
    # the selector weighs a sentence's verbs against each other; the locator only says whether the
    # place is the chosen verb's location
    from geomap.happenings.linker import preference
    assert sorted([(0.2, 0.9), (0.6, 0.3)], key=lambda sl: preference(*sl), reverse=True)[0] == (0.6, 0.3)
    text = "Militants detonated a bomb near Kabul, and three rockets were fired at a base in Kandahar."
    _, by_place = events_of(geoparser, text)
    kabul = by_place["Kabul"]
    assert text[kabul.trigger_start:kabul.trigger_end] == "detonated"


def test_exported_linker_scores_as_scikit_learn_does(nlp, monkeypatch):
    pytest.importorskip("sklearn")
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import train_event_linker as train
    texts = ["Rebels attacked positions in Aleppo.", "Ministers met in Oslo and flew to Paris.",
             "A bomb exploded in Kabul, officials in London said.", "Police arrested two men in Lagos."] * 3
    gold = [["Aleppo"], ["Oslo"], ["Kabul"], ["Lagos"]] * 3
    verbs = ["attacked", "met", "exploded", "arrested"] * 3
    rows = [{"text": t, "verb": [t.index(v), t.index(v) + len(v)],
             "locations": [[t.index(g), t.index(g) + len(g)] for g in gs]} for t, gs, v in zip(texts, gold, verbs)]
    docs = list(nlp.pipe(texts))
    feats, vectors, labels, keys, _ = train.examples(rows, docs)
    monkeypatch.setattr(train, "MIN_COUNT", 1)
    inputs = train.Inputs(feats, vectors)
    x, y = inputs.matrix(feats, vectors), np.array(labels)
    selector, locator = train.fit_models(x, y, keys)
    linker = train.export(inputs, selector, locator, 0.5)
    for k in range(len(feats)):
        assert abs(linker.select(feats[k], vectors[k]) - selector.predict_proba(train.selector_inputs(x[k]))[0, 1]) < 2e-3
        assert abs(linker.locate(feats[k], vectors[k]) - locator.predict_proba(x[k])[0, 1]) < 2e-3


def test_nesting_says_which_of_two_joined_places_is_the_narrower(nlp):
    from geomap.happenings.linker import Ancestry, nesting_features
    for text, outer, inner in [("A landmine exploded in Alishir district of Khost.", "Alishir", "Khost"),
                               ("A man was shot near the West Bank city of Nablus.", "West Bank", "Nablus")]:
        doc = nlp(text)
        spans = [doc.char_span(text.index(n), text.index(n) + len(n)) for n in (outer, inner)]
        tokens = frozenset(i for s in spans for i in range(s.start, s.end))
        over, under = (nesting_features(doc, Ancestry(doc), s, tokens) for s in spans)
        assert "nest=over" in over and "nest=under" in under
    # the noun that joins them is part of the feature: 'X district of Y' is X, 'the city of Y' is Y
    assert "nest=under|city|of" in under and "nest=over|city|of" in over


def test_an_adjectival_participle_is_no_candidate_trigger(nlp):
    from geomap.happenings.linker import triggers_of
    doc = nlp("The violations came amid increased military activity on the border.")
    assert [t.text for t in triggers_of(next(doc.sents))] == ["came"]
