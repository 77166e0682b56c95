"""Toponym recognition: which spans of the text name places.

The stages, one module each:
- ``runs`` and ``context``: capitalised runs, and what the words around a span say;
- ``evidence``: what the gazetteer says of a span;
- ``rules``: the rule sources (the model's places, settlements, the gazetteer's names, features,
  demonyms, compounds), merged by an overlap policy;
- ``filters``: names used for a person or a disease dropped, metonyms marked, roles selected;
- ``proposals``, ``features``, ``model``, ``learned``: the learned recognizer, which decides among every
  span any source proposes (the rules' verdicts among its features); the default where its trained
  weights ship (geomap/data/recognizer.json), the rules alone where they do not.
"""
from __future__ import annotations

from spacy.tokens import Doc

from ..candidates import Gazetteer
from ..models import Mention
from .context import said_place
from typing import Optional

from .filters import OverlapPolicy, finish, merge, select
from .learned import learned_mentions
from .model import Recognizer, shipped_recognizer
from .rules import all_mentions, mentions_from_spans

RULES = "rules"   # find_mentions(recognizer=RULES): the rules alone, as before the learned recognizer

__all__ = ["find_mentions", "Recognizer", "shipped_recognizer", "RULES", "all_mentions", "mentions_from_spans",
           "said_place", "finish", "merge", "select", "OverlapPolicy"]


def find_mentions(doc: Doc, gazetteer: Gazetteer, *, modifiers: bool = False, demonyms: bool = False,
                  recognizer: Optional[Recognizer | str] = None) -> list[Mention]:
    """All place mentions in ``doc``, sorted by position, none overlapping another.

    With ``modifiers``, places named inside an organisation's name ("the Ohio Department of
    Health") are mentions too, with role ``modifier``; with ``demonyms``, "Russian jets" is a
    mention of Russia with role ``demonym``. The same logic as the ``geomap_places`` spaCy component
    (geomap.component), which keeps the mentions of every role. ``recognizer``: a trained
    ``Recognizer`` (default: the one that ships), or ``RULES`` for the rules alone.
    """
    if recognizer is None:
        recognizer = shipped_recognizer() or RULES
    if recognizer != RULES:
        return learned_mentions(doc, gazetteer, recognizer, modifiers=modifiers, demonyms=demonyms)
    found = select(all_mentions(doc, gazetteer), modifiers=modifiers, demonyms=demonyms)
    return finish(doc, found, gazetteer)
