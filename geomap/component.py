"""Place recognition as a spaCy pipeline component: ``nlp.add_pipe("geomap_places")``.

The component runs geomap's recognition (geomap.recognition) on a doc and writes one Span per place
mention to ``doc.spans["places"]`` (the key is configurable), of every role: literal places,
modifiers ("Ohio" in "the Ohio Department of Health") and demonyms ("Russian"). Each span's
``label_`` says how it was found: GPE, LOC, FAC (the model), GAZ (the gazetteer), FRAMED (words
around it: "the village of X"), NORP (a demonym), or BORDER, COAST, PART, AIRSPACE (a compound). The rest of a mention is on Span
extensions, registered (with ``force=True``) when a component is made:

- ``span._.place_role``: "literal", "modifier" or "demonym";
- ``span._.place_metonym``: True when the place speaks or acts for its government ("Moscow warned");
- ``span._.place_compound``: "border", "coast", "part" or "airspace", else None;
- ``span._.place_direction``: a compound's direction ("southern"), else None;
- ``span._.place_confidence``: the probability that the span names a place (1.0 for the rules' spans);
- ``span._.place_parts``: a compound's parts as ``(start_char, end_char, label)`` triples, the
  regions it is built from ("Georgia" in "Georgia's coast"); plain values, so that the doc still
  serialises (DocBin, ``nlp.pipe(n_process=2)``). ``mention_of(span)`` turns a span back into a
  geomap Mention.

By default the learned recognizer decides (geomap.recognition.learned): among every span any source
proposes, the most probable win where they overlap, and ``span._.place_confidence`` is the probability.
A pipeline that sets its own ``overlap_policy`` gets the rules instead, merged by that policy: a
function ``(kept, extra) -> mentions`` applied to each source against those before it (compounds, the
model, the gazetteer, demonyms), like the span ruler's ``spans_filter``, resolved through spaCy's
registry (``geomap.default_overlap.v1``: earlier sources win). The gazetteer is opened on first use: the one
given to ``initialize`` or the constructor, else the file at ``gazetteer_path``, else geomap's default.

The factory is registered through the ``spacy_factories`` entry point, so a pipeline of one's own
needs no ``import geomap``::

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("geomap_places")
    [(s.text, s.label_, s._.place_role) for s in nlp(text).spans["places"]]
"""
from pathlib import Path
from typing import Optional, Union

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from .candidates import Gazetteer, default_gazetteer
from .recognition import RULES, OverlapPolicy, all_mentions, finish, merge, shipped_recognizer
from .recognition.learned import learned_mentions
from .models import Mention

__all__ = ["PlacesComponent", "make_places_component", "mention_of"]

DEFAULT_SPANS_KEY = "places"
EXTENSIONS = {"place_role": "literal", "place_metonym": False, "place_compound": None, "place_direction": None,
              "place_parts": (), "place_confidence": 1.0}


@registry.misc("geomap.default_overlap.v1")
def make_default_overlap() -> OverlapPolicy:
    """Earlier sources win: a mention is kept only where it overlaps none kept before it."""
    return merge


@Language.factory(
    "geomap_places",
    assigns=["doc.spans"],
    requires=["doc.ents", "token.pos", "token.dep"],
    default_config={"spans_key": DEFAULT_SPANS_KEY, "overlap_policy": {"@misc": "geomap.default_overlap.v1"},
                    "gazetteer_path": None},
)
def make_places_component(nlp: Language, name: str, spans_key: str, overlap_policy: OverlapPolicy,
                          gazetteer_path: Optional[str]) -> "PlacesComponent":
    return PlacesComponent(nlp, name, spans_key=spans_key, overlap_policy=overlap_policy,
                           gazetteer_path=gazetteer_path)


class PlacesComponent:
    """Writes geomap's place mentions to ``doc.spans[spans_key]`` (see the module's docstring)."""

    def __init__(self, nlp: Optional[Language] = None, name: str = "geomap_places", *,
                 spans_key: str = DEFAULT_SPANS_KEY, overlap_policy: OverlapPolicy = merge,
                 gazetteer: Optional[Gazetteer] = None, gazetteer_path: Optional[str] = None):
        self.name = name
        self.spans_key = spans_key
        self.overlap_policy = overlap_policy
        self.gazetteer_path = gazetteer_path
        self._gazetteer = gazetteer
        register_extensions()

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer, opened on first use (no I/O when the pipeline is built)."""
        if self._gazetteer is None:
            self._gazetteer = Gazetteer(Path(self.gazetteer_path)) if self.gazetteer_path else default_gazetteer()
        return self._gazetteer

    @gazetteer.setter
    def gazetteer(self, value: Union[Gazetteer, str, Path]) -> None:
        self._gazetteer = value if isinstance(value, Gazetteer) else Gazetteer(Path(value))

    def initialize(self, get_examples=None, *, nlp: Optional[Language] = None,
                   gazetteer: Union[Gazetteer, str, Path, None] = None) -> None:
        """``[initialize.components.geomap_places] gazetteer = ...``: use that gazetteer."""
        if gazetteer is not None:
            self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Mention]:
        """Every place mention of the doc, of every role, sorted by position."""
        recognizer = shipped_recognizer() or RULES
        if recognizer == RULES or self.overlap_policy is not merge:
            return finish(doc, all_mentions(doc, self.gazetteer, self.overlap_policy), self.gazetteer)
        return learned_mentions(doc, self.gazetteer, recognizer, modifiers=True, demonyms=True)

    def set_annotations(self, doc: Doc, mentions: list[Mention]) -> None:
        doc.spans[self.spans_key] = [span for span in (span_of(doc, m) for m in mentions) if span is not None]


def register_extensions() -> None:
    for name, default in EXTENSIONS.items():
        Span.set_extension(name, default=default, force=True)


def span_of(doc: Doc, mention: Mention) -> Optional[Span]:
    """The mention as a Span with its label and extensions. Compounds are found in the text, not
    in tokens: a span that does not fall on token boundaries takes in the tokens it touches."""
    span = doc.char_span(mention.start, mention.end, label=mention.label, alignment_mode="expand")
    if span is None or not len(span):
        return None
    span._.place_role = mention.role
    span._.place_metonym = mention.metonym
    span._.place_compound = mention.compound
    span._.place_direction = mention.direction
    span._.place_parts = tuple((p.start, p.end, p.label) for p in mention.parts)
    span._.place_confidence = mention.confidence
    return span


def mention_of(span: Span) -> Mention:
    """The geomap Mention a span of the component stands for (offsets of the span as stored)."""
    text = span.doc.text
    parts = tuple(Mention(start, end, text[start:end], label) for start, end, label in span._.place_parts)
    return Mention(span.start_char, span.end_char, span.text, span.label_, parts, span._.place_direction,
                   role=span._.place_role, metonym=span._.place_metonym, compound=span._.place_compound,
                   confidence=span._.place_confidence)
