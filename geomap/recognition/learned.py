"""The learned recognizer's decision: which proposals are places, none overlapping another.

Compounds come first, as the rules found them; then the proposals of the roles asked for, most probable
first, each kept where it overlaps nothing kept before and its probability reaches the model's threshold.
"""
from __future__ import annotations

import numpy
from spacy.tokens import Doc

from ..candidates import Gazetteer
from ..models import Mention
from .features import featurize
from .filters import merge, name_ends
from .metonymy import mark_metonyms
from .model import Recognizer
from .proposals import Proposal, propose
from .runs import Capitals


def learned_mentions(doc: Doc, gazetteer: Gazetteer, recognizer: Recognizer, *, modifiers: bool = False,
                     demonyms: bool = False) -> list[Mention]:
    capitals = Capitals.of(doc)
    compounds, proposals = propose(doc, gazetteer, capitals)
    proposals = [p for p in proposals if wanted(p.role, modifiers=modifiers, demonyms=demonyms)]
    probabilities = recognizer.probabilities(featurize(doc, proposals, gazetteer, capitals))
    if has_capital(capitals.text):   # a text that writes names with capitals
        probabilities = numpy.where([has_capital(capitals.text[p.start:p.end]) for p in proposals], probabilities, 0.0)
    chosen = name_ends(capitals.text, decide(capitals.text, compounds, proposals, probabilities,
                                             recognizer.threshold, recognizer.confidence(probabilities)))
    return mark_metonyms(doc, chosen, gazetteer, tokens=capitals.tokens)


def has_capital(span: str) -> bool:
    """Whether a span is written as a name. In a text that writes names with capitals, "metro" or "the west
    coast" is a common noun, though the gazetteer, which folds case, knows a Metro (Indonesia) and a West
    Coast (the Gambia); the model, which rarely met such spans, gave "metro" .79. Compounds ("the north of
    the country") are not proposals and keep their rows."""
    return span != span.lower()   # at C speed: a text may be 10 MB


def wanted(role: str, *, modifiers: bool, demonyms: bool) -> bool:
    """A role the caller asked for: literal always, modifiers and demonyms on request."""
    return (modifiers or role != "modifier") and (demonyms or role != "demonym")


def decide(text: str, compounds: list[Mention], proposals: list[Proposal], probabilities, threshold: float,
           confidences=None) -> list[Mention]:
    """Compounds, then the proposals at or above the threshold, most probable first (ties by position),
    each where it overlaps none kept before; a mention's confidence is its calibrated probability
    (``confidences``, by default the probability itself)."""
    confidences = probabilities if confidences is None else confidences
    ranked = sorted((-float(p), i) for i, p in enumerate(probabilities) if p >= threshold)
    return merge(list(compounds), (proposals[i].mention(text, float(confidences[i])) for _, i in ranked))
