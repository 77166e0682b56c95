"""Each rule that merges or separates happenings, with a small text written for it."""
import sys

import folium
import pytest

import geomap
import geomap.happenings
from geomap.happenings import MAX_LABEL_WORDS, OTHER

from .helpers import events_of

pytestmark = pytest.mark.model   # these tests run the spaCy model


def test_verb_and_its_nominalisation_are_one_happening(geoparser):
    text = ("Russian jets infiltrated the airspace of Turkey on Saturday. "
            "Russian violations of Turkish airspace near Hatay angered officials.")
    _, by_place = events_of(geoparser, text)
    assert by_place["Turkey"].id == by_place["Hatay"].id
    assert by_place["Turkey"].label != OTHER


def test_a_definite_noun_refers_back_to_its_happening(geoparser):
    text = "Rebels shelled Homs on Monday. Ministers met in Oslo. The shelling of Hama went on for hours."
    _, by_place = events_of(geoparser, text)
    assert by_place["Homs"].id == by_place["Hama"].id != by_place["Oslo"].id


def test_nested_predicate_belongs_to_the_verb_it_completes(geoparser):
    text = "Five people were killed in fighting in Aleppo. The fighting spread to Idlib."
    events, by_place = events_of(geoparser, text)
    aleppo = by_place["Aleppo"]
    assert text[aleppo.trigger_start:aleppo.trigger_end] == "killed"
    assert by_place["Idlib"].id == aleppo.id


def test_speech_verb_joins_what_it_reports(geoparser):
    text = "Rebels attacked Aleppo on Monday, an official in Damascus said."
    _, by_place = events_of(geoparser, text)
    assert by_place["Damascus"].id == by_place["Aleppo"].id
    assert "attacked" in by_place["Aleppo"].label


def test_place_in_a_reported_state_is_no_happening(geoparser):
    _, by_place = events_of(geoparser, '"Turkey is a strong ally," Stoltenberg told Reuters.')
    assert by_place["Turkey"].label == OTHER


def test_one_speakers_speech_acts_are_one_happening(geoparser):
    text = ("Erdoğan issued Moscow a warning about its jets.\n\n"
            "\"Our relationship with Russia is known,\" Erdoğan told reporters in Brussels last week.")
    _, by_place = events_of(geoparser, text)
    assert by_place["Moscow"].id == by_place["Brussels"].id
    assert "Erdoğan" in by_place["Moscow"].label


def test_stative_and_hypothetical_clauses_are_no_happenings(geoparser):
    _, by_place = events_of(geoparser, "Turkey is a strong ally. If Russia attacks Georgia, it would lose.")
    assert {by_place[name].label for name in ("Turkey", "Russia", "Georgia")} == {OTHER}


def test_more_of_the_same_continues_a_happening(geoparser):
    text = "Troops were ferried to Latakia on ships. Warplanes had also landed near Hama."
    _, by_place = events_of(geoparser, text)
    assert by_place["Latakia"].id == by_place["Hama"].id


def test_dates_that_differ_keep_happenings_apart(geoparser):
    text = "Rebels shelled Homs on Oct. 3, 2015. Rebels shelled Hama on Nov. 9, 2015."
    _, by_place = events_of(geoparser, text)
    assert by_place["Homs"].id != by_place["Hama"].id


def test_each_row_names_its_own_trigger(geoparser):
    # "the meeting" refers back to "met": one happening, one label, and each row names the word that
    # links its own place ("The meeting in Bergen ended": Bergen by "ended")
    text = "Ministers met in Oslo. The meeting in Bergen ended early."
    events, by_place = events_of(geoparser, text)
    oslo, bergen = by_place["Oslo"], by_place["Bergen"]
    assert len(events) == 1 and oslo.id == bergen.id and oslo.label == bergen.label == "Ministers met in Oslo"
    assert text[oslo.trigger_start:oslo.trigger_end] == "met"
    assert text[bergen.trigger_start:bergen.trigger_end] == "ended"


def test_labels_say_who_did_what_where_when(geoparser):
    _, by_place = events_of(geoparser, "NATO held a parliamentary meeting in Stavanger on Oct. 12, 2015.")
    label = by_place["Stavanger"].label
    assert "meeting" in label and "Stavanger" in label and label.endswith("Oct. 12, 2015")
    assert 2 <= len(label.split()) <= MAX_LABEL_WORDS


def test_seed_reads_as_a_handful_of_happenings(seed_gdf):
    happenings = seed_gdf[seed_gdf["event"] != OTHER]
    assert 3 <= happenings["event_id"].nunique() <= 8
    assert all(2 <= len(label.split()) <= MAX_LABEL_WORDS for label in happenings["event"].unique())
    airspace = happenings[happenings["mention"].str.contains("air ?space")]
    assert airspace["event_id"].nunique() == 1 and "Oct. 3-4" in airspace["event"].iloc[0]
    others = seed_gdf[seed_gdf["event"] == OTHER]
    assert "Turkey" in set(others["mention"])   # "Turkey is a strong ally"


