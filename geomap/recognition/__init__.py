"""Toponym recognition: which spans of the text name places.

The stages, one module each:
- ``runs`` and ``context``: capitalised runs, and what the words around a span say;
- ``evidence``: what the gazetteer says of a span;
- ``rules``: the rule sources (the model's places, settlements, the gazetteer's names, features,
  demonyms, compounds), merged by an overlap policy;
- ``filters``: names used for a person or a disease dropped, metonyms marked, roles selected.
"""
from __future__ import annotations

from spacy.tokens import Doc

from ..candidates import Gazetteer
from ..models import Mention
from .context import said_place
from .filters import OverlapPolicy, finish, merge, select
from .rules import all_mentions, mentions_from_spans

__all__ = ["find_mentions", "all_mentions", "mentions_from_spans", "said_place", "finish", "merge", "select",
           "OverlapPolicy"]


def find_mentions(doc: Doc, gazetteer: Gazetteer, *, modifiers: bool = False,
                  demonyms: bool = False) -> list[Mention]:
    """All place mentions in ``doc``, sorted by position, none overlapping another.

    With ``modifiers``, places named inside an organisation's name ("the Ohio Department of
    Health") are mentions too, with role ``modifier``; with ``demonyms``, "Russian jets" is a
    mention of Russia with role ``demonym``. The same logic as the ``geomap_places`` spaCy component
    (geomap.component), which keeps the mentions of every role.
    """
    found = select(all_mentions(doc, gazetteer), modifiers=modifiers, demonyms=demonyms)
    return finish(doc, found)
