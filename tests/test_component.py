"""The geomap_places spaCy component: spans, roles, the overlap policy, the gazetteer, the entry point."""
import os
import subprocess
import sys
import tempfile
import textwrap

import pytest
import spacy
from spacy.tokens import DocBin, Span
from spacy.util import registry

from geomap.component import PlacesComponent, mention_of
from geomap.recognition import find_mentions
from geomap.nlp import MODEL_NAMES

NLP = spacy.blank("en")


def make_doc(text, ents=()):
    """A doc of ``text``, capitalised words as PROPN, entities as (start_word, end_word, label)."""
    doc = NLP(text)
    for token in doc:
        if token.text[:1].isupper():
            token.pos_ = "PROPN"
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
    return doc


def places(doc, key="places"):
    return [(s.text, s.label_, s._.place_role) for s in doc.spans[key]]


def test_component_writes_every_role_with_its_source(gazetteer):
    doc = make_doc("Russian officials in Paris met the Ohio Department of Health .",
                   ents=[(0, 1, "NORP"), (3, 4, "GPE"), (6, 10, "ORG")])
    PlacesComponent(gazetteer=gazetteer)(doc)
    assert places(doc) == [("Russian", "NORP", "demonym"), ("Paris", "GPE", "literal"), ("Ohio", "GAZ", "modifier")]


def test_compound_span_holds_its_parts(gazetteer):
    text = "Ships docked on Georgia's coast ."
    doc = PlacesComponent(gazetteer=gazetteer, spans_key="geo")(make_doc(text))
    (coast,) = doc.spans["geo"]
    assert (coast.text, coast.label_, coast._.place_compound) == ("Georgia's coast", "COAST", "coast")
    assert coast._.place_parts == ((16, 23, "GAZ"),) and mention_of(coast).part_names == ("Georgia",)


@pytest.mark.model
@pytest.mark.parametrize("modifiers, demonyms", [(False, False), (True, False), (False, True), (True, True)])
def test_find_mentions_is_the_components_spans_filtered_by_role(nlp, gazetteer, seed_text, modifiers, demonyms):
    doc = PlacesComponent(gazetteer=gazetteer)(nlp(seed_text))
    roles = {"literal"} | ({"modifier"} if modifiers else set()) | ({"demonym"} if demonyms else set())
    from_spans = [mention_of(s) for s in doc.spans["places"] if s._.place_role in roles]
    found = find_mentions(doc, gazetteer, modifiers=modifiers, demonyms=demonyms)
    assert [(m.start, m.end, m.label, m.role, m.metonym) for m in found] == \
        [(m.start, m.end, m.label, m.role, m.metonym) for m in from_spans]
    assert [m.part_names for m in found] == [m.part_names for m in from_spans]


@registry.misc("geomap.test_later_sources_win.v1")
def later_sources_win():
    def policy(kept, extra):
        extra = list(extra)
        return sorted([k for k in kept if not any(k.start < e.end and e.start < k.end for e in extra)] + extra,
                      key=lambda m: (m.start, m.end))
    return policy


def test_overlap_policy_comes_from_the_registry(gazetteer):
    nlp = spacy.blank("en")
    nlp.add_pipe("geomap_places", config={"overlap_policy": {"@misc": "geomap.test_later_sources_win.v1"}})
    nlp.initialize(lambda: [])
    nlp.get_pipe("geomap_places").initialize(gazetteer=gazetteer)
    doc = make_doc("Fighting spread in northern Syria .", ents=[(4, 5, "GPE")])
    assert places(nlp.get_pipe("geomap_places")(doc)) == [("Syria", "GPE", "literal")]   # the model over the compound
    assert places(PlacesComponent(gazetteer=gazetteer)(doc)) == [("northern Syria", "PART", "literal")]


def test_gazetteer_is_opened_on_first_use(gazetteer, tmp_path):
    component = PlacesComponent(gazetteer_path=str(tmp_path / "missing.sqlite"))  # nothing opened yet
    component.initialize(gazetteer=gazetteer)
    assert component.gazetteer is gazetteer
    assert places(component(make_doc("Rain fell in Oslo .", ents=[(3, 4, "GPE")]))) == [("Oslo", "GPE", "literal")]


def test_spans_survive_serialisation(gazetteer):
    doc = PlacesComponent(gazetteer=gazetteer)(make_doc("Clashes on the Syria-Turkey border ."))
    bin_ = DocBin(store_user_data=True)
    bin_.add(doc)
    (copy,) = DocBin(store_user_data=True).from_bytes(bin_.to_bytes()).get_docs(NLP.vocab)
    assert [mention_of(s) for s in copy.spans["places"]] == [mention_of(s) for s in doc.spans["places"]]


def installed_with_entry_point() -> bool:
    """geomap installed as a distribution with its spaCy entry point, as seen from outside the source
    tree (an egg-info left in the checkout must not count)."""
    probe = ("import importlib.metadata as m; d = m.distribution('geomap'); "
             "raise SystemExit(not any(e.name == 'geomap_places' for e in d.entry_points.select(group='spacy_factories')))")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", probe], cwd=tempfile.gettempdir(), env=env, capture_output=True)
    return done.returncode == 0


@pytest.mark.model
@pytest.mark.skipif(not installed_with_entry_point(), reason="geomap is not installed as a distribution")
def test_users_pipeline_finds_the_component_without_importing_geomap(tmp_path):
    model = next(name for name in MODEL_NAMES if spacy.util.is_package(name))
    script = textwrap.dedent(f"""
        import sys
        import spacy
        nlp = spacy.load({model!r})
        nlp.add_pipe("geomap_places")
        doc = nlp("Talks in Oslo, Norway went on along the Syria-Turkey border.")
        print([(s.text, s.label_) for s in doc.spans["places"]])
    """)
    # from an empty folder and without PYTHONPATH, so that only the installed geomap can be found
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "('Oslo', 'GPE'), ('Norway', 'GPE'), ('Syria-Turkey border', 'BORDER')" in done.stdout