def test_other_mentions_come_last_and_hidden(seed_gdf):
    fmap = geomap.render_map(seed_gdf)
    layers = [c for c in fmap._children.values() if isinstance(c, folium.FeatureGroup)]
    assert OTHER in layers[-1].layer_name and layers[-1].show is False
    assert all(layer.show for layer in layers[:-1])


def calls_made(function):
    """``function`` wrapped to count the Python calls made inside it: the work done, measured the same way
    on any machine (a wall clock on a shared machine is not). Timings: scripts/benchmark.py."""
    def counted(*args):
        def profile(frame, event, arg):
            if event in ("call", "c_call"):
                counted.calls += 1
        sys.setprofile(profile)
        try:
            return function(*args)
        finally:
            sys.setprofile(None)
    counted.calls = 0
    return counted


def test_events_work_grows_linearly_with_the_document(geoparser, monkeypatch):
    paragraph = ("Rebels shelled Homs on Monday, an official in Damascus said. Ministers met in Oslo. "
                 "Troops were ferried to Latakia. Warplanes had also landed near Hama.\n\n")

    def work(copies):
        counted = calls_made(geomap.happenings.assign_events)
        monkeypatch.setattr(geomap.happenings, "assign_events", counted)   # the events stage of the Geoparser
        try:
            assert len(geoparser.parse(paragraph * copies)) == 5 * copies
        finally:
            monkeypatch.undo()
        return counted.calls

    # 8 times the text: far from 64 times the work (the bound the wall-clock version had). Not quite 8
    # times: here every paragraph repeats the same verbs, and happenings that share a word are compared
    # pairwise (merge.merge_by_agreement): 21,073 calls for 5 copies, 241,071 for 40
    small, large = work(5), work(40)
    assert 0 < small and large < 8 * 4 * small


def test_locative_context_says_a_town_is_a_place(geoparser):
    # a town needs locative context: a settlement noun ("the town of Taji", "Damboa town"), a list that
    # starts with one, the object of a verb of taking ground ("captured Manbij")
    for text, town in [("Gunmen attacked the town of Taji on Tuesday.", "Taji"),
                       ("Boko Haram fighters attacked Damboa town on Sunday.", "Damboa"),
                       ("Jets bombed the outskirts of Rutshuru.", "Rutshuru"),
                       ("He was shot in downtown Calais.", "Calais"),
                       ("Fighting raged in Samashki, Bamut and Shali.", "Shali"),
                       ("SDF forces captured Manbij on August 12.", "Manbij")]:
        _, by_place = events_of(geoparser, text)
        assert town in by_place and by_place[town].label != OTHER


def test_the_linker_sees_how_each_verbs_clause_hangs_from_the_places(nlp):
    from geomap.happenings.linker import Ancestry, candidate_features, triggers_of
    doc = nlp("Two car bombs struck Kerbala, killing five people.")
    place = doc[4:5]
    assert place.text == "Kerbala"
    feats = {t.text: f for t, f in candidate_features(doc, Ancestry(doc), place, triggers_of(place.sent))}
    assert "rel=self" in feats["struck"] and "rel=below:advcl" in feats["killing"]
    assert "rel=below:advcl|lemma=kill" in feats["killing"]


def test_a_happening_verb_within_a_setting_takes_the_setting_place(geoparser):
    # "killed during clashes in Aleppo": the killing took place in Aleppo; a light or speech verb leaves
    # the place with its setting ("made the offer during a meeting in Stavanger")
    text = "Three soldiers were killed during clashes in Aleppo. NATO made the offer during a meeting in Stavanger."
    events, by_place = events_of(geoparser, text)
    aleppo, stavanger = by_place["Aleppo"], by_place["Stavanger"]
    assert text[aleppo.trigger_start:aleppo.trigger_end] == "killed"
    assert text[stavanger.trigger_start:stavanger.trigger_end] == "meeting"


def test_the_linker_sees_how_each_verbs_clause_is_built(nlp):
    # a bare participle adjunct, a clause opened by 'when', a complement of 'by', a verb over another verb
    from geomap.happenings.linker import form_features
    doc = nlp("Rebels began the attack by storming Hama, killing five people.")
    feats = {t.text: form_features(t) for t in doc if t.pos_ == "VERB"}
    assert "tprep=by" in feats["storming"] and "thead=begin|pcomp" in feats["storming"]
    assert "tcomp=prep:by" in feats["began"]
    assert "tform=advcl|VBG|-" in feats["killing"]
    doc = nlp("Two men were wounded when a bomb exploded in Kabul.")
    assert "tmark=when" in form_features(next(t for t in doc if t.text == "exploded"))
