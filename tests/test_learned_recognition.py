"""The learned recognizer: its flat trees, its proposals, its features and its decisions."""
import importlib.util
from pathlib import Path

import numpy
import pytest

import geomap
from geomap.recognition import RULES, Recognizer, find_mentions, shipped_recognizer
from geomap.recognition.features import FEATURE_NAMES, featurize
from geomap.recognition.learned import decide, wanted
from geomap.recognition.proposals import propose as propose_with
from geomap.recognition.runs import Capitals

ROOT = Path(__file__).resolve().parent.parent


def propose(doc, gazetteer):
    return propose_with(doc, gazetteer, Capitals.of(doc))


def load_training_script():
    spec = importlib.util.spec_from_file_location("train_recognizer", ROOT / "scripts" / "train_recognizer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def one_split_tree(column: int, at: float, low: float, high: float) -> dict:
    """One tree: column <= at gives low, above gives high (log-odds), baseline 0."""
    return {"baseline": 0.0, "roots": [0], "feature": [column, 0, 0], "threshold": [at, 0.0, 0.0],
            "left": [1, 0, 0], "right": [2, 0, 0], "value": [0.0, low, high], "leaf": [False, True, True],
            "depth": 1}


def test_flat_trees_go_left_at_or_below_the_threshold():
    recognizer = Recognizer(one_split_tree(3, 0.5, -2.0, 2.0))
    X = numpy.zeros((3, len(FEATURE_NAMES)))
    X[1, 3], X[2, 3] = 0.5, 0.75
    p = recognizer.probabilities(X)
    assert p[0] == pytest.approx(1 / (1 + numpy.exp(2.0)))
    assert p[1] == p[0]                                   # at the threshold: left
    assert p[2] == pytest.approx(1 / (1 + numpy.exp(-2.0)))
    assert recognizer.probabilities(numpy.zeros((0, len(FEATURE_NAMES)))).shape == (0,)


def test_a_recognizer_trained_on_other_features_is_refused():
    with pytest.raises(ValueError, match="retrain"):
        Recognizer(one_split_tree(0, 0.5, -1.0, 1.0), features=("a", "b"))


def test_the_export_gives_scikit_learns_probabilities(tmp_path):
    from sklearn.ensemble import HistGradientBoostingClassifier
    train = load_training_script()
    rng = numpy.random.default_rng(0)
    X = rng.normal(size=(600, len(FEATURE_NAMES)))
    y = (X[:, 0] + 0.5 * X[:, 7] * X[:, 9] > 0).astype(int)
    model = HistGradientBoostingClassifier(max_iter=30, max_depth=4, random_state=0).fit(X, y)
    exported = train.export(model, 0.4, {"test": True})
    exported.save(tmp_path / "r.json")
    loaded = Recognizer.load(tmp_path / "r.json")
    assert loaded.threshold == 0.4
    numpy.testing.assert_allclose(loaded.probabilities(X), model.predict_proba(X)[:, 1], atol=1e-9)


def test_the_shipped_recognizer_is_trained_and_says_how_it_was_measured():
    recognizer = shipped_recognizer()
    assert recognizer is not None and 0 < recognizer.threshold < 1
    assert set(recognizer.about["cv"]) >= {"lgl", "trnews", "gwn", "geovirus"}


@pytest.mark.model


def test_features_have_one_column_per_name(nlp, gazetteer):
    doc = nlp("Rick Farrin of Waterloo flew from St. Louis to Mt. Pleasant, Iowa, on Monday.")
    compounds, proposals = propose(doc, gazetteer)
    X = featurize(doc, proposals, gazetteer, Capitals.of(doc))
    assert X.shape == (len(proposals), len(FEATURE_NAMES)) and numpy.isfinite(X).all()


@pytest.mark.model


def test_proposals_reach_names_the_rules_cannot(nlp, gazetteer):
    """Abbreviations with their stop and a name the model tagged DATE are proposed, for the model to weigh."""
    text = "He flew from St. Louis to Mt. Pleasant, then met NATO officials in Stavanger."
    doc = nlp(text)
    spans = {text[p.start:p.end] for p in propose(doc, gazetteer)[1]}
    assert {"St. Louis", "Mt. Pleasant", "Stavanger"} <= spans


@pytest.mark.model


def test_decide_keeps_the_most_probable_of_overlapping_spans(nlp, gazetteer):
    text = "Troops reached New York City on Monday."
    doc = nlp(text)
    compounds, proposals = propose(doc, gazetteer)
    spans = [text[p.start:p.end] for p in proposals]
    probabilities = numpy.asarray([0.9 if s == "New York City" else 0.8 if s == "New York" else 0.0 for s in spans])
    chosen = decide(doc.text, compounds, proposals, probabilities, 0.3)
    assert [m.text for m in chosen] == ["New York City"] and chosen[0].confidence == 0.9
    assert decide(doc.text, compounds, proposals, probabilities, 0.95) == []


def test_roles_are_kept_only_when_asked_for():
    assert wanted("literal", modifiers=False, demonyms=False)
    assert not wanted("demonym", modifiers=True, demonyms=False)
    assert not wanted("modifier", modifiers=False, demonyms=True)


@pytest.mark.model
@pytest.mark.parametrize("text, person", [
    ("Danielle Taylor said the committee would meet again.", "Taylor"),
    ("Coach Jones told reporters that Welch had been injured.", "Welch"),
])
def test_people_are_not_drawn_as_towns(text, person):
    assert person not in set(geomap.geoparse(text)["mention"])


@pytest.mark.model
def test_the_learned_recognizer_finds_what_the_rules_find_on_the_seed(seed_text):
    learned = geomap.geoparse(seed_text)
    rules = geomap.Geoparser(recognizer=RULES).parse(seed_text)
    assert list(learned["mention"]) == list(rules["mention"])
    # score: the recognizer's probability times the resolver's, never above either
    assert (learned["score"] <= rules["score"] + 1e-9).all() and (learned["score"] > 0.5).all()


@pytest.mark.model
def test_find_mentions_gives_confidences_from_the_model_and_one_from_the_rules(nlp, gazetteer):
    doc = nlp("Flooding hit Jakarta and the small village of Cibubur on Sunday, police in Depok said.")
    learned = find_mentions(doc, gazetteer)
    ruled = find_mentions(doc, gazetteer, recognizer=RULES)
    assert {m.text for m in learned} >= {"Jakarta"}
    # calibrated probabilities: the top of the isotonic curve may reach 1.0, the rest lies below
    assert all(0 < m.confidence <= 1 for m in learned) and any(m.confidence < 1 for m in learned)
    assert all(m.confidence == 1.0 for m in ruled)



@pytest.mark.model
@pytest.mark.parametrize("text, common_noun", [
    ("Bergen lies on the west coast of Norway.", "west coast"),   # the gazetteer folds case: West Coast, Gambia
    ("The jobless rate for the metro area rose in March.", "metro"),   # Metro, Indonesia
])
def test_a_lower_case_word_is_no_place_in_a_text_that_capitalises_names(nlp, gazetteer, text, common_noun):
    (proposal,) = [p for p in propose(nlp(text), gazetteer)[1] if text[p.start:p.end] == common_noun]
    assert proposal.known   # the gazetteer has it, case folded
    mentions = [m.text for m in find_mentions(nlp(text), gazetteer, demonyms=True, modifiers=True)]
    assert common_noun not in mentions


@pytest.mark.model
@pytest.mark.parametrize("text, name, role", [
    ("The prime minister of Trinidad and Tobago arrived in Dominica.", "Trinidad and Tobago", "literal"),
    ("He flew to St. Kitts and Nevis on Monday.", "Saint Kitts and Nevis", "literal"),
    ("Fishermen in Newfoundland and Labrador protested.", "Newfoundland and Labrador", "literal"),
    ("The Trinidad and Tobago Football Association said so.", "Trinidad and Tobago", "modifier"),
])
def test_a_name_that_holds_and_is_one_place(text, name, role):
    # not "Trinidad" (Bolivia) and "Tobago": the model's labels split the name, the gazetteer knows it whole
    gdf = geomap.geoparse(text, modifiers=True)
    assert (gdf["name"].iloc[0], gdf["role"].iloc[0]) == (name, role)
    assert not gdf["mention"].isin(["Trinidad", "Tobago", "Newfoundland", "Labrador", "St. Kitts"]).any()


@pytest.mark.model
@pytest.mark.parametrize("text, places", [
    ("The temple was built between 250 and 100 B.C. by the Nabataeans.", []),   # an era, not British Columbia
    ("Rome fell in 476 A.D. after a long decline.", ["Rome"]),
    ("Wildfires burned in B.C. and Alberta.", ["B.C.", "Alberta"]),
])
def test_an_era_after_a_year_is_no_place(text, places):
    assert list(geomap.geoparse(text)["mention"]) == places


@pytest.mark.model
def test_the_rules_end_names_as_the_model_does(nlp, gazetteer):
    doc = nlp("The temple was built in 100 B.C. He grew up in Charleston, W.Va. He left.")
    assert [m.text for m in find_mentions(doc, gazetteer, recognizer=RULES)] == ["Charleston", "W.Va."]
